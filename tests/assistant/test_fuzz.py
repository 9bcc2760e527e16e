"""Schemathesis against the app's own OpenAPI schema: generated requests for every
operation, valid and invalid, with and without the admin key; no response may be a 5xx.
(The same run against a live server: `schemathesis run http://127.0.0.1:8765/openapi.json
--checks not_a_server_error`, see the README.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from assistant.api import create_app
from assistant.runtime import Runtime
from ingest.embed import HashEmbedder
from tests.conftest import CORPUS, PLAN_2024, corpus_settings

KEY = "fuzz-admin-key-0123456789"


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory):
    # An app of its own: the fuzzer deletes and uploads documents with the admin key.
    root = tmp_path_factory.mktemp("fuzz")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / PLAN_2024, corpus)
    settings = corpus_settings(root / "var", corpus_dir=corpus, admin_key=KEY, stt="none")
    app = create_app(runtime=Runtime.from_settings(settings, embedder=HashEmbedder()))
    with TestClient(app) as client:  # runs the lifespan: the index is built
        for _ in range(600):
            if client.get("/readyz").status_code == 200:
                break
        yield app


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzzed_app)


def _operations(api_schema) -> list:
    return [result.ok() for result in api_schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_generated_request_gets_a_server_error(api_schema, mode: GenerationMode) -> None:
    seen: dict[str, int] = {}
    for operation in _operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def fuzz(case) -> None:
            # Each request twice: as anyone, and as the administrator (past the key check).
            for headers in ({}, {"Authorization": f"Bearer {KEY}"}):
                response = case.call(headers=headers)
                where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.content[:300]!r}"
                assert response.status_code < 500, where
                content_type = "".join(response.headers.get("content-type", []))  # schemathesis: header → list
                if response.status_code >= 400 and content_type.startswith("application/json"):
                    error = response.json().get("error", {})
                    assert error.get("code") and " / " in error.get("message", ""), where
                seen[operation.label] = seen.get(operation.label, 0) + 1

        try:
            fuzz()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # an operation with nothing to get wrong
    assert len(seen) >= (15 if mode is GenerationMode.POSITIVE else 8), seen


def test_the_schema_lists_the_admin_routes(api_schema) -> None:
    paths = {op.path for op in _operations(api_schema)}
    assert {"/api/documents", "/api/documents/{doc_id}", "/api/reindex", "/api/chat", "/api/search"} <= paths
