"""What a Zalo user reads: the answer as plain text, short citation lines, and messages
cut to Zalo's length limit at natural breaks."""

from __future__ import annotations

import re
from typing import Any

from assistant import render
from index.store import IndexData

# Zalo OA customer-service text and the Bot platform's sendMessage both take 1–2000 characters.
ZALO_TEXT_LIMIT = 2000
# A chat reply of more than about three messages is read by nobody (and spends the OA's
# message quota); longer answers are cut, pointing to a narrower question.
MAX_REPLY_CHARS = 5600

NON_TEXT = (
    "Hiện trợ lý chỉ đọc được tin nhắn chữ. Bạn vui lòng gõ câu hỏi, ví dụ: "
    "“Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026?”"
)
WELCOME = (
    "Xin chào! Tôi là trợ lý hỏi đáp về các kế hoạch chuyển đổi số của thành phố Đà Nẵng. "
    "Mỗi câu trả lời đều ghi nguồn (văn bản, mục). Bạn có thể hỏi, ví dụ:\n"
    "- Ai chủ trì nhiệm vụ 5b của kế hoạch chuyển đổi số năm 2026, hạn khi nào?\n"
    "- Những nhiệm vụ nào Sở Khoa học và Công nghệ chủ trì?\n"
    "- Chỉ tiêu về dịch vụ công trực tuyến là bao nhiêu?"
)
RATE_LIMITED = "Bạn gửi câu hỏi nhanh quá. Vui lòng đợi khoảng một phút rồi hỏi tiếp."
NOT_READY = "Trợ lý đang khởi động, vui lòng gửi lại câu hỏi sau ít phút."
FAILED = "Xin lỗi, trợ lý gặp lỗi khi trả lời câu hỏi này. Vui lòng thử lại sau."


def too_long(limit: int) -> str:
    """Reply to a question above the configured length."""
    return f"Câu hỏi dài quá (tối đa {limit} ký tự). Bạn vui lòng hỏi ngắn gọn hơn."


def document_label(data: IndexData, doc_id: str) -> str:
    """A plan's kind and number as it names itself, "Kế hoạch 93/KH-UBND", in every language."""
    meta = data.documents.get(doc_id)
    return render.document_name(meta) if meta else doc_id


def citation_line(citation: dict[str, Any], data: IndexData, language: str = "vi") -> str:
    """One short source line: "[1] Kế hoạch 93/KH-UBND, mục III.5.b"."""
    section_word, page_word = ("section", "page") if language == "en" else ("mục", "trang")
    parts = [f"[{citation['id']}] {document_label(data, citation['doc'])}"]
    if citation.get("section"):
        parts.append(f"{section_word} {citation['section']}")
    if citation.get("page"):
        parts.append(f"{page_word} {citation['page']}")
    return ", ".join(parts)


def render_answer(answer: dict[str, Any], data: IndexData, max_chars: int = MAX_REPLY_CHARS) -> str:
    """The chat answer as plain text: the answer, then its sources. An answer too long for a
    chat (a list of 40 tasks) is cut at a line, says how much is left, and keeps the sources
    of the lines it still shows."""
    english = answer.get("language") == "en"
    lines = _plain(answer["answer"]).split("\n")
    citations = answer.get("citations") or []
    kept = len(lines)
    while True:
        text = "\n".join(lines[:kept])
        note = ""
        if kept < len(lines):
            note = (
                f"\n… ({len(lines) - kept} more lines: ask a narrower question, e.g. by section or deadline)"
                if english
                else f"\n… (còn {len(lines) - kept} dòng nữa: hãy hỏi cụ thể hơn, ví dụ theo mục hoặc theo thời hạn)"
            )
        cited = citations if kept == len(lines) else [c for c in citations if f"[{c['id']}]" in text]
        rendered = text + note + _sources(cited, data, english)
        if len(rendered) <= max_chars or kept <= 1:
            return rendered
        kept -= 1


def _sources(citations: list[dict[str, Any]], data: IndexData, english: bool) -> str:
    if not citations:
        return ""
    heading = "Sources:" if english else "Nguồn:"
    return "\n\n" + heading + "\n" + "\n".join(citation_line(c, data, "en" if english else "vi") for c in citations)


def _plain(text: str) -> str:
    # Zalo shows text as typed: drop Markdown emphasis the core might use.
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_message(text: str, limit: int = ZALO_TEXT_LIMIT) -> list[str]:
    """``text`` cut into messages of at most ``limit`` characters, each numbered "(1/3)" when
    there are several. Cuts fall between paragraphs, else lines, else sentences, else words."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    marker = len(" (99/99)")
    pieces = _cut(text, limit - marker)
    return [f"{piece} ({i}/{len(pieces)})" for i, piece in enumerate(pieces, 1)]


def _cut(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while len(text) > limit:
        window = text[: limit + 1]
        at = -1
        for pattern in (r"\n\s*\n", r"\n", r"(?<=[.!?;:…])\s", r"\s"):
            breaks = [m.start() for m in re.finditer(pattern, window) if m.start() >= limit // 3]
            if breaks:
                at = breaks[-1]
                break
        if at <= 0:
            at = limit  # one unbroken run of characters: cut it hard
        pieces.append(text[:at].rstrip())
        text = text[at:].strip()
    if text:
        pieces.append(text)
    return pieces
