"""Repair OCR-damaged Vietnamese: restore syllables from their consonant frame and context.

Two of the plans came out of OCR with lost or garbled diacritics: "nhim vi" for "nhiệm
vụ", "kjch bàn" for "kịch bản", "h9c" for "học". The consonants survive, the vowels and
tones do not. For each damaged word the candidates are the known syllables with the same
consonant frame; a bigram model of clean plan text (``ingest/data/lexicon.tsv``, built by
``scripts/build_lexicon.py``) and the similarity of the letters that remain choose among
them, by Viterbi over each paragraph. Words with no candidate are kept as written.

Only documents that look damaged are repaired (share of unknown syllables), and only
their display/search text: citations always quote the source lines verbatim.
"""

from __future__ import annotations

import importlib.util
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz

from ingest.text import fold

# A word; OCR reads "ở"/"ố" as "&" ("S&", "thành ph&") and "ờ" as "?" ("Th?i"), so those
# count as letters inside a lower-case word ("KH&CN", "R&D" and a final "?" are not).
# A word may hold OCR marks: "&" and "?" for a capped or hooked "o" ("S&", "Th?i"), and an
# apostrophe after "o"/"u" for the horn of "ơ"/"ư" ("ho'n" hơn, "phuo'ng" phường, "so'" sở).
_TOKEN = re.compile(
    r"[0-9A-Za-zÀ-ỹĐđ]+(?:(?:(?<![A-Z]{2})&(?![A-ZĐ])|\?(?=[a-zà-ỹđ])|(?<=[oOuU])['’])[0-9A-Za-zÀ-ỹĐđ]*)*"
)
_VOWELS = set("aeiouy")
# OCR letters and digits standing for vowels: "h9c" học, "s6" số, "kjch" kịch, "ngwói" người.
_OCR_VOWELS = str.maketrans({"0": "o", "9": "o", "6": "o", "3": "e", "j": "i", "w": "u", "1": "i"})
_MAX_CANDIDATES = 24
_HORN = re.compile("[ơờớởỡợưừứửữự]")
# Onset, vowel cluster and final consonant of a Vietnamese syllable, diacritics folded.
_SYLLABLE_SHAPE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
# How many unknown syllables make a document "damaged".
DAMAGED_SHARE = 0.08
_ALPHA = 2.0  # bigram smoothing towards the unigram distribution
_CHANNEL_WEIGHT = 4.0
# Extra cost of replacing a token that is itself a known syllable.
_KEEP_KNOWN = 1.5
# A dictionary entry counts for this much of one occurrence in clean plan text.
_DICTIONARY_WEIGHT = 0.1
# General written Vietnamese (news, legal) counts for this much of the plans' own text.
_NEWS_WEIGHT = 0.3


@dataclass(frozen=True)
class Lexicon:
    """Syllable and bigram counts of clean text."""

    unigrams: dict[str, float]
    bigrams: dict[tuple[str, str], float]
    left_totals: dict[str, float]
    left_types: dict[str, int]  # how many different words follow each word
    by_frame: dict[str, list[str]]
    total: float

    def p_unigram(self, word: str) -> float:
        return (self.unigrams.get(word, 0) + 0.1) / (self.total + 0.1 * len(self.unigrams))

    def log_p(self, prev: str | None, word: str) -> float:
        unigram = self.p_unigram(word)
        if prev is None:
            return math.log(unigram)
        count = self.bigrams.get((prev, word), 0)
        # Witten-Bell: a word followed by many different words ("và", "vụ") leaves more
        # room for an unseen follower than one that nearly always takes the same ("dịch").
        alpha = _ALPHA + self.left_types.get(prev, 0)
        return math.log((count + alpha * unigram) / (self.left_totals.get(prev, 0) + alpha))


def frame(folded_word: str) -> str:
    """Consonant frame of a folded word after OCR vowel look-alikes are mapped."""
    word = folded_word.translate(_OCR_VOWELS)
    return "".join(c for c in word if c.isalpha() and c not in _VOWELS)


def _underthesea_file(*parts: str) -> Path | None:
    # find_spec locates the package without importing it (importing underthesea takes seconds).
    spec = importlib.util.find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    return path if path.is_file() else None


