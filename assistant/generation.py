"""Generated answers: one model call at a time, bounded waiting, prompts from files.

The generator never decides what is true: the core chooses the passages (and refuses
before any generation when they do not answer), and :mod:`assistant.grounding` checks what
comes back. Here: the queue, the timeouts and the call itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.config import Settings
from assistant.llm.base import LLMBackend, LLMError
from assistant.llm.weights import weights_path
from assistant.prompts import Passage, PromptSet

log = logging.getLogger(__name__)


class Busy(RuntimeError):
    """Too many questions are already waiting for the model."""


class Generator:
    """Streams an answer from ``backend`` for numbered passages."""

    def __init__(
        self,
        backend: LLMBackend,
        prompts: PromptSet,
        *,
        timeout: float = 60.0,
        max_tokens: int = 160,
        max_waiting: int = 2,
        wait_seconds: float = 20.0,
    ) -> None:
        self.backend = backend
        self.prompts = prompts
        self.timeout = timeout
        self.max_tokens = max_tokens
        self.max_waiting = max_waiting
        self.wait_seconds = wait_seconds
        self._running = threading.Lock()
        self._waiting = 0
        self._count = threading.Lock()

    @property
    def name(self) -> str:
        return self.backend.name

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold the one generation slot; raise :class:`Busy` rather than pile up: when
        ``max_waiting`` questions already wait, or the wait would exceed ``wait_seconds``."""
        with self._count:
            if self._waiting >= self.max_waiting and self._running.locked():
                raise Busy(f"{self._waiting} questions already waiting")
            self._waiting += 1
        try:
            acquired = self._running.acquire(timeout=self.wait_seconds)
        finally:
            with self._count:
                self._waiting -= 1
        if not acquired:
            raise Busy(f"the model stayed busy for {self.wait_seconds:.0f} s")
        try:
            yield
        finally:
            self._running.release()

    def stream(self, question: str, passages: list[Passage], language: str) -> Iterator[str]:
        """Pieces of the model's answer (raises ``LLMError`` on failure)."""
        messages = self.prompts.messages(question, passages, language)
        yield from self.backend.stream(messages, max_tokens=self.max_tokens, timeout=self.timeout)

    def instructions(self, language: str) -> str:
        """What the model is told besides the passages and the question (the leak check)."""
        lang = language if language in self.prompts.system else "vi"
        user = self.prompts.user[lang].replace("{passages}", " ").replace("{question}", " ")
        return f"{self.prompts.system[lang]}\n{user}"

    def warm_up(self) -> None:
        """Load the model (embedded) and have the server cache the Vietnamese system prompt."""
        load = getattr(self.backend, "load", None)
        if load is None or not load():
            return
        messages = self.prompts.messages("Xin chào", [], "vi")
        try:
            with self.slot():
                for _ in self.backend.stream(messages, max_tokens=1, timeout=self.timeout):
                    pass
        except (Busy, LLMError) as exc:
            log.info("LLM warm-up skipped: %s", exc)

    def close(self) -> None:
        self.backend.close()


def build_generator(settings: Settings) -> Generator | None:
    """The generator the configuration asks for, or None for ``ASSISTANT_LLM=none``."""
    prompts = PromptSet.load(settings.prompts_dir)
    backend: LLMBackend
    if settings.llm == "none":
        return None
    if settings.llm == "ollama":
        from assistant.llm.ollama_backend import OllamaBackend

        backend = OllamaBackend(settings.ollama_host, settings.llm_model)
    else:
        from assistant.llm.embedded import EmbeddedBackend

        path = Path(settings.llm_model) if settings.llm_model else weights_path(settings.models_dir)
        backend = EmbeddedBackend(path, threads=settings.threads)
    return Generator(
        backend,
        prompts,
        timeout=settings.llm_timeout,
        max_tokens=settings.llm_max_tokens,
        max_waiting=settings.llm_max_waiting,
        wait_seconds=settings.llm_wait_seconds,
    )
