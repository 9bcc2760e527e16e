"""The deployment files cannot be built here (no Docker engine), so what can drift is checked:
every variable the Dockerfile and compose.yaml set is one the service reads, and the paths the
image points the settings at are the ones `assistant models` assembles."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from assistant.config import Settings
from assistant.llm.weights import GGUF_NAME
from assistant.voice.weights import MODEL_DIR as WHISPER_DIR_NAME
from ingest.model_assets import E5_DIRNAME as E5_DIR_NAME

ROOT = Path(__file__).resolve().parents[1]


def _setting_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else f"ASSISTANT_{name.upper()}")
    return names


def test_compose_sets_only_real_settings_and_keeps_data_on_volumes() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8"))
    assistant = compose["services"]["assistant"]
    unknown = set(assistant["environment"]) - _setting_names()
    assert unknown == set()
    assert assistant["environment"]["OLLAMA_HOST"] == "http://ollama:11434"
    assert any(v.endswith(":/data") for v in assistant["volumes"])
    assert {"assistant-data", "ollama-models", "postgres-data"} <= set(compose["volumes"])
    ollama = compose["services"]["ollama"]
    assert f"ollama-models:{ollama['environment']['OLLAMA_MODELS']}" in ollama["volumes"]  # pulled models persist
    assert "ASSISTANT_ADMIN_KEY: ${ASSISTANT_ADMIN_KEY:-}" in (ROOT / "compose.yaml").read_text("utf-8")  # no secret in the file


def test_dockerfile_points_settings_at_the_assembled_models() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    env = dict(re.findall(r"\b(ASSISTANT_[A-Z_]+)=(\S+)", dockerfile))
    assert set(env) <= _setting_names()
    assert env["ASSISTANT_EMBEDDING_MODEL"] == f"/opt/assistant/models/{E5_DIR_NAME}"
    assert env["ASSISTANT_LLM_MODEL"] == f"/opt/assistant/models/{GGUF_NAME}"
    assert env["ASSISTANT_STT_MODEL"] == f"/opt/assistant/models/{WHISPER_DIR_NAME}"
    assert "assistant --data-dir /opt/assistant models" in dockerfile
    assert "USER assistant" in dockerfile and '"--host", "0.0.0.0"' in dockerfile