def _news_sentences() -> list[list[str]]:
    """Sentences of the VLSP 2013 test text shipped with underthesea's POS model (≈ 100k
    words of news and legal Vietnamese), as lower-case syllables."""
    path = _underthesea_file("pipeline", "pos_tag", "models", "pos_crf_vlsp2013_20230303", "test_output.txt")
    if path is None:
        return []
    sentences: list[list[str]] = [[]]
    for row in path.read_text(encoding="utf-8").splitlines():
        if not row.strip():
            sentences.append([])
            continue
        word = row.split("\t", 1)[0].lower()
        sentences[-1].extend(w for w in word.split() if w.isalpha())
    return [s for s in sentences if s]


def _dictionary_words() -> list[str]:
    """underthesea's Vietnamese word list (74K words, shipped in its wheel), if present."""
    path = _underthesea_file("corpus", "data", "Viet74K.txt")
    return path.read_text(encoding="utf-8").splitlines() if path else []


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Counts from clean plan text (``lexicon.tsv``) plus a small count per dictionary syllable.

    The plans' own language decides; the dictionary only supplies syllables the clean plans
    never use ("kịch"). Its word pairs are left out: measured on the dev set, they pulled
    common phrases towards dictionary compounds ("bệnh viện sĩ" for "bệnh viện số").
    """
    text = resources.files("ingest").joinpath("data/lexicon.tsv").read_text(encoding="utf-8")
    unigrams: dict[str, float] = {}
    bigrams: dict[tuple[str, str], float] = {}
    dictionary = [[w for w in entry.lower().split() if w.isalpha()] for entry in _dictionary_words()]
    vietnamese = {w for entry in dictionary for w in entry}
    for sentence in _news_sentences():
        # Only Vietnamese syllables: the news text quotes English names ("Open").
        sentence = [w for w in sentence if w in vietnamese]
        for word in sentence:
            unigrams[word] = unigrams.get(word, 0) + _NEWS_WEIGHT
        for pair in zip(sentence, sentence[1:], strict=False):
            bigrams[pair] = bigrams.get(pair, 0) + _NEWS_WEIGHT
    for syllables in dictionary:
        for word in syllables:
            unigrams[word] = unigrams.get(word, 0) + _DICTIONARY_WEIGHT
    for row in text.splitlines():
        if row.startswith("#") or not row.strip():
            continue
        kind, key, count = row.split("\t")
        if kind == "1":
            unigrams[key] = unigrams.get(key, 0) + int(count)
        else:
            a, b = key.split(" ")
            bigrams[(a, b)] = bigrams.get((a, b), 0) + int(count)
    left: dict[str, float] = {}
    types: dict[str, int] = {}
    for (a, _), count in bigrams.items():
        left[a] = left.get(a, 0) + count
        types[a] = types.get(a, 0) + 1
    by_frame: dict[str, list[str]] = {}
    for word in unigrams:
        # Only Vietnamese syllables are candidates: the dictionary also lists loanwords
        # ("mica", "bida") and the news text abbreviations ("usd"), which OCR noise matched.
        if _SYLLABLE_SHAPE.fullmatch(fold(word)):
            by_frame.setdefault(frame(fold(word)), []).append(word)
    return Lexicon(unigrams, bigrams, left, types, by_frame, sum(unigrams.values()))


def damaged_share(text: str, lexicon: Lexicon | None = None) -> float:
    """Share of alphabetic tokens that are not known syllables."""
    lexicon = lexicon or load_lexicon()
    tokens = [t.lower() for t in _TOKEN.findall(text) if not t.isdigit()]
    if not tokens:
        return 0.0
    return sum(t not in lexicon.unigrams for t in tokens) / len(tokens)


def _readings(token: str) -> set[str]:
    """Letter strings a lower-case OCR token may stand for, diacritics folded."""
    # "ç" is an OCR reading of a hooked or capped "o" ("hçp" hợp, "duçic" được), as are
    # "&" and "?" inside a word ("S&" Sở, "Th?i" Thời).
    base = fold(re.sub(r"[ç&?]", "o", token.replace("'", "").replace("’", "")))
    readings = {base, base.translate(_OCR_VOWELS)}
    readings.add(base[:1] + base[1:].replace("l", "i"))  # "dla" for "địa"
    readings.add(base.replace("rn", "m"))  # "narn" for "năm"
    readings.add(base.replace("1", "l"))  # "1iu" for "liệu"
    # No Vietnamese syllable has "b", "d" or "q" after its first letter: there they are
    # a capped or hooked vowel ("qudc" quốc, "sb" số, "ddi" đổi, "hqp" hợp); "ii" is a
    # "ụ"/"ư" ("miic" mục, "diing" dụng) and "ith" an "ươ" ("nithc" nước).
    vowels = re.sub(r"(?<=[a-z])ith", "uo", re.sub(r"(?<=[a-z])[bdq]", "o", base.replace("ii", "u")))
    readings.add(vowels)
    # The hook of "ư" read as "r": after a vowel ("chirc", "dfr"), or straight after the
    # first consonant, where no "r" can stand ("sr" sự, "chrc" chức, "drng" dựng).
    for reading in (base, vowels):
        hooked = re.sub(r"(?<=[a-z])[fi1]r", "u", reading)
        readings.add(re.sub(r"^([bcdghklmnpqsvx]h?)r", r"\1u", hooked))
    if not any(c in _VOWELS for c in base) and base.endswith("n"):
        readings.add(base[:-1] + "ri")  # "tn" for "trì": "rì" read as one "n"
    if re.match(r"p(?!h)", base):
        readings.add("d" + base[1:])  # "Đ" read as "P": "Pảng", "Pén"
    return readings


def _candidates(token: str, lexicon: Lexicon) -> list[tuple[str, float]]:
    """(syllable, channel log-score) for a lower-case token."""
    folded = fold(token.replace("'", "").replace("’", ""))
    readings = _readings(token)
    # An apostrophe after "o"/"u" is the horn of "ơ"/"ư" that OCR split off.
    horned = bool(re.search(r"[ou]['’]", token))
    options = sorted({w for r in readings for w in lexicon.by_frame.get(frame(r), [])})
    # A token that is itself a common syllable of clean plans is more often right than
    # misread; a rare one ("thiu", "lôm") is more often a damaged common word.
    keep_bias = _KEEP_KNOWN * min(1.0, lexicon.unigrams.get(token, 0) / 40.0)
    scored: list[tuple[str, float]] = []
    for word in options:
        similarity = max(fuzz.ratio(r, fold(word)) for r in readings) / 100.0
        if word == token:
            similarity = 1.0
        elif fold(word) == folded:
            similarity = max(similarity, 0.9)  # same letters, only the tone marks differ
        if horned:
            # The horn the apostrophe stands for: present, or missing from the candidate.
            has_horn = bool(_HORN.search(word))
            similarity = 1.0 if has_horn and fold(word) == folded else similarity * (1.0 if has_horn else 0.8)
        # Short words lose a whole vowel to OCR ("vi" for "vụ", "si" for "số"): the frame
        # and the language model decide; long words must also look alike.
        if similarity < (0.6 if len(folded) >= 4 else 0.34):
            continue
        channel = _CHANNEL_WEIGHT * math.log(similarity)
        if word != token:
            channel -= keep_bias
        scored.append((word, channel))
    if token in lexicon.unigrams and all(w != token for w, _ in scored):
        scored.append((token, 0.0))
    scored.sort(key=lambda c: -(c[1] + 0.5 * math.log(lexicon.p_unigram(c[0]))))
    return scored[:_MAX_CANDIDATES]


def _unglue(token: str) -> str:
    """Two words glued by OCR ("ChuIdê" for "Chủ đề", "Co'quan" for "Cơ quan"): split before an
    inner capital or after a horn apostrophe, but only when the whole token is no known word
    and both halves are."""
    for i in range(1, len(token) - 1):
        # After a horn apostrophe a new syllable starts when a consonant and a vowel follow
        # ("Co'quan"); a bare ending ("ho'n", "phuo'ng") or a vowel ("tru'ong") is the same word.
        right = fold(token[i + 1 :]).lower()
        if token[i] in "'’" and re.match(r"[b-df-hj-np-tv-z]+[aeiouy]", right):
            left = token[: i + 1]
            if _cached_candidates(left.lower()) and _cached_candidates(token[i + 1 :].lower()):
                return f"{left} {_unglue(token[i + 1 :])}"
    inner = [i for i in range(1, len(token) - 1) if token[i].isupper() and token[i - 1].islower()]
    if not inner or _cached_candidates(token.lower()):
        return token
    for i in inner:
        left, right = token[:i], token[i:]
        if _cached_candidates(left.lower()) and _cached_candidates(right.lower()):
            return f"{left} {right}"
    return token


@lru_cache(maxsize=50_000)
def _cached_candidates(token: str) -> list[tuple[str, float]]:
    return _candidates(token, load_lexicon())


def _restore_case(original: str, word: str) -> str:
    if word == original.lower():
        return original  # unchanged word: keep its printed case ("DanangChain")
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


# Names and measures that mix digits and letters: "IPv6", "5G", "4G", "1Gbps", "5km2".
_KEEP = re.compile(r"[A-Z]{2,}[a-z]?\d+|\d+[A-Z]+\d*|\d+(?:km|m|ha|kW|MW|GB|TB|Mbps|Gbps|km2|m2)\d*")


# Whole-phrase misreadings too damaged for the syllable model: "Tỷ lệ", which opens most
# target-table rows, is printed "T 1", "T' l", "Tr 1", "T)1".
_PHRASE_FIXES = ((re.compile(r"\bT(?:[yỷ]|r\s|['’)]\s*|\s)\s*[1lI!]\s+(?=[a-zà-ỹđ])"), "Tỷ lệ "),)


# What may stand between two words of one phrase: spaces, line breaks (a paragraph's lines
# are one text) and commas. Numbers, other punctuation and unrepairable words end it.
_GAP = re.compile(r"[\s,]*")


def repair_text(text: str, lexicon: Lexicon | None = None) -> str:
    """``text`` with damaged syllables replaced by their most likely clean form."""
    lexicon = lexicon or load_lexicon()
    for pattern, replacement in _PHRASE_FIXES:
        text = pattern.sub(replacement, text)
    text = _TOKEN.sub(lambda m: _unglue(m.group(0)), text)
    matches = list(_TOKEN.finditer(text))
    if not matches:
        return text
    # Viterbi over each phrase (see _GAP).
    lattice: list[list[tuple[str, float]] | None] = []
    for match in matches:
        token = match.group(0)
        letters = [c for c in token if c.isalpha()]
        # Numbers and short capitalised abbreviations (TP, UBND, AI) are not words to repair.
        # Acronyms with a version number ("IPv6", "TPv6") are names, not damaged words.
        # A single letter before ")" numbers a list item ("đ)", "h)").
        list_item = len(token) == 1 and text[match.end() : match.end() + 1] == ")"
        if not letters or list_item or (2 <= len(token) <= 4 and token.isalpha() and token.isupper()) or _KEEP.fullmatch(token):
            lattice.append(None)
            continue
        options = _cached_candidates(token.lower())
        lattice.append(options or None)
    choices: list[str | None] = [None] * len(matches)
    chain: list[int] = []
    for i, options in enumerate(lattice + [None]):
        if options is not None and chain and _GAP.fullmatch(text[matches[chain[-1]].end() : matches[i].start()]):
            chain.append(i)
            continue
        if chain:
            for j, word in zip(chain, _viterbi([lattice[j] for j in chain], lexicon), strict=True):  # type: ignore[misc]
                choices[j] = word
        chain = [i] if options is not None else []
    out: list[str] = []
    last = 0
    for match, choice in zip(matches, choices, strict=True):
        out.append(text[last : match.start()])
        out.append(_restore_case(match.group(0), choice) if choice else match.group(0))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def _viterbi(lattice: list[list[tuple[str, float]]], lexicon: Lexicon) -> list[str]:
    best: list[dict[str, tuple[float, str | None]]] = []
    first = {w: (channel + lexicon.log_p(None, w), None) for w, channel in lattice[0]}
    best.append(first)
    for options in lattice[1:]:
        column: dict[str, tuple[float, str | None]] = {}
        previous = best[-1]
        # Most pairs were never seen: their score is the previous word's score plus its
        # back-off weight plus the word's unigram, so the best unseen predecessor is the same
        # for every word. Only seen pairs need their own bigram (same result, ~20× faster).
        backoff: list[tuple[float, str]] = []
        for prev, (prev_score, _) in previous.items():
            alpha = _ALPHA + lexicon.left_types.get(prev, 0)
            backoff.append((prev_score + math.log(alpha / (lexicon.left_totals.get(prev, 0) + alpha)), prev))
        order = sorted(range(len(backoff)), key=lambda i: -backoff[i][0])
        for word, channel in options:
            log_unigram = math.log(lexicon.p_unigram(word))
            score, back = -math.inf, None
            for prev, (prev_score, _) in previous.items():
                if lexicon.bigrams.get((prev, word)):
                    value = prev_score + lexicon.log_p(prev, word)
                    if value > score:
                        score, back = value, prev
            for i in order:
                unseen_score, prev = backoff[i]
                if not lexicon.bigrams.get((prev, word)):
                    if unseen_score + log_unigram > score:
                        score, back = unseen_score + log_unigram, prev
                    break
            column[word] = (score + channel, back)
        best.append(column)
    word = max(best[-1].items(), key=lambda kv: kv[1][0])[0]
    path = [word]
    for column in reversed(best[1:]):
        word = column[word][1]  # type: ignore[assignment]
        path.append(word)
    return list(reversed(path))
