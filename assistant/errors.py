"""User-facing errors: a code and a message, Vietnamese first, English after."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a user; HTTP status and CLI exit code follow from it."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 400) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.code = code
        self.status = status
        self.message = f"{message_vi} / {message_en}"

    def to_dict(self) -> dict[str, dict[str, str]]:
        """The error body of DESIGN.md."""
        return {"error": {"code": self.code, "message": self.message}}


def empty_message() -> UserError:
    """An empty question."""
    return UserError("empty_message", "Câu hỏi đang để trống", "the message is empty")


def message_too_long(limit: int, got: int) -> UserError:
    """A question above the configured limit."""
    return UserError(
        "message_too_long",
        f"Câu hỏi dài {got} ký tự, tối đa {limit} ký tự",
        f"the message has {got} characters, the limit is {limit}",
        413,
    )


def unknown_document(doc: str) -> UserError:
    """A document id that is not indexed."""
    return UserError(
        "unknown_document",
        f"Không có văn bản '{doc}' (xem /api/documents)",
        f"no document '{doc}' (see /api/documents)",
        404,
    )


def validate_question(message: str | None, limit: int) -> str:
    """The stripped question, or a :class:`UserError`."""
    text = (message or "").strip()
    if not text:
        raise empty_message()
    if len(text) > limit:
        raise message_too_long(limit, len(text))
    return text
