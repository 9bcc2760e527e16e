"""Generated answers through the ollama backend, against a local server that speaks
Ollama's /api/chat protocol; grounding, fallbacks, the busy queue and streaming."""

from __future__ import annotations

import json
import re
import threading

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.core import Assistant
from assistant.generation import Generator
from assistant.llm.base import LLMError
from assistant.llm.ollama_backend import OllamaBackend
from assistant.prompts import PromptSet
from assistant.runtime import Runtime
from tests.fakes.ollama_server import FakeOllama

QUESTION = "Đà Nẵng có bao nhiêu km cáp quang ngầm trong mạng MAN theo kế hoạch 2024?"


def _excerpt(messages: list[dict[str, str]], n: int) -> str:
    # "[1] (Kế hoạch 93/KH-UBND (năm 2024), IV.7) text…"
    match = re.search(rf"^\[{n}\] \(.+?, [^ )]+\) (.*)$", messages[-1]["content"], re.M)
    assert match, messages[-1]["content"]
    return match.group(1)


def quoting_reply(messages: list[dict[str, str]]) -> str:
    """A well-behaved model: restates excerpt 1 and cites it."""
    return f"Theo kế hoạch, {_excerpt(messages, 1)} [1]"


def with_generator(assistant: Assistant, fake: FakeOllama, **kwargs: object) -> Assistant:
    backend = OllamaBackend(fake.url, fake.model)
    generator = Generator(backend, PromptSet.load(), **kwargs)  # type: ignore[arg-type]
    return Assistant(assistant.data, assistant.searcher, assistant.sessions, generator)


def test_ollama_backend_streams_ndjson() -> None:
    with FakeOllama(reply=lambda m: "Xin chào, đây là câu trả lời [1].") as fake:
        pieces = list(OllamaBackend(fake.url, fake.model).stream([{"role": "user", "content": "hi"}], max_tokens=50, timeout=5))
    assert len(pieces) > 1 and "".join(pieces) == "Xin chào, đây là câu trả lời [1]."
    sent = fake.requests[0]
    assert sent["stream"] is True and sent["options"]["num_predict"] == 50 and sent["messages"][0]["content"] == "hi"


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_ollama_backend_errors_are_llm_errors(mode: str) -> None:
    with FakeOllama(mode=mode) as fake, pytest.raises(LLMError):
        list(OllamaBackend(fake.url, fake.model).stream([{"role": "user", "content": "hi"}], max_tokens=5, timeout=5))
    with FakeOllama() as fake, pytest.raises(LLMError, match="not found"):
        list(OllamaBackend(fake.url, "no-such-model").stream([{"role": "user", "content": "hi"}], max_tokens=5, timeout=5))


def test_generated_answer_is_grounded_and_cited(assistant: Assistant) -> None:
    with FakeOllama(reply=quoting_reply) as fake:
        answer = with_generator(assistant, fake).ask(QUESTION)
    assert answer.mode == "generated" and answer.generation == "generated"
    assert "400 km" in answer.answer and "[1]" in answer.answer
    assert [c["id"] for c in answer.citations] == [1]
    # The prompt came from prompts/, with numbered excerpts and the question.
    prompt = fake.requests[0]["messages"]
    assert prompt[0]["content"] == PromptSet.load().system["vi"]
    assert QUESTION in prompt[1]["content"] and "[1] (" in prompt[1]["content"]


def test_citing_a_passage_it_was_not_given_falls_back(assistant: Assistant) -> None:
    with FakeOllama(reply=lambda m: "Có 400 km cáp quang ngầm [9].") as fake:
        answer = with_generator(assistant, fake).ask(QUESTION)
    assert answer.mode == "extractive" and answer.generation == "rejected"
    assert "[9]" not in answer.answer and "400 km" in answer.answer


def test_invented_figure_falls_back(assistant: Assistant) -> None:
    with FakeOllama(reply=lambda m: "Có 950 km cáp quang ngầm [1].") as fake:
        answer = with_generator(assistant, fake).ask(QUESTION)
    assert answer.mode == "extractive" and answer.generation == "rejected"


