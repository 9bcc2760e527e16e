"""The Zalo channel: an Official Account webhook (OA API v3) and a Zalo Bot platform bot,
answering with the same core as the web and the CLI, in Zalo's plain-text messages."""
