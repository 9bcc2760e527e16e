"""Extractive answers: the sentences of the best passages that cover the question.

Coverage also decides refusal: a question whose rare words are not in the passages is
not answered by them, however high the fused rank. Presence of a word is checked on
folded syllables and, for OCR-damaged text, on consonant-skeleton bigrams
("nhiệm vụ" ~ "nhim vi").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from index.analyze import is_stopword
from index.lexical import LexicalIndex
from ingest.text import fold, skeleton, words

# Single words that frame a question rather than ask about content. The syllables of a
# plan's name ("đề án", "kế hoạch", "nhân dân") are removed only as whole phrases below:
# alone they are content ("chủ đề", "trí tuệ nhân tạo", "hoàn thành").
_FRAMING_VI = (
    "ubnd kh ctr qđ đn tp của theo trong năm vậy à nhỉ không hãy biết cho hỏi xin mình tôi bạn gì nào ai "
    "sao bao nhiêu bao giờ khi lúc là có được sẽ phải cần muốn như thế cđs tới tw nq đà nẵng "
    # How citizens ask for a field or soften a question ("bên nào lo", "hạn chót … xong"):
    # these words ask; the plans never answer with them.
    "hạn chót xong lo bên ấy nhé hả ạ"
).split()
# The same, but only as typed with diacritics: folded they are content words ("nội vụ",
# "máy tính", "sáp nhập", "chung", "đo lường").
_FRAMING_VI_ACCENTED = "làm nghe nói sắp đó này chừng đứng mấy".split()
_FRAMING_EN = (
    "according plan city da nang what which who whom when where how much many does did is are "
    "was were will the a an of in on for to by under from and or this that its it there their "
    "programme program party committee action resolution document"
).split()
FRAMING = frozenset([fold(w) for w in _FRAMING_VI] + _FRAMING_EN)
# With diacritics typed, "cán" (bộ), "cơ" (quan), "lực", "hội", "minh" are not "cần", "có",
# "lúc", "hỏi", "mình": only the accented forms frame.
_FRAMING_TYPED = frozenset(_FRAMING_VI + _FRAMING_VI_ACCENTED + _FRAMING_EN)
# Document codes ("nq57", "57", "93") name the plan, not what is asked of it.
_DOC_CODE = re.compile(r"(nq|kh|ctr|qd)?\d{1,3}(nq|kh|ctr|tw)?")
# Phrases that name a plan or its subject; removed as a whole so that "số" in "kinh tế số"
# and "đề" in "chủ đề" stay.
FRAMING_PHRASES = (
    "chuyen doi so",
    "thuc hien nghi quyet so 57",
    "thuc hien nghi quyet 57",
    "nghi quyet so 57",
    "nghi quyet 57",
    "thuc hien nghi quyet",
    "nghi quyet",
    "57-nq/tw",
    "57 nq/tw",
    "nq57",
    "nq 57",
    "chuong trinh hanh dong",
    "ke hoach",
    "de an",
    "uy ban nhan dan",
    "thanh uy",
    "ban thuong vu",
    "thanh pho da nang",
    "thanh pho",
    "da nang",
)
# "mục tiêu"/"chỉ tiêu"/"tỷ trọng" say what kind of fact is asked: good search words (they
# head the target sections), but the target rows themselves rarely repeat them ("kinh tế
# số chiếm 35% GRDP").
NOT_REQUIRED_PHRASES = ("dat muc tieu", "de ra muc tieu", "muc tieu", "chi tieu", "ty trong")


def _outside_phrases(folded: list[str], phrases: tuple[str, ...]) -> list[bool]:
    """For each folded word, False when it belongs to one of ``phrases``, matched in order
    over the words earlier phrases left (as if each match were cut out of the text)."""
    keep = [True] * len(folded)
    for phrase in phrases:
        parts = words(phrase)
        for i in range(len(folded) - len(parts) + 1):
            if folded[i : i + len(parts)] == parts and all(keep[i : i + len(parts)]):
                keep[i : i + len(parts)] = [False] * len(parts)
    return keep


def _words_without(text: str, phrases: tuple[str, ...]) -> list[tuple[str, str]]:
    """The words of ``text`` (as typed, folded) without those of ``phrases``."""
    original = words(text)
    folded = [fold(w) for w in original]
    return [(w, f) for w, f, k in zip(original, folded, _outside_phrases(folded, phrases), strict=True) if k]


def _is_framing(word: str, folded: str) -> bool:
    """Whether ``word`` (as typed) only frames a question: typed with diacritics, only the
    accented framing words do ("trọng" is content, "trong" frames)."""
    lower = word.lower()
    return (lower in _FRAMING_TYPED) if lower != folded else (folded in FRAMING)


def _frames(word: str, folded: str) -> bool:
    return bool(_DOC_CODE.fullmatch(folded)) or _is_framing(word, folded)


def strip_framing_words(text: str) -> list[str]:
    """The words of ``text`` as typed (diacritics kept, so the word segmenter still sees
    "Chủ đề" as one word) without the words that only frame or name a plan."""
    original = words(text)
    folded = [fold(w) for w in original]
    outside = _outside_phrases(folded, FRAMING_PHRASES)
    return [w for w, f, k in zip(original, folded, outside, strict=True) if k and not _frames(w, f)]


_QUANTITY = re.compile(r"\bbao nhieu\b|\bmay\b|\bhow (many|much)\b|\bwhat (percentage|share|rate|proportion)|"
                       r"\bty (le|trong)\b|\bchi so\b|\bscore\b|\brate\b|\bshare\b|\bpercent")
_SENTENCE_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=[-–+•A-ZÀ-ỸĐ0-9])|\n|\s(?=[-–+•]\s)")
_MIN_SENTENCE = 25


@lru_cache(maxsize=1)
def _glossary() -> dict[str, list[str]]:
    text = resources.files("assistant").joinpath("data/glossary_en_vi.tsv").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = {}
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            en, _, vi = row.partition("\t")
            entries[en.strip().lower()] = [v.strip() for v in vi.split("|") if v.strip()]
    return entries


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, list[str]]:
    """Typed word or phrase (lower case, as written in the table) → what the plans write."""
    text = resources.files("assistant").joinpath("data/synonyms_vi.tsv").read_text(encoding="utf-8")
    entries: dict[str, list[str]] = {}
    for row in text.splitlines():
        if row.strip() and not row.startswith("#"):
            key, _, alternatives = row.partition("\t")
            entries[key.strip().lower()] = [v.strip() for v in alternatives.split("|") if v.strip()]
    return entries


def synonyms(typed: str) -> list[list[str]]:
    """Folded phrases the plans use for a word or phrase of a question. A word typed with
    diacritics must match them ("mở" is not "mô"); one typed without matches by folding."""
    lower = typed.lower()
    if lower != fold(lower):
        found = _synonyms().get(lower, [])
    else:
        found = [v for key, alts in _synonyms().items() if fold(key) == lower for v in alts]
    return [folded_phrase(v) for v in found]


def expand_english(question: str) -> list[list[str]]:
    """Vietnamese equivalents of the English terms in ``question``, longest terms first."""
    text = " " + " ".join(words(question.lower())) + " "
    found: list[list[str]] = []
    for term in sorted(_glossary(), key=len, reverse=True):
        if f" {term} " in text:
            found.append(_glossary()[term])
            text = text.replace(f" {term} ", " | ")
    return found


@dataclass
class QueryTerms:
    """Content words of a question, each a group of alternatives (folded word sequences)."""

    groups: list[list[list[str]]] = field(default_factory=list)
    # Adjacent content words of the question ("hà nội", "máy bay"): a passage that has the
    # syllables scattered but never together does not speak of the same thing.
    pairs: list[tuple[str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing but framing words was asked."""
        return not self.groups


