"""The assistant's one core: understand the question, pick the answer path, cite.

Paths, in order: facts about a document (signer, number, date) from its metadata; a
task named by reference ("nhiệm vụ 5b"); a list of tasks an agency leads; a task found
by retrieval when the question asks who/when; otherwise an extractive answer from the
best passages, or a refusal when the passages do not cover the question.
The HTTP API and the CLI both call :class:`Assistant`.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Generator as Generator_
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant import errors, render
from assistant.citations import CitationList
from assistant.documents import STRONG_NAMING, recency_key, resolve_documents
from assistant.generation import Busy, Generator
from assistant.grounding import CitationFilter, check
from assistant.injection import looks_like_injection, without_instructions
from assistant.llm.base import LLMError
from assistant.prompts import Passage
from assistant.extractive import (
    TextProfile,
    content_terms,
    coverage,
    expand_english,
    is_quantity_question,
    locate,
    measure_check,
    split_sentences,
    strip_framing_words,
)
from assistant.listing import asks_for_enumeration, list_request
from assistant.query import Intent, Query, analyze_query
from assistant.sessions import SessionStore, Turn, carry_over, repeats_previous_question
from assistant.render import phrase
from assistant.structured import (
    filter_targets,
    filter_tasks,
    month_end,
    section_titles_named,
    tasks_by_ref,
)
from index.search import DENSE_WEIGHT, HybridSearcher, SearchHit
from index.store import IndexData, passage_text
from ingest.agencies import find_agencies
from ingest.records import DocumentMeta, TargetRecord, TaskRecord
from ingest.signature import names_a_person
from ingest.text import fold, strip_diacritics

log = logging.getLogger(__name__)

# Below this share of the question's rare words, the passages do not answer it. English
# questions are matched through a glossary that cannot translate every word: lower bar.
MIN_COVERAGE = {"vi": 0.6, "en": 0.45}
# Repaired OCR text still misses some of the words it has: coverage reads low there.
OCR_COVERAGE_DISCOUNT = 0.1
# A retrieved task answers a who/when question only if it covers the question this well.
MIN_TASK_COVERAGE = 0.5
# Below the top three, a task must cover nearly all of the question.
MIN_TASK_COVERAGE_DEEP = 0.8
ANSWER_PASSAGES = 5
# Dense weight for Vietnamese typed without diacritics (the embedding model reads it poorly).
DENSE_WEIGHT_PLAIN = 0.1
# How much a passage's retrieval rank counts against its sentences' coverage.
RANK_PENALTY = 0.1
# What the model reads: a few sentence-sized passages. Prompt processing runs at about
# 45 tokens/s on two cores, so every 100 characters cost about 0.8 s before the first token.
GENERATION_PASSAGES = 3
GENERATION_PASSAGE_CHARS = 320
GENERATION_TOTAL_CHARS = 800

_SIGNER = re.compile(
    r"\bsign(ed|er|atory|s)?\b|\bai ky\b|\bnguoi ky\b|\bky (ban hanh|van ban|ke hoach|chuong trinh|de an)\b"
    r"|\bky boi\b|\bda ky\b|\bky ten\b"
)
_NUMBER = re.compile(
    r"so hieu|so van ban|so ky hieu|document number|reference number|\bnumber(ed)? and\b|\bits number\b"
    r"|\bnumber of (the|this|that) (plan|scheme|programme|program|document|decision)\b"
    r"|\b(quyet dinh|ke hoach|van ban|de an|chuong trinh|nghi quyet) so (bao nhieu|may|gi)\b"
)
_DATE = re.compile(
    r"issue date|date of issue|issued on|when was .{0,60}(issued|adopted|promulgated)|ngay ban hanh"
    r"|ban hanh (vao )?(ngay|khi) nao|ban hanh ngay|ban hanh luc nao"
)
# Questions for a figure: "bao nhiêu", "tỷ lệ", "how many", "what … target …".
_ASKS_FOR_TARGET = re.compile(
    r"\bbao nhieu\b|\bty (le|trong)\b|\btarget\b|\bhow (many|much)\b|\bwhat (percentage|share|rate)"
    r"|\bphan tram\b|\bpercent|\bdat (muc )?bao nhieu\b"
)
_ASKS_FOR_PERSON = re.compile(
    r"\bai la\b|\bla ai\b|\bwho (is|was|are)\b|\bten (cua )?(ong|ba|nguoi)\b"
    r"|\bwhich (vice[- ])?(chairman|chairwoman|chair|director|secretary|leader|official)\b"
    r"|\b(pho chu tich|chu tich|giam doc|bi thu|lanh dao) nao\b"
    r"|\bai (lam|giu chuc|dung dau) (truong|pho|giam doc|chu tich|bi thu)|\b(truong ban|giam doc|chu tich|bi thu) la ai\b"
)
# The office a person question asks about, and how a passage names it: "Who is the director
# of …" is not answered by the signer's name under "PHÓ CHỦ TỊCH".
_OFFICES = (
    (re.compile(r"\bvice[- ]chair|\bpho chu tich"), re.compile(r"\bpho chu tich\b|\bpct\b")),
    (re.compile(r"(?<!vice )(?<!vice-)\bchair(man|woman)?\b|(?<!pho )\bchu tich\b"), re.compile(r"(?<!pho )\bchu tich\b")),
    (re.compile(r"\bdirector\b|\bgiam doc\b"), re.compile(r"\bgiam doc\b")),
    (re.compile(r"\bsecretary\b|\bbi thu\b"), re.compile(r"\bbi thu\b")),
    (re.compile(r"\btruong ban\b|\bhead of the\b"), re.compile(r"\btruong ban\b")),
)
_ASKS_FOR_YEAR = re.compile(r"\b(den|tu|vao|trong)? ?nam nao\b|\bwhat year\b|\bwhich year\b|\bin what year\b")
_ASKS_FOR_ITEMS = re.compile(r"\bnhung \w+( \w+)? nao\b|\bcac \w+( \w+)? nao\b|\bliet ke\b|\bgom (nhung )?gi\b|\bwhich\b|\bwhat are\b")
_LEADING_NUMBER = re.compile(r"^\W*(\d{1,2}(\.\d{1,2})*\.?|[a-zđ]\))\s")
_INLINE_LEAD = re.compile(r"([^,.;:\n]{3,90}?)\s+ch[a-z]{0,2}\s+tr[a-z]{0,2}\b")


@dataclass
class Answer:
    """The body of ``POST /api/chat`` (DESIGN.md)."""

    answer: str
    refused: bool
    mode: str
    session_id: str
    language: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # What happened to generation: "generated", "off", "not_needed", "busy", "failed",
    # "rejected" (an addition to DESIGN.md's body, for clients and logs).
    generation: str = "off"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, field order as documented."""
        return {
            "answer": self.answer,
            "refused": self.refused,
            "mode": self.mode,
            "session_id": self.session_id,
            "language": self.language,
            "citations": self.citations,
            "timings_ms": self.timings_ms,
            "generation": self.generation,
        }


