"""The one small interface every generation backend implements."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "…"}


class LLMError(RuntimeError):
    """The backend failed: unreachable, timed out, or answered something unusable."""


class LLMBackend(Protocol):
    """Streams a chat completion as text pieces."""

    name: str

    def ready(self) -> bool:
        """True when a call can be made now (model loaded, server configured)."""
        ...

    def stream(self, messages: list[Message], *, max_tokens: int, timeout: float) -> Iterator[str]:
        """Yield pieces of the reply as they are generated; raise :class:`LLMError` on
        failure, including when the whole reply takes longer than ``timeout`` seconds.
        Closing the iterator early stops the generation."""
        ...

    def close(self) -> None:
        """Free the model or the connection."""
        ...
