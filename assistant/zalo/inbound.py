"""A message from Zalo, whichever door it came through (OA webhook, bot webhook, polling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "non_text", "welcome"]


@dataclass(frozen=True)
class Inbound:
    """What the responder needs of one Zalo event."""

    channel: Literal["oa", "bot"]
    recipient: str  # who the reply goes to: the OA user id, or the bot chat id
    user: str  # who wrote: keys the conversation and the rate limit
    msg_id: str  # Zalo's id, to answer a retried event once
    kind: Kind
    text: str = ""