@dataclass
class _Generated:
    status: str
    text: str | None = None
    citations: list[dict[str, Any]] = field(default_factory=list)
    streamed: bool = False  # pieces reached the client (a rejected answer is replaced by "done")


@dataclass(frozen=True)
class Evidence:
    """A sentence an extractive answer rests on, for the model to read."""

    text: str
    doc_id: str
    section: str
    lines: tuple[int, int]
    page: int | None


@dataclass
class _Draft:
    text: str
    refused: bool
    mode: str
    citations: CitationList
    shows_source_text: bool = True  # the answer repeats the documents' wording
    evidence: list[Evidence] = field(default_factory=list)  # what generation may rephrase


class Assistant:
    """Answers questions over one loaded index version."""

    def __init__(
        self,
        data: IndexData,
        searcher: HybridSearcher,
        sessions: SessionStore | None = None,
        generator: Generator | None = None,
    ) -> None:
        self.data = data
        self.searcher = searcher
        self.sessions = sessions
        self.generator = generator
        self._task_by_key = {(t.doc_id, t.section): t for t in data.tasks}
        self._target_by_key = {(t.doc_id, t.section): t for t in data.targets}

    # ----- public API -------------------------------------------------------------------
    def ask(self, question: str, session_id: str | None = None) -> Answer:
        """Answer one question (already validated: non-empty, not too long)."""
        for event in self.ask_stream(question, session_id):
            if isinstance(event, Answer):
                return event
        raise AssertionError("ask_stream ends with an Answer")

    def ask_stream(self, question: str, session_id: str | None = None) -> Iterator[str | Answer]:
        """Pieces of the answer text as they are ready, then the final :class:`Answer`.

        The final answer is authoritative: when a generated answer fails its checks after
        it was streamed, the final body carries the extractive answer instead.
        """
        started = time.perf_counter()
        query = analyze_query(question)
        session_id = session_id or uuid.uuid4().hex
        previous = self.sessions.get(session_id) if self.sessions else None
        matches = resolve_documents(query.folded, self.data.documents)
        named = [m.doc_id for m in matches]
        if previous is not None and repeats_previous_question(query, named, previous):
            language = query.language
            query = analyze_query(previous.question)
            query.language = language  # answer in the language of the follow-up
        named = carry_over(query, named, previous)
        timings: dict[str, float] = {"retrieve": 0.0, "generate": 0.0}
        draft = self._answer(query, named, timings)
        if (
            draft.refused
            and draft.mode != "structured"  # a plan's own facts (its number, signer) stay its own
            and matches
            and all(m.score < STRONG_NAMING for m in matches)
        ):
            # Named only by its kind ("đề án …"): when that plan does not answer, another
            # may; the answer says which plan it is from.
            unscoped = self._answer(query, [], timings)
            if not unscoped.refused:
                draft = unscoped
        instructed = looks_like_injection(question)
        if instructed and draft.mode != "structured":
            # Text that tries to instruct the assistant never reaches the model; unless it
            # also asked something the records answer exactly, it is told what it can ask.
            draft = _Draft(phrase(query.language, "not_instructions"), True, "extractive", CitationList(self.data))
        text, mode, citations, status = draft.text, draft.mode, draft.citations.to_list(), "off"
        note = ""
        if not draft.refused and draft.shows_source_text and self._repaired(citations):
            note = "\n" + phrase(query.language, "ocr_note")
        if self.generator is None:
            yield text + note
        elif draft.mode != "extractive" or draft.refused or not draft.evidence or instructed or asks_for_enumeration(query.folded):
            # Structured and refused answers never wait for the model; nor do enumerations,
            # where the small model drops or repeats items of damaged text (measured on dev).
            status = "not_needed"
            yield text + note
        else:
            generated = yield from self._generate(query, draft, timings)
            status = generated.status
            if generated.text is not None:
                text, citations, mode = generated.text, generated.citations, "generated"
                if note:
                    yield note
            elif not generated.streamed:
                yield text + note
        if self.sessions is not None:
            cited = [c["doc"] for c in citations[:1]]
            self.sessions.put(
                session_id,
                Turn(
                    doc_ids=named or cited,
                    task_ref=list(query.task_ref) if query.task_ref else None,
                    intents=sorted(i.value for i in query.intents),
                    question=query.text,
                    cited_task=next(
                        (c["section"].split(".") for c in citations if (c["doc"], c["section"]) in self._task_by_key), None
                    ),
                    asked=question,
                    answer=text + note,
                    citations=citations,
                ),
            )
        timings["total"] = round((time.perf_counter() - started) * 1000, 1)
        timings["retrieve"] = round(timings["retrieve"], 1)
        timings["generate"] = round(timings["generate"], 1)
        yield Answer(
            answer=text + note,
            refused=draft.refused,
            mode=mode,
            session_id=session_id,
            language=query.language,
            citations=citations,
            timings_ms=timings,
            generation=status,
        )

    def _generate(self, query: Query, draft: _Draft, timings: dict[str, float]) -> Generator_[str, None, _Generated]:
        """Stream a generated answer over the draft's evidence; the result says whether it
        stands or the extractive draft does (busy, failure, rejected)."""
        assert self.generator is not None
        citations = CitationList(self.data)
        # Sentences of one cited span are one numbered passage.
        by_number: dict[int, Passage] = {}
        budget = GENERATION_TOTAL_CHARS
        for given, ev in enumerate(draft.evidence):
            # A document's sentences that address the assistant are not read to the model.
            text = _clip(without_instructions(ev.text), min(GENERATION_PASSAGE_CHARS, budget))
            if given == GENERATION_PASSAGES or len(text) < 20:
                break
            n = citations.add(ev.doc_id, ev.section, ev.lines, ev.page)
            if n in by_number:
                by_number[n] = Passage(n, by_number[n].source, f"{by_number[n].text} {text}")
            else:
                source = self._label(ev.doc_id, query.language) + (f", {ev.section}" if ev.section else "")
                by_number[n] = Passage(n, source, text)
            budget -= len(text)
        passages = list(by_number.values())
        filt = CitationFilter(set(by_number))
        pieces: list[str] = []
        try:
            with self.generator.slot():
                started = time.perf_counter()  # queueing time is not generation time
                for piece in self.generator.stream(query.text, passages, query.language):
                    if "first_token" not in timings:
                        timings["first_token"] = round((time.perf_counter() - started) * 1000, 1)
                    if out := filt.feed(piece):
                        pieces.append(out)
                        yield out
                if out := filt.flush():
                    pieces.append(out)
                    yield out
        except Busy as exc:
            log.info("generation skipped, model busy (%s): extractive answer", exc)
            return _Generated("busy")
        except LLMError as exc:
            timings["generate"] = (time.perf_counter() - started) * 1000
            log.warning("generation failed (%s): extractive answer", exc)
            return _Generated("failed", streamed=bool(pieces))
        timings["generate"] = (time.perf_counter() - started) * 1000
        answer = "".join(pieces).strip()
        verdict = check(
            answer,
            {n: p.text for n, p in by_number.items()},
            query.text,
            query.language,
            instructions=self.generator.instructions(query.language),
        )
        if not verdict.ok:
            log.warning("generated answer rejected (%s): extractive answer", verdict.reason)
            return _Generated("rejected", streamed=bool(pieces))
        return _Generated("generated", answer, citations.to_list(only=set(verdict.cited)), streamed=True)

    def _repaired(self, citations: list[dict[str, Any]]) -> bool:
        """True when a cited document is an OCR-repaired one."""
        return any(
            self.data.documents[c["doc"]].ocr_repaired for c in citations if c["doc"] in self.data.documents
        )

    def search(self, query: str, k: int = 10, docs: set[str] | None = None) -> list[SearchHit]:
        """Hybrid search; English questions are expanded with Vietnamese equivalents."""
        return self._retrieve(analyze_query(query), docs or set(), k)

    def _retrieve(self, query: Query, docs: set[str], k: int) -> list[SearchHit]:
        text = self._search_text(query)
        lexical = None
        if docs:
            # The document is already chosen: words that only name it ("kế hoạch chuyển
            # đổi số năm 2026") would rank its cover page first.
            lexical = " ".join(strip_framing_words(text)) or text
        # e5 cannot read Vietnamese typed without diacritics (DESIGN.md): lean on the
        # diacritic-folded lexical index for such questions.
        plain = query.language == "vi" and query.text == strip_diacritics(query.text)
        weight = DENSE_WEIGHT_PLAIN if plain else DENSE_WEIGHT
        return self.searcher.search(text, k, docs=docs or None, lexical_query=lexical, dense_weight=weight)

    # ----- answer paths ---------------------------------------------------------------
    def _answer(self, query: Query, named: list[str], timings: dict[str, float]) -> _Draft:
        if _SIGNER.search(query.folded) or _NUMBER.search(query.folded) or _DATE.search(query.folded):
            return self._document_facts(query, named)
        if query.task_ref:
            return self._task_by_reference(query, named)
        if (draft := self._list(query, named)) is not None:
            return draft
        started = time.perf_counter()
        hits = self._retrieve(query, set(named), 10)
        timings["retrieve"] = (time.perf_counter() - started) * 1000
        if _ASKS_FOR_TARGET.search(query.folded) and (draft := self._retrieved_target(query, hits)) is not None:
            return draft
        # "Ai làm trưởng ban …?", "Which Vice Chairman …?" ask for an office holder, not for
        # the agency leading a task ("who is responsible for …" does).
        asks_person = _ASKS_FOR_PERSON.search(query.folded) and any(a.search(query.folded) for a, _ in _OFFICES)
        if query.intents and not asks_person and (draft := self._retrieved_task(query, hits)) is not None:
            return draft
        return self._extractive(query, hits)

    def _search_text(self, query: Query) -> str:
        # Agencies as the documents write them ("Sở KH&CN" → "Sở Khoa học và Công nghệ"),
        # and Vietnamese equivalents of an English question's terms.
        extra = list(query.agencies)
        if query.language == "en":
            extra += [v for group in expand_english(query.text) for v in group]
        return " ".join([query.text, *extra])

    def _label(self, doc_id: str, language: str = "vi") -> str:
        return render.document_label(self.data.documents.get(doc_id), doc_id, language)

    def _default_document(self, named: list[str], with_tasks: bool = False) -> str | None:
        if named:
            return named[0]
        pool = [m for m in self.data.documents.values() if m.tasks or not with_tasks]
        return max(pool, key=recency_key).doc_id if pool else None

    def _document_facts(self, query: Query, named: list[str]) -> _Draft:
        citations = CitationList(self.data)
        doc_id = self._default_document(named)
        lang = query.language
        if doc_id is None:
            return _Draft(phrase(lang, "refused", why=""), True, "structured", citations)
        meta = self.data.documents[doc_id]
        label = self._label(doc_id, lang)
        parts: list[str] = []
        refused = False
        if _SIGNER.search(query.folded):
            if meta.signer:
                line = meta.signer_lines[0]
                n = citations.add(doc_id, "", (line, line))
                role = f" ({meta.signer_role})" if meta.signer_role else ""
                parts.append(phrase(lang, "signer", doc=label, name=meta.signer, role=role, n=n))
            else:
                parts.append(phrase(lang, "signer_missing", doc=label))
                refused = True
        if _NUMBER.search(query.folded) or _DATE.search(query.folded):
            if meta.number:
                n = citations.add(doc_id, "", (1, min(12, meta.line_count)))
                date = phrase(lang, "date", date=_display_date(meta.date)) if meta.date else ""
                parts.append(phrase(lang, "number", doc=label, number=meta.number, date=date, n=n))
            else:
                parts.append(phrase(lang, "number_missing", doc=label))
                refused = True
        return _Draft(" ".join(parts), refused and not len(citations), "structured", citations, shows_source_text=False)

    def _task_by_reference(self, query: Query, named: list[str]) -> _Draft:
        assert query.task_ref is not None
        lang = query.language
        ref = ".".join(query.task_ref)
        citations = CitationList(self.data)
        matches = tasks_by_ref(self.data.tasks, query.task_ref)
        if named:
            in_named = [t for t in matches if t.doc_id in named]
            if not in_named:
                text = phrase(lang, "task_not_found", ref=ref, doc=self._label(named[0], lang))
                return _Draft(text, True, "structured", citations)
            return self._task_draft(in_named[0], query, citations)
        if not matches:
            return _Draft(phrase(lang, "task_not_found_any", ref=ref), True, "structured", citations)
        by_doc: dict[str, TaskRecord] = {}
        for task in matches:
            by_doc.setdefault(task.doc_id, task)
        ordered = sorted(by_doc.values(), key=lambda t: recency_key(self.data.documents[t.doc_id]), reverse=True)
        chosen, others = ordered[0], ordered[1:]
        lines = []
        if others:
            lines.append(phrase(lang, "no_doc_named", ref=ref, doc=self._label(chosen.doc_id, lang)))
        lines.append(self._task_text(chosen, query, citations))
        if others:
            lines.append(phrase(lang, "also_in", ref=ref))
            for other in others:
                n = citations.add(other.doc_id, other.section, other.lines, other.page)
                lead = render.agencies(other.lead, lang)
                lines.append(
                    f"- {self._label(other.doc_id, lang)}, {other.section}: {render.task_title(other, 120)} "
                    f"({phrase(lang, 'lead')}: {lead}; {phrase(lang, 'deadline')}: {render.deadline(other, lang)}) [{n}]"
                )
        return _Draft("\n".join(lines), False, "structured", citations)

    def _task_draft(self, task: TaskRecord, query: Query, citations: CitationList, head_key: str = "task") -> _Draft:
        """A structured answer about one task; when the record lacks every field asked
        for ("hạn khi nào?" of a task without a deadline), it says so and counts as refused."""
        text = self._task_text(task, query, citations, head_key)
        missing = render.missing_fields(task, query.intents)
        if not missing or len(missing) < len(query.intents):
            return _Draft(text, False, "structured", citations)
        fields = ", ".join(render.phrase(query.language, i.value).lower() for i in missing)
        return _Draft(f"{phrase(query.language, 'field_missing', fields=fields)}\n{text}", True, "structured", citations)

    def _task_text(self, task: TaskRecord, query: Query, citations: CitationList, head_key: str = "task") -> str:
        lang = query.language
        n = citations.add(task.doc_id, task.section, task.lines, task.page)
        section = render.task_name(task, lang, with_word=False)
        head = phrase(lang, head_key, section=section, doc=self._label(task.doc_id, lang))
        body = render.task_fields(task, query.intents, lang, n)
        return "\n".join([f"{head}: {render.task_title(task)}", *body])

    def _list(self, query: Query, named: list[str]) -> _Draft | None:
        """Complete lists of tasks or targets by agency, deadline window and section."""
        request = list_request(query.folded)
        if request is None:
            return None
        agencies = query.agencies
        if not agencies and request.window is None and request.kind == "task":
            return None  # "những nhiệm vụ nào về …" is a search question, not a list
        lang = query.language
        docs = named or sorted(
            {t.doc_id for t in (self.data.tasks if request.kind == "task" else self.data.targets)},
            key=lambda d: recency_key(self.data.documents[d]),
            reverse=True,
        )
        agency = agencies[0] if agencies else None
        citations = CitationList(self.data)
        lines: list[str] = []
        total = 0
        for doc_id in docs:
            if request.kind == "target":
                items = [t for t in self.data.targets if t.doc_id == doc_id and (agency is None or agency in t.lead)]
            else:
                items = [
                    t
                    for t in self.data.tasks
                    if t.doc_id == doc_id
                    and (agency is None or agency in t.lead)
                    and (request.window is None or request.window.contains(t.deadline_end))
                ]
                items = [t for t in items if request.in_section(t.section)]
                rows = self.data.rows_by_doc.get(doc_id, [])
                sections = section_titles_named(query.folded, (self.data.chunks[r] for r in rows))
                narrowed = [t for t in items if t.section in sections]
                items = narrowed or items
            if not items:
                continue
            total += len(items)
            lines.append(render.list_heading(lang, request.kind, len(items), self._label(doc_id, lang), agency, request.window))
            for i, item in enumerate(items, 1):
                n = citations.add(item.doc_id, item.section, item.lines, item.page)
                lines.append(f"{i}. {render.list_item(item, lang)} [{n}]")
        if total == 0:
            scope = self._label(docs[0], lang) if len(docs) == 1 else phrase(lang, "all_documents")
            text = render.list_none(lang, request.kind, scope, agency, request.window)
            return _Draft(text, True, "structured", citations)
        return _Draft("\n".join(lines), False, "structured", citations)

    def _retrieved_task(self, query: Query, hits: list[SearchHit]) -> _Draft | None:
        """The task among the top hits that best covers the question, if one covers it enough."""
        terms = content_terms(query.content_text, query.language)
        best: tuple[float, TaskRecord] | None = None
        # The fused top three, and deeper hits that cover the question almost entirely: fusion
        # can push the one task that has every word of an English question below passages the
        # embedding prefers ("Da Nang AI Week" is printed "Tun 1 AT Dà Nng").
        for rank, hit in enumerate(hits):
            if hit.chunk.kind != "task" or not hit.chunk.task_section:
                continue
            task = self._task_by_key.get((hit.chunk.doc_id, hit.chunk.task_section))
            if task is None:
                continue
            covered = coverage(terms, TextProfile.of(passage_text(hit.chunk)), self.data.lexical)
            if covered < (MIN_TASK_COVERAGE if rank < 3 else MIN_TASK_COVERAGE_DEEP):
                continue
            # Coverage gates; relevance (fused lexical + dense score) and coverage together rank.
            score = covered + hit.score / max(hits[0].score, 1e-9)
            if best is None or score > best[0]:
                best = (score, task)
        if best is None:
            return None
        return self._task_draft(best[1], query, CitationList(self.data), "matched_task")

    def _retrieved_target(self, query: Query, hits: list[SearchHit]) -> _Draft | None:
        """A target-table row among the top hits that covers the question; of several, the
        one set for the year the question asks about."""
        terms = content_terms(query.content_text, query.language)
        lang = query.language
        asked_years = re.findall(r"\b(20\d\d)\b", query.folded)
        states_measure = measure_check(query.folded)
        passing: list[TargetRecord] = []
        for hit in hits[:5]:
            if hit.chunk.kind != "target":
                continue
            target = self._target_by_key.get((hit.chunk.doc_id, hit.chunk.section))
            if target is None or not target.values:
                continue
            if states_measure is not None and not states_measure(f"{target.indicator} {' '.join(target.values.values())}"):
                continue  # "bao nhiêu kết nối IoT?" is not answered by a row without such a count
            if coverage(terms, TextProfile.of(hit.chunk.text), self.data.lexical) >= MIN_TASK_COVERAGE:
                passing.append(target)
        if asked_years:
            # A row set for other years ("30% by 2040") does not answer "by 2030".
            passing = [t for t in passing if any(y in t.values for y in asked_years)]
        if not passing:
            return None
        target = passing[0]
        asked = [y for y in asked_years if y in target.values]
        first = asked[-1] if asked else list(target.values)[-1]
        values = phrase(lang, "target_value", year=first, value=target.values[first])
        values += "".join(phrase(lang, "target_other", year=y, value=v) for y, v in target.values.items() if y != first)
        citations = CitationList(self.data)
        n = citations.add(target.doc_id, target.section, target.lines, target.page)
        text = phrase(
            lang, "target", doc=self._label(target.doc_id, lang), section=target.section, indicator=target.indicator, values=values
        )
        text += f" [{n}]"
        if target.lead:
            text += f"\n- {phrase(lang, 'lead')}: {render.agencies(target.lead, lang)} [{n}]"
        return _Draft(text, False, "structured", citations)

    def _extractive(self, query: Query, hits: list[SearchHit]) -> _Draft:
        lang = query.language
        citations = CitationList(self.data)
        terms = content_terms(query.content_text, lang)
        candidates = hits[:ANSWER_PASSAGES]
        if not candidates or terms.empty:
            return self._refusal(query, candidates, citations)
        scored: list[tuple[float, float, int, str, SearchHit]] = []
        best_chunk = 0.0
        for rank, hit in enumerate(candidates):
            chunk_cov = coverage(terms, TextProfile.of(passage_text(hit.chunk)), self.data.lexical)
            best_chunk = max(best_chunk, chunk_cov)
            for position, sentence in enumerate(split_sentences(hit.chunk.text)):
                if looks_like_injection(sentence):
                    continue  # a sentence addressing the assistant is not an answer
                sent_cov = coverage(terms, TextProfile.of(sentence), self.data.lexical)
                # Sentence evidence first, the passage's rank as a tie-breaker.
                score = sent_cov + 0.5 * chunk_cov - RANK_PENALTY * rank
                scored.append((score, sent_cov, position, sentence, hit))
        damaged = any(self.data.documents[h.chunk.doc_id].ocr_repaired for h in candidates)
        if best_chunk < MIN_COVERAGE[lang] - (OCR_COVERAGE_DISCOUNT if damaged else 0.0):
            return self._refusal(query, candidates, citations)
        scored.sort(key=lambda s: -s[0])
        states_measure = measure_check(query.folded)
        quantity = is_quantity_question(query.folded) or states_measure is not None
        if quantity:
            # A number, not the item's own numbering ("6.3 Triển khai …"), must be there,
            # and a sentence dated to other years speaks of another time.
            asked_years = set(re.findall(r"\b(20\d\d)\b", query.folded))
            scored = [s for s in scored if _has_figure(s[3]) and _same_time(s[3], asked_years)]
            if states_measure is not None:
                scored = [s for s in scored if states_measure(s[3])]
            if not scored or scored[0][1] < 0.4:
                return self._refusal(query, candidates, citations)
        if _ASKS_FOR_PERSON.search(query.folded):
            # "Ai là Chủ tịch …?": only a sentence that names a person answers it.
            offices = [named for asked, named in _OFFICES if asked.search(query.folded)]
            scored = [
                s for s in scored if names_a_person(s[3]) and all(o.search(fold(s[3])) for o in offices[:1])
            ]
            if not scored:
                return self._refusal(query, candidates, citations)
        if _ASKS_FOR_YEAR.search(query.folded):
            # "Đến năm nào …?", "from which year …": the answer is a sentence with a year.
            dated = [s for s in scored if re.search(r"\b20\d\d\b", s[3])]
            if not dated or dated[0][1] < 0.25:
                return self._refusal(query, candidates, citations)
            scored = dated
        best = scored[0]
        chosen = [best] + [s for s in scored[1:3] if s[0] >= 0.85 * best[0] and s[3] != best[3]][:1]
        if quantity:
            # Target tables were flattened one cell per line: the figures for the row follow it.
            cells = [s for s in scored if s[4] is best[4] and best[2] < s[2] <= best[2] + 4]
            cells.sort(key=lambda s: s[2])
            for cell in cells:
                if len(cell[3]) > 60:
                    break
                chosen.append(cell)
        elif _ASKS_FOR_ITEMS.search(query.folded) or best[3].rstrip().endswith(":"):
            # A question for several items, or a sentence that announces a list ("… 07 Nghị
            # quyết của HĐND thành phố:"): the items run on after it.
            following = [s for s in scored if s[4] is best[4] and best[2] < s[2] <= best[2] + 8]
            following.sort(key=lambda s: s[2])
            size = len(best[3])
            chosen = [best]
            for extra in following:
                size += len(extra[3])
                if size > 1200:
                    break
                chosen.append(extra)
        hit = best[4]
        lines = [phrase(lang, "extractive_head", doc=self._label(hit.chunk.doc_id, lang))]
        # The model may also read the next best sentences of other passages.
        extra = [s for s in scored if s[1] > 0 and all(s[3] != c[3] for c in chosen)]
        evidence: list[Evidence] = []
        for i, (_, _, _, sentence, source_hit) in enumerate(chosen + extra[: max(0, GENERATION_PASSAGES - len(chosen))]):
            chunk = source_hit.chunk
            span = locate(sentence, self.data.lines.get(chunk.doc_id, []), chunk.lines)
            text = sentence.lstrip("-–+• ").strip()
            evidence.append(Evidence(text, chunk.doc_id, chunk.section, span, chunk.page))
            if i >= len(chosen):
                continue
            n = citations.add(chunk.doc_id, chunk.section, span, chunk.page)
            section = f"({chunk.section}) " if chunk.section else ""
            lines.append(f"- {section}«{text}» [{n}]")
            if Intent.LEAD in query.intents and (lead := _inline_lead(sentence)):
                lines.append(f"- {phrase(lang, 'lead')}: {render.agency(lead, lang)} [{n}]")
        return _Draft("\n".join(lines), False, "extractive", citations, evidence=evidence)

    def _refusal(self, query: Query, hits: list[SearchHit], citations: CitationList) -> _Draft:
        lang = query.language
        text = phrase(lang, "refused", why="")
        if hits:
            chunk = hits[0].chunk
            citations.add(chunk.doc_id, chunk.section, chunk.lines, chunk.page)
            text += phrase(lang, "closest")
        return _Draft(text, True, "extractive", citations)

    # ----- listings shared by the API and the CLI -------------------------------------
    def documents(self) -> list[DocumentMeta]:
        """Indexed documents, most recent plan first."""
        return sorted(self.data.documents.values(), key=recency_key, reverse=True)

    def check_document(self, doc: str | None) -> None:
        """Raise :class:`UserError` for a document id that is not indexed."""
        if doc and doc not in self.data.documents:
            raise errors.unknown_document(doc)

    def find(self, query: str, k: int = 10, doc: str | None = None) -> list[SearchHit]:
        """Validated search; a query that names a plan searches that plan."""
        text = (query or "").strip()
        if not text:
            raise errors.UserError("empty_query", "Từ khóa tìm kiếm đang để trống", "the query is empty")
        if not 1 <= k <= 100:
            raise errors.UserError("bad_k", "k phải từ 1 đến 100", "k must be between 1 and 100")
        self.check_document(doc)
        query = analyze_query(text)
        docs = {doc} if doc else {m.doc_id for m in resolve_documents(query.folded, self.data.documents)}
        return self._retrieve(query, docs, k)

    def list_targets(self, *, doc: str | None = None, agency: str | None = None, text: str | None = None) -> list[TargetRecord]:
        """Target-table rows, filtered by document, lead agency (any spelling) and text."""
        self.check_document(doc)
        return filter_targets(self.data.targets, doc=doc, agency=agency, text=text)

    def list_tasks(
        self,
        *,
        doc: str | None = None,
        agency: str | None = None,
        due_before: str | None = None,
        due_after: str | None = None,
        text: str | None = None,
        section: str | None = None,
        role: str = "any",
    ) -> list[TaskRecord]:
        """Task records filtered as ``/api/tasks`` and ``assistant tasks`` document: the
        deadline window runs from the first day of ``due_after`` to the last of ``due_before``."""
        self.check_document(doc)
        if role not in ("any", "lead", "coordinating"):
            raise errors.UserError("bad_role", "role phải là any, lead hoặc coordinating", "role must be any, lead or coordinating")
        before = _month(due_before, "due_before") if due_before else None
        after = _month(due_after, "due_after").replace(day=1) if due_after else None
        return filter_tasks(
            self.data.tasks, doc=doc, agency=agency, role=role, due_before=before, due_after=after, text=text, section=section
        )

    def history(self, session_id: str) -> list[Turn]:
        """The remembered turns of a conversation, oldest first (empty when unknown or expired)."""
        return self.sessions.history(session_id) if self.sessions else []


