"""The embedded default: a GGUF model run in-process by llama.cpp (xllamacpp), no server to
install. xllamacpp starts llama.cpp's server inside this process on a loopback port; the
backend streams from its OpenAI-style /v1/chat/completions, so a timeout or a closed
stream stops the generation like any HTTP client would."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from assistant.llm.base import LLMError, Message

log = logging.getLogger(__name__)


class EmbeddedBackend:
    """``ASSISTANT_LLM=embedded``: Qwen2.5-Coder-1.5B-Instruct Q4_K_M on the CPU."""

    name = "embedded"

    def __init__(self, model_path: Path, *, threads: int = 2, context: int = 2048) -> None:
        self.model_path = model_path
        self.threads = threads
        self.context = context
        self._server = None
        self._address: str | None = None
        self._lock = threading.Lock()
        self._failed: str | None = None

    def load(self) -> bool:
        """Load the model once (about 5 s); False, with a log line, when it cannot be."""
        with self._lock:
            if self._server is not None:
                return True
            if self._failed is not None:
                return False
            if not self.model_path.is_file():
                self._failed = f"weights not found at {self.model_path} (run `assistant models`)"
                log.warning("embedded LLM unavailable: %s; answers stay extractive", self._failed)
                return False
            try:
                import xllamacpp as xlc

                params = xlc.CommonParams()
                params.model.path = str(self.model_path)
                params.n_ctx = self.context
                params.n_parallel = 1  # one generation at a time; the caller queues
                params.verbosity = 0  # llama.cpp logs every slot event at its default level
                params.cpuparams.n_threads = self.threads
                params.cpuparams_batch.n_threads = self.threads
                started = time.perf_counter()
                self._server = xlc.Server(params)
                self._address = _base_url(self._server.listening_address)
                log.info("embedded LLM loaded in %.1f s (%s)", time.perf_counter() - started, self.model_path.name)
                return True
            except Exception as exc:  # a broken runtime must not take the service down
                self._failed = f"{type(exc).__name__}: {exc}"
                log.warning("embedded LLM failed to load: %s; answers stay extractive", self._failed)
                return False

    def ready(self) -> bool:
        return self._server is not None

    def stream(self, messages: list[Message], *, max_tokens: int, timeout: float) -> Iterator[str]:
        import httpx

        if not self.load():
            raise LLMError(f"embedded model unavailable: {self._failed}")
        body = {
            "messages": messages,
            "stream": True,
            "max_tokens": max_tokens,
            "temperature": 0,
            "cache_prompt": True,  # the fixed system prompt is processed once, then reused
        }
        deadline = time.monotonic() + timeout
        try:
            with httpx.Client(timeout=httpx.Timeout(timeout, connect=2.0)) as client:
                with client.stream("POST", f"{self._address}/v1/chat/completions", json=body) as response:
                    if response.status_code != 200:
                        raise LLMError(f"embedded server answered {response.status_code}")
                    for line in response.iter_lines():
                        if time.monotonic() > deadline:
                            raise LLMError(f"embedded: no complete answer within {timeout:.0f} s")
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            return
                        choice = json.loads(data)["choices"][0]
                        piece = (choice.get("delta") or {}).get("content") or ""
                        if piece:
                            yield piece
                        if choice.get("finish_reason"):
                            return
        except LLMError:
            raise
        except (httpx.HTTPError, ValueError, KeyError, IndexError) as exc:
            raise LLMError(f"embedded: {type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._server = None  # the server stops when the object is freed


def _base_url(address: str) -> str:
    address = address.rstrip("/")
    return address if address.startswith("http") else f"http://{address}"