def content_terms(question: str, language: str) -> QueryTerms:
    """What a passage must mention to answer ``question``."""
    terms = QueryTerms()
    if language == "en":
        for alternatives in expand_english(question):
            phrases = [folded_phrase(v) for v in alternatives]
            # "plan", "resolution", "programme" name the document, like their Vietnamese.
            if all(" ".join(p) in FRAMING_PHRASES or all(w in FRAMING for w in p) for p in phrases):
                continue
            terms.groups.append(phrases)
        glossed = {w for group in expand_english(question) for v in group for w in folded_phrase(v)}
        # Keep English tokens that can appear verbatim in Vietnamese text (acronyms, numbers).
        for word in words(question):
            w = fold(word)
            if (word.isupper() and len(word) >= 2) or any(c.isdigit() for c in word):
                if not _frames(word, w) and w not in glossed and not re.fullmatch(r"20\d\d", w):
                    terms.groups.append([[w]])
        # Vietnamese quoted inside an English question ("contactless (phi tiếp xúc)"); a
        # capital letter is not a diacritic.
        quoted = [w for w in words(question) if w.lower() != fold(w) and not is_stopword(w)]
        for i, word in enumerate(quoted):
            group = [[fold(word)]]
            if i + 1 < len(quoted):
                group.append([fold(word), fold(quoted[i + 1])])
            terms.groups.append(group)
        return terms
    typed_words = _words_without(question, FRAMING_PHRASES + NOT_REQUIRED_PHRASES)
    sequence = [folded for _, folded in typed_words]
    previous_content = -2
    for i, (typed, word) in enumerate(typed_words):
        if is_stopword(typed) or _is_framing(typed, word) or re.fullmatch(r"20\d\d", word) or len(word) < 2:
            continue
        if re.fullmatch(r"(nq|kh|ctr|qd)\d{1,3}|\d{1,3}(nq|kh|ctr|tw)", word):
            continue
        if previous_content == i - 1:
            terms.pairs.append((sequence[i - 1], word))
        previous_content = i
        # A word also counts as present when it appears with a neighbour by consonant
        # skeleton: OCR keeps "luàng" for "lường", and "đo lường" pins it down.
        group = [[word]]
        if i > 0:
            group.append([sequence[i - 1], word])
        if i + 1 < len(sequence):
            group.append([word, sequence[i + 1]])
        # "xài chung" is "dùng chung", "ATTT" is "an toàn thông tin" in the plans.
        group += synonyms(typed)
        if i + 1 < len(typed_words):
            group += synonyms(f"{typed} {typed_words[i + 1][0]}")
        terms.groups.append(group)
    return terms


