"""Prompt injection: instructions hidden in a question or in a document's text.

The assistant's rules are not negotiable by text it reads. Two guards, both before the
model sees anything (the output checks in grounding.py are the third):

* a question that tries to give the assistant new instructions is never sent to the
  model: it gets a structured answer if it also asks something the plans answer exactly,
  and otherwise a refusal that says why;
* sentences of a passage that address the assistant ("bỏ qua hướng dẫn…") are cut from
  what the model reads (the citation still quotes the source verbatim).

Matching is on diacritic-folded text, so "bo qua huong dan" is caught like "bỏ qua hướng dẫn".
"""

from __future__ import annotations

import re

from ingest.text import fold

# "ẩn" (hidden) folds to "an", as do "an toàn", "an ninh"…
_HIDDEN = r"an\b(?! (toan|ninh|sinh|cu|duong|khang))"
_PATTERNS = [
    # Vietnamese: "bỏ qua / phớt lờ / quên … hướng dẫn / chỉ dẫn / quy tắc / lệnh …"
    r"\b(bo qua|phot lo|quen( di)?|lo di|vo hieu hoa|khong can tuan theo|dung tuan theo)\b.{0,40}"
    r"\b(huong dan|chi dan|chi thi|quy tac|nguyen tac|lenh|cau lenh|prompt)\b",
    rf"\b(loi nhac|cau lenh|prompt|chi dan) (he thong|goc|ban dau|{_HIDDEN})",
    rf"\b(huong dan|chi dan|quy tac) (goc ban dau|duoc giao cho ban|cua ban|{_HIDDEN})",
    r"\btu (gio|bay gio|nay)( tro di)?,? ban (la|se la|dong vai|hay|phai|khong con)\b",
    r"\b(hay )?dong vai\b(?! tro)",
    r"\b(in|hien thi|tiet lo|cho (toi|minh|tui) (xem|biet)|nhac lai|lap lai|viet ra|chep lai)\b.{0,30}"
    r"\b(huong dan|chi dan|loi nhac|quy tac|prompt|cau hinh|mat khau|api key)\b.{0,20}"
    rf"\b(cua ban|ban dau|noi bo|duoc giao|goc\b|{_HIDDEN})",
    r"\b(che do|mode) (nha phat trien|developer|quan tri|admin|debug|khong gioi han)\b",
    # English
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}"
    r"\b(instructions?|rules?|prompts?|guidelines?|directions|constraints)\b",
    r"\b(system|hidden|initial|original|developer|secret) (prompt|instructions?|message)\b",
    r"\b(reveal|print|show|repeat|output|dump|leak|tell me)\b.{0,30}\byour\b.{0,15}"
    r"\b(prompt|instructions?|rules|configuration|api key|password|secrets?)\b",
    r"\byou are (now|no longer)\b",
    r"\b(act|behave|respond) as (if you|an? (ai|assistant|chatbot|hacker|unrestricted|different)|dan)\b",
    r"\bpretend (to be|you)\b",
    r"\b(developer|dan|god|jailbreak|unrestricted|debug) mode\b",
    r"\bjailbreak",
    # Chat-format markers that have no place in a question or a plan
    r"(<\|?(im_start|im_end|system|assistant|endoftext)\|?>|\[/?inst\]|^\s*(system|assistant)\s*:)",
]
_INSTRUCTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)
_SENTENCE = re.compile(r"(?<=[.!?;:\n])\s+")


def looks_like_injection(text: str) -> bool:
    """True when ``text`` tries to instruct the assistant rather than ask about the plans."""
    return bool(_INSTRUCTION.search(fold(text)))


def without_instructions(passage: str) -> str:
    """``passage`` without its sentences that address the assistant."""
    sentences = _SENTENCE.split(passage)
    kept = [s for s in sentences if not looks_like_injection(s)]
    return " ".join(kept) if len(kept) != len(sentences) else passage
