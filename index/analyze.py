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

# Very common function words carry no signal and slow scoring.
STOPWORDS = frozenset(
    "va cua cac cho trong voi la thi ma de nhung duoc co the nay do khi tai tu theo ve "
    "mot nhu ra vao den tren duoi hay hoac bi se da dang cung cai gi nao ai sao bao nhieu "
    "the what which who when is are the of and to in for a an on by with does do".split()
)


def analyze(text: str, segmenter: WordSegmenter | None = None) -> list[str]:
    """Lexical terms of ``text``."""
    syllables = [w for w in words(fold(text))]
    terms = [w for w in syllables if w not in STOPWORDS]
    frames = [skeleton(w) for w in syllables]
    terms.extend(f"s:{a}_{b}" for a, b in zip(frames, frames[1:], strict=False))
    if segmenter is not None:
        for word in segmenter.segment(text):
            if "_" in word:
                folded = "_".join(words(fold(word.replace("_", " "))))
                if folded.count("_") >= 1:
                    terms.append(f"w:{folded}")
    return terms
