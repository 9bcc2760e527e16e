"""Prompt templates, read from files under ``prompts/`` (one per language and role)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.llm.base import Message

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "prompts"
LANGUAGES = ("vi", "en")


class PromptError(RuntimeError):
    """A template is missing or malformed."""


@dataclass(frozen=True)
class Passage:
    """One numbered excerpt shown to the model."""

    n: int
    source: str  # "Kế hoạch 23/KH-UBND, mục III.5.b"
    text: str


@dataclass(frozen=True)
class PromptSet:
    """System and user templates per language."""

    system: dict[str, str]
    user: dict[str, str]

    @classmethod
    def load(cls, directory: Path = DEFAULT_DIR) -> PromptSet:
        system, user = {}, {}
        for lang in LANGUAGES:
            try:
                system[lang] = (directory / f"answer.{lang}.system.txt").read_text("utf-8").strip()
                user[lang] = (directory / f"answer.{lang}.user.txt").read_text("utf-8").strip()
            except OSError as exc:
                raise PromptError(f"prompt template missing: {exc}") from exc
            if "{passages}" not in user[lang] or "{question}" not in user[lang]:
                raise PromptError(f"answer.{lang}.user.txt must contain {{passages}} and {{question}}")
        return cls(system, user)

    def messages(self, question: str, passages: list[Passage], language: str) -> list[Message]:
        """The chat messages for one question."""
        lang = language if language in self.system else "vi"
        excerpts = "\n".join(f"[{p.n}] ({p.source}) {p.text}" for p in passages)
        user = self.user[lang].replace("{passages}", excerpts).replace("{question}", question.strip())
        return [{"role": "system", "content": self.system[lang]}, {"role": "user", "content": user}]
