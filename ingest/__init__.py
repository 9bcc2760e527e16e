"""Ingest: load plan documents, clean them, recover structure, extract records, chunk."""
