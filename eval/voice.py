"""Voice evaluation: the gold set's Vietnamese questions spoken by the TTS, transcribed by
the recogniser, asked, and scored like typed questions.

Prints the word error rate (against the words the TTS was given: numbers in words), the
share answered correctly by voice and typed, and the latency of speak and transcribe.
Synthetic speech is harder for Whisper than a person's voice, so WER here is pessimistic.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core import Assistant
from assistant.voice.service import Voice
from assistant.voice.speech_text import for_speech
from assistant.voice.spoken import written_question
from assistant.voice.stt import decode
from assistant.voice.tts import EspeakSpeaker
from eval.gold import GoldItem, load_gold
from eval.metrics import answer_correct, percentile, word_error_rate

VOICE_STYLES = ("vi", "vi_casual", "vi_voice")
QUESTION_RATE = 130  # words per minute: someone asking slowly and clearly


@dataclass
class VoiceItem:
    """One spoken question."""

    item: GoldItem
    said: str
    heard: str
    asked: str
    edits: int
    words: int
    correct: bool
    typed_correct: bool
    audio_s: float
    speak_ms: float
    transcribe_ms: float


@dataclass
class VoiceReport:
    """All spoken questions."""

    items: list[VoiceItem] = field(default_factory=list)

    @property
    def wer(self) -> float:
        """Corpus word error rate."""
        return sum(i.edits for i in self.items) / max(1, sum(i.words for i in self.items))


def evaluate_voice(assistant: Assistant, voice: Voice, gold_path: Path) -> VoiceReport:
    """Speak, transcribe and ask every answerable Vietnamese gold question."""
    report = VoiceReport()
    voice.warm_up()
    asker = EspeakSpeaker(voice.speaker.voice, QUESTION_RATE)
    items = [i for i in load_gold(gold_path) if i.style in VOICE_STYLES and i.answerable]
    for item in items:
        said = for_speech(item.question)
        started = time.perf_counter()
        wav = asker.speak(item.question)
        speak_ms = (time.perf_counter() - started) * 1000
        samples = decode(wav, 600)
        started = time.perf_counter()
        heard = voice.transcribe(samples).text
        transcribe_ms = (time.perf_counter() - started) * 1000
        asked = written_question(heard)
        answer = assistant.ask(asked) if asked.strip() else None
        typed = assistant.ask(item.question)
        edits, words = word_error_rate(said, heard)
        report.items.append(
            VoiceItem(
                item=item,
                said=said,
                heard=heard,
                asked=asked,
                edits=edits,
                words=words,
                correct=answer is not None and answer_correct(item, answer.answer, answer.refused),
                typed_correct=answer_correct(item, typed.answer, typed.refused),
                audio_s=len(samples) / 16_000,
                speak_ms=speak_ms,
                transcribe_ms=transcribe_ms,
            )
        )
    return report


def format_voice_report(report: VoiceReport, *, verbose: bool = False) -> str:
    """The printed table."""
    n = len(report.items)
    if not n:
        return "Không có câu hỏi tiếng Việt trong tệp gold / no Vietnamese questions in the gold file"
    transcribe = [i.transcribe_ms / 1000 for i in report.items]
    speak = [i.speak_ms for i in report.items]
    audio = [i.audio_s for i in report.items]
    lines = [
        f"Voice evaluation: {n} Vietnamese questions, spoken by espeak-ng, heard by Whisper base",
        f"  word error rate              {report.wer:.3f}",
        f"  answered correctly by voice  {sum(i.correct for i in report.items) / n:.3f}",
        f"  answered correctly typed     {sum(i.typed_correct for i in report.items) / n:.3f}",
        f"  audio length p50             {percentile(audio, 50):.1f} s",
        f"  transcribe p50 / p95         {percentile(transcribe, 50):.2f} s / {percentile(transcribe, 95):.2f} s"
        f"  (real-time factor {sum(transcribe) / max(1e-9, sum(audio)):.2f})",
        f"  speak p50 / p95              {percentile(speak, 50):.0f} ms / {percentile(speak, 95):.0f} ms",
    ]
    if verbose:
        for i in report.items:
            mark = "✓" if i.correct else "✗"
            lines.append(f"  {mark} {i.item.id} WER {i.edits}/{i.words}\n      said:  {i.said}\n      heard: {i.heard}\n      asked: {i.asked}")
    return "\n".join(lines)
