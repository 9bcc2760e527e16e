"""Generation through an Ollama server's /api/chat (streaming NDJSON), with the ollama client."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from assistant.llm.base import LLMError, Message

log = logging.getLogger(__name__)

DEFAULT_MODEL = "qwen2.5:7b-instruct"


class OllamaBackend:
    """``ASSISTANT_LLM=ollama``: the model runs in an Ollama server at ``OLLAMA_HOST``."""

    name = "ollama"

    def __init__(self, host: str, model: str | None = None, *, connect_timeout: float = 3.0) -> None:
        self.host = host
        self.model = model or DEFAULT_MODEL
        self.connect_timeout = connect_timeout

    def ready(self) -> bool:
        # Whether the server is up is only known by calling it; failures fall back per call.
        return True

    def stream(self, messages: list[Message], *, max_tokens: int, timeout: float) -> Iterator[str]:
        import httpx
        import ollama

        deadline = time.monotonic() + timeout
        try:
            with ollama.Client(host=self.host, timeout=httpx.Timeout(timeout, connect=self.connect_timeout)) as client:
                chunks = client.chat(
                    model=self.model,
                    messages=messages,
                    stream=True,
                    options={"temperature": 0, "num_predict": max_tokens},
                )
                try:
                    for chunk in chunks:
                        piece = chunk.message.content or ""
                        if piece:
                            yield piece
                        if time.monotonic() > deadline:
                            raise LLMError(f"ollama: no complete answer within {timeout:.0f} s")
                        if chunk.done:
                            return
                finally:
                    chunks.close()
        except LLMError:
            raise
        except ollama.ResponseError as exc:
            raise LLMError(f"ollama answered {exc.status_code}: {exc.error}") from exc
        except (httpx.HTTPError, ConnectionError, ValueError, AttributeError, TypeError) as exc:
            # ConnectionError: the client's "failed to connect"; the others: a reply that is not
            # the documented NDJSON.
            raise LLMError(f"ollama at {self.host}: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        pass