def _month(value: str, name: str) -> date:
    """The last day of a ``YYYY-MM`` filter value, or a :class:`UserError` naming the filter."""
    try:
        return month_end(value)
    except ValueError:
        raise errors.UserError(
            f"bad_{name}", f"{name} phải có dạng YYYY-MM, ví dụ 2026-06", f"{name} must look like 2026-06"
        ) from None


def _same_time(sentence: str, asked_years: set[str]) -> bool:
    """False when the sentence is dated and none of its years is one the question asks about."""
    years = set(re.findall(r"\b(20\d\d)\b", sentence))
    return not asked_years or not years or bool(years & asked_years)


def _has_figure(sentence: str) -> bool:
    """A number that could answer "how many": not a section number, a year or a date."""
    text = _LEADING_NUMBER.sub("", sentence)
    text = re.sub(r"\b(PL)?[\dIVX]+(\.[\dIVXa-zđ]+)+\b", " ", text)  # section paths "PL.III.6.3", "1.4"
    text = re.sub(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{1,2}/\d{4}\b|\b(19|20)\d\d\b", " ", text)  # dates, years
    text = re.sub(r"\b\d+\s*/\s*[A-ZĐ][\w-]*", " ", text)  # document numbers "749/QĐ-TTg"
    return bool(re.search(r"\d", text))


def _inline_lead(sentence: str) -> str | None:
    """The canonical agency in "X chủ trì, phối hợp …" prose (OCR-damaged text too)."""
    folded = fold(sentence)
    match = _INLINE_LEAD.search(folded)
    if not match or len(folded) != len(sentence):
        return None
    mentions = [m for m in find_agencies(sentence[match.start(1) : match.end(1)]) if m.canonical]
    return mentions[-1].canonical if mentions else None


def _clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit] + " …"


def _display_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{int(day):02d}/{int(month):02d}/{year}"