def folded_phrase(text: str) -> list[str]:
    """Folded words of a phrase."""
    return words(fold(text))


@dataclass(frozen=True)
class TextProfile:
    """Folded syllables and skeleton bigrams of a text, for presence checks."""

    syllables: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    skeletons: frozenset[str]
    sequence: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> TextProfile:
        """Profile ``text``."""
        seq = tuple(words(fold(text.replace("%", " phần trăm "))))
        frames = [skeleton(w) for w in seq]
        return cls(frozenset(seq), frozenset(zip(frames, frames[1:], strict=False)), frozenset(frames), seq)

    def has(self, phrase: list[str]) -> bool:
        """True if the folded phrase occurs (exactly, or by consonant skeleton for OCR text)."""
        if not phrase:
            return False
        if len(phrase) == 1:
            word = phrase[0]
            if word in self.syllables:
                return True
            # One syllable: the OCR-damaged form shares its skeleton; only for distinctive frames.
            frame = skeleton(word)
            return len(frame) >= 3 and not word.isdigit() and frame in self.skeletons
        joined = " " + " ".join(self.sequence) + " "
        if " " + " ".join(phrase) + " " in joined:
            return True
        frames = [skeleton(w) for w in phrase]
        return all(pair in self.bigrams for pair in zip(frames, frames[1:], strict=False))

    def has_pair(self, first: str, second: str) -> bool:
        """Two folded words side by side (by skeleton only when the frames are distinctive)."""
        joined = " " + " ".join(self.sequence) + " "
        if f" {first} {second} " in joined:
            return True
        a, b = skeleton(first), skeleton(second)
        return len(a) + len(b) >= 4 and (a, b) in self.bigrams


def _phrase_weight(phrase: list[str], lexical: LexicalIndex) -> float:
    """How rare a phrase is: its rarest indexed word. Syllables the index leaves out as
    stopwords ("cơ", "đề") would count as unseen, the rarest of all, and must not."""
    if len(phrase) == 1:
        return lexical.idf(phrase[0])
    indexed = [w for w in phrase if w in lexical.vocab]
    return max(lexical.idf(w) for w in (indexed or phrase))


def coverage(terms: QueryTerms, profile: TextProfile, lexical: LexicalIndex) -> float:
    """Share of the question's content (weighted by rarity) that ``profile`` mentions."""
    if terms.empty:
        return 0.0
    total = covered = 0.0
    for group in terms.groups:
        weight = _phrase_weight(group[0], lexical)
        total += weight
        if any(profile.has(phrase) for phrase in group):
            covered += weight
    words_share = covered / total if total else 0.0
    if not terms.pairs:
        return words_share
    pair_total = pair_covered = 0.0
    for a, b in terms.pairs:
        weight = lexical.idf(a) + lexical.idf(b)
        pair_total += weight
        if profile.has_pair(a, b):
            pair_covered += weight
    return 0.5 * words_share + 0.5 * (pair_covered / pair_total if pair_total else 0.0)