@pytest.mark.parametrize(("mode", "kwargs"), [("error", {}), ("garbage", {}), ("slow", {"timeout": 0.5})])
def test_server_failures_give_the_extractive_answer(assistant: Assistant, mode: str, kwargs: dict, caplog: pytest.LogCaptureFixture) -> None:
    with FakeOllama(reply=quoting_reply, mode=mode, delay=3.0) as fake:
        answer = with_generator(assistant, fake, **kwargs).ask(QUESTION)
    assert answer.mode == "extractive" and answer.generation == "failed" and "400 km" in answer.answer
    assert "generation failed" in caplog.text


def test_server_down_gives_the_extractive_answer(assistant: Assistant) -> None:
    with FakeOllama() as fake:
        url = fake.url
    backend = OllamaBackend(url, "qwen2.5:7b-instruct")  # nothing listens there any more
    answer = Assistant(assistant.data, assistant.searcher, None, Generator(backend, PromptSet.load())).ask(QUESTION)
    assert answer.mode == "extractive" and answer.generation == "failed"


def test_structured_and_refused_answers_never_call_the_model(assistant: Assistant) -> None:
    with FakeOllama(reply=quoting_reply) as fake:
        core = with_generator(assistant, fake)
        task = core.ask("Ai chủ trì nhiệm vụ 5b của kế hoạch 2024?")
        refused = core.ask("Thành phố có kế hoạch xây sân bay vũ trụ không?")
        # Enumerations stay extractive: the small model drops or repeats items.
        listed = core.ask("Những phần mềm nào được Trung ương chuyển giao cho các cơ quan Đảng trong Quý IV/2025?")
    assert task.mode == "structured" and task.generation == "not_needed"
    assert refused.refused and refused.generation == "not_needed"
    assert listed.mode == "extractive" and not listed.refused and listed.generation == "not_needed"
    assert fake.requests == []


def test_busy_model_answers_extractively_at_once(assistant: Assistant) -> None:
    with FakeOllama(reply=quoting_reply) as fake:
        core = with_generator(assistant, fake, max_waiting=0, wait_seconds=0.1)
        assert core.generator is not None
        with core.generator.slot():  # another question is being generated
            answer = core.ask(QUESTION)
    assert answer.mode == "extractive" and answer.generation == "busy" and fake.requests == []


def test_one_generation_at_a_time() -> None:
    generator = Generator(OllamaBackend("http://127.0.0.1:9", "m"), PromptSet.load(), max_waiting=1, wait_seconds=5)
    inside, peak, lock = [0], [0], threading.Lock()

    def work() -> None:
        with generator.slot():
            with lock:
                inside[0] += 1
                peak[0] = max(peak[0], inside[0])
            threading.Event().wait(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 1


def test_english_questions_use_the_english_prompt(assistant: Assistant) -> None:
    def reply(messages: list[dict[str, str]]) -> str:
        return "The MAN network has 400 km of underground fibre optic cable [1]."

    with FakeOllama(reply=reply) as fake:
        answer = with_generator(assistant, fake).ask("How many km of underground fibre optic cable does the MAN network have in the 2024 plan?")
    assert fake.requests and fake.requests[0]["messages"][0]["content"] == PromptSet.load().system["en"]
    if answer.mode == "generated":
        assert answer.language == "en" and "[1]" in answer.answer


def test_chat_streams_generated_deltas(corpus_runtime: Runtime) -> None:
    with FakeOllama(reply=quoting_reply, chunk_chars=4) as fake:
        generator = Generator(OllamaBackend(fake.url, fake.model), PromptSet.load())
        runtime = Runtime(corpus_runtime.settings, corpus_runtime.store, corpus_runtime.embedder, corpus_runtime.segmenter, generator)
        with TestClient(create_app(runtime=runtime)) as client:
            response = client.post("/api/chat", json={"message": QUESTION, "stream": True})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n", 1)[1].removeprefix("data: ")))
        for block in response.text.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names.count("delta") > 3 and names[-2:] == ["citations", "done"]
    done = events[-1][1]
    assert done["mode"] == "generated"
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    assert streamed.strip() == done["answer"].strip()
