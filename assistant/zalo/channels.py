"""The Zalo channels a deployment configured, built from the settings and closed together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import Settings
from assistant.core import Assistant
from assistant.zalo.bot import BotClient
from assistant.zalo.oa import OAClient
from assistant.zalo.responder import Sender, ZaloResponder
from assistant.zalo.store import ZaloStore


@dataclass
class ZaloChannels:
    """The OA client, the bot client (each ``None`` when not configured) and the responder."""

    settings: Settings
    store: ZaloStore
    responder: ZaloResponder
    oa: OAClient | None
    bot: BotClient | None

    @classmethod
    def from_settings(
        cls, settings: Settings, assistant: Callable[[], Assistant | None], *, bot_required: bool = False
    ) -> ZaloChannels:
        """Clients for the configured channels. ``bot_required`` (polling) needs only the bot token."""
        store = ZaloStore(settings.zalo_path, url=settings.database)
        oa = OAClient(settings, store) if settings.zalo_oa_configured else None
        wants_bot = settings.zalo_bot_token is not None if bot_required else settings.zalo_bot_configured
        bot = BotClient(settings) if wants_bot else None
        senders: dict[str, Sender] = {}
        if oa is not None:
            senders["oa"] = oa
        if bot is not None:
            senders["bot"] = bot
        return cls(settings, store, ZaloResponder(settings, store, assistant, senders), oa, bot)

    def close(self) -> None:
        """Let queued answers go out, then release connections and the store."""
        self.responder.close()
        for client in (self.oa, self.bot):
            if client is not None:
                client.close()
        self.store.close()