def is_quantity_question(folded_question: str) -> bool:
    """Questions asking for a number need a number in the answer."""
    return bool(_QUANTITY.search(folded_question))


_MONEY_ASKED = re.compile(
    r"\bbao nhieu (tien|kinh phi|von|ty|trieu)|\b(tong|toan bo) (kinh phi|von|ngan sach|chi phi)"
    r"|\b(kinh phi|ngan sach|von|chi phi|tien)\b[^?]{0,30}\bbao nhieu\b|\bhow much (money|funding|budget)"
    r"|\b(total|overall) (budget|cost|funding|investment)|\bhow much\b[^?]{0,40}\b(cost|spend|budget|fund)"
)
# Matched on the passage as written: folded, "đồng" (VND) is also "đông", "động", "đồng bộ".
# "1 Tỷ lệ …" (a table row number before "tỷ lệ") and "đồng bộ" are not amounts.
_MONEY_FIGURE = re.compile(
    r"\d\s*(tỷ|tỉ|triệu|nghìn|ngàn|đồng|vnđ|vnd|usd)(?!\w)(?! (lệ|trọng|bộ|thời|hành|nghiệp|chí|ý|đều))"
    r"|\b(billion|million) (vnd|dong)"
)
_PERCENT_ASKED = re.compile(r"\bbao nhieu (phan tram|%)|\bwhat (percentage|percent)\b|\bhow many percent")
_PERCENT_FIGURE = re.compile(r"\d\s*(%|phan tram)|\bpercent")
# "bao nhiêu phòng thí nghiệm", "mấy sản phẩm": the count is written next to its noun.
_COUNT_ASKED = re.compile(r"\b(bao nhieu|may) (?!phan\b|tien\b|lan\b|nam\b|thang\b)([a-z][a-z0-9]+)\b")
_COUNT_NOUN_GAP = 3


def measure_check(folded_question: str):
    """A test a sentence must pass to state the measure asked for (money, a percentage, a
    count of a named thing), or ``None`` when the question asks for no particular measure.

    "Bao nhiêu tiền?" is not answered by a sentence with a percentage, nor "bao nhiêu trạm
    5G?" by a coverage rate: those are what the documents do not say.
    """
    if _MONEY_ASKED.search(folded_question):
        return lambda sentence: bool(_MONEY_FIGURE.search(sentence.lower()))
    if _PERCENT_ASKED.search(folded_question):
        return lambda sentence: bool(_PERCENT_FIGURE.search(fold(sentence)))
    count = _COUNT_ASKED.search(folded_question)
    if count and count.group(2) not in FRAMING:
        frame = skeleton(count.group(2))

        def counts_noun(sentence: str) -> bool:
            tokens = words(fold(sentence))
            for i, token in enumerate(tokens):
                if token.isdigit() and not re.fullmatch(r"(19|20)\d\d", token):
                    after = tokens[i + 1 : i + 1 + _COUNT_NOUN_GAP]
                    if any(t == count.group(2) or (len(frame) >= 2 and skeleton(t) == frame) for t in after):
                        return True
            return False

        return counts_noun
    return None


def split_sentences(text: str) -> list[str]:
    """Sentences and list items of a passage."""
    parts = [p.strip(" \t") for p in _SENTENCE_SPLIT.split(text)]
    merged: list[str] = []
    for part in parts:
        if not part:
            continue
        if merged and len(merged[-1]) < _MIN_SENTENCE:
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return merged


def locate(sentence: str, source: list[str], span: tuple[int, int]) -> tuple[int, int]:
    """The source lines (within ``span``) that hold ``sentence``; ``span`` if not found."""
    start, end = span
    tokens: list[tuple[str, int]] = []
    for number in range(start, end + 1):
        if 0 < number <= len(source):
            tokens.extend((w, number) for w in words(fold(source[number - 1])))
    target = words(fold(sentence))
    if not target or not tokens:
        return span
    flat = [w for w, _ in tokens]

    def find(needle: list[str], after: int = 0) -> int:
        n = len(needle)
        for i in range(after, len(flat) - n + 1):
            if flat[i : i + n] == needle:
                return i
        return -1

    head = find(target[: min(4, len(target))])
    if head < 0:
        return span
    tail = find(target[-min(4, len(target)) :], head)
    last = tail + min(4, len(target)) - 1 if tail >= 0 else min(len(flat) - 1, head + len(target) - 1)
    return (tokens[head][1], tokens[last][1])
