"""A local HTTP server speaking Ollama's documented /api/chat protocol (no Ollama binary can
be installed here): streaming NDJSON and single-JSON replies, plus the failures a real
server shows (slow, unknown model, garbage)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes import JsonHandler, LoopbackServer

Reply = Callable[[list[dict[str, str]]], str]


@dataclass
class FakeOllama(LoopbackServer):
    """Answers with ``reply(messages)``, streamed a few characters per chunk."""

    reply: Reply = lambda messages: "Sở Khoa học và Công nghệ chủ trì [1]."
    mode: str = "ok"  # ok | slow | garbage | error
    delay: float = 0.0  # seconds before the first chunk in "slow" mode
    chunk_chars: int = 6
    requests: list[dict[str, Any]] = field(default_factory=list)
    model: str = "qwen2.5:7b-instruct"

    def __post_init__(self) -> None:
        fake = self

        class Handler(JsonHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                fake.requests.append(body)
                if self.path != "/api/chat":
                    return self._json(404, {"error": "not found"})
                if body.get("model") != fake.model:
                    return self._json(404, {"error": f"model '{body.get('model')}' not found, try pulling it first"})
                if fake.mode == "error":
                    return self._json(500, {"error": "llama runner process has terminated"})
                text = fake.reply(body.get("messages", []))
                if fake.mode == "slow":
                    time.sleep(fake.delay)
                if not body.get("stream", True):
                    return self._json(200, fake._chunk(text, done=True))
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.end_headers()
                try:
                    if fake.mode == "garbage":
                        self.wfile.write(b"<html>502 Bad Gateway</html>\n")
                        return
                    for i in range(0, len(text), fake.chunk_chars):
                        self.wfile.write(json.dumps(fake._chunk(text[i : i + fake.chunk_chars])).encode() + b"\n")
                        self.wfile.flush()
                    self.wfile.write(json.dumps(fake._chunk("", done=True)).encode() + b"\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client closed the stream early

        self._serve(Handler)

    def _chunk(self, content: str, done: bool = False) -> dict[str, Any]:
        chunk: dict[str, Any] = {
            "model": self.model,
            "created_at": "2026-11-23T00:00:00Z",
            "message": {"role": "assistant", "content": content},
            "done": done,
        }
        if done:
            chunk.update(done_reason="stop", total_duration=1, eval_count=1)
        return chunk

    def __enter__(self) -> FakeOllama:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()
