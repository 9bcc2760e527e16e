"""Terms for the lexical index, robust to missing diacritics and OCR damage.

Each text contributes three kinds of terms:

* folded syllables ("nhiem", "vu") — match questions typed without diacritics;
* folded underthesea words ("khoa_hoc") — reward phrases that belong together;
* consonant-skeleton bigrams ("s:nhm_v") — survive OCR that dropped accented vowels
  ("nhim vi" and "nhiệm vụ" share "nhm_v").
"""

from __future__ import annotations

from ingest.segment import WordSegmenter
from ingest.text import fold, skeleton, words

# Very common function words carry no signal and slow scoring. Written with their
# diacritics: a word typed with diacritics is a function word only if it is one of these
# ("trọng" and "thí" fold to the function words "trong" and "thì", but are content).
STOPWORDS_ACCENTED = frozenset(
    "và của các cho trong với là thì mà để những được có thể này đó khi tại từ theo về "
    "một như ra vào đến trên dưới hay hoặc bị sẽ đã đang cũng cái gì nào ai sao bao nhiêu".split()
)
# Folded, as indexed text and questions typed without diacritics have them, with English.
STOPWORDS = frozenset(
    {fold(w) for w in STOPWORDS_ACCENTED}
    | set("the what which who when is are of and to in for a an on by with does do".split())
)


def is_stopword(word: str) -> bool:
    """Whether ``word``, as typed, is a function word."""
    lower = word.lower()
    folded = fold(lower)
    return folded in STOPWORDS if lower == folded else lower in STOPWORDS_ACCENTED


# Sentence-final particles of casual questions ("… là gì vậy?", "… nhỉ"): never content.
PARTICLES = frozenset("vay nhi nhe ha a u day chu".split())


def analyze(text: str, segmenter: WordSegmenter | None = None, *, query: bool = False) -> list[str]:
    """Lexical terms of ``text``.

    For a query (``query=True``) skeleton bigrams that contain a function word are left
    out: "là gì" → "l_g" says nothing about the content, yet matches OCR debris in
    damaged tables ("l", "g" are common skeletons there) and outranks real matches.
    """
    syllables = [w for w in words(fold(text))]
    if query and len(syllables) > 2 and syllables[-1] in PARTICLES:
        syllables = syllables[:-1]
    terms = [w for w in syllables if w not in STOPWORDS]
    frames = [skeleton(w) for w in syllables]
    for (a, b), (fa, fb) in zip(zip(syllables, syllables[1:]), zip(frames, frames[1:]), strict=False):
        if not query or (a not in STOPWORDS and b not in STOPWORDS):
            terms.append(f"s:{fa}_{fb}")
    if segmenter is not None:
        for word in segmenter.segment(text):
            if "_" in word:
                parts = words(fold(word.replace("_", " ")))
                if len(parts) >= 2:
                    terms.append("w:" + "_".join(parts))
                if query and len(parts) >= 3:
                    # The segmenter glues a framing word onto a name ("mục Hạ tầng"):
                    # the name's own pairs must still match ("w:ha_tang").
                    terms.extend(f"w:{a}_{b}" for a, b in zip(parts, parts[1:], strict=False))
    return terms
