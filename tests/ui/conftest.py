"""UI test fixtures: a temporary profile with a small real index built with the fakes, and AppTest helpers."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

from app.accounts import UserStore
from app.audit import AuditLog
from app.sessions import SessionStore
from core.settings import CONFIG_ENV, PROJECT_ROOT, Settings, load_settings
from core.store import ChromaStore
from ingestion.pipeline import Components, build_index
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.ui.fake_app import install_fakes

APP = str(PROJECT_ROOT / "app" / "streamlit_app.py")
PASSWORD = "correct horse battery"

LEGISLATION = """---
title: Test Directive on trafficking in children
doc_type: legislation
jurisdiction: EU
language: en
---
# Test Directive on trafficking in children

## Article 2 — Offences

Member States shall punish the recruitment, transportation and harbouring of children for the purpose of
exploitation. The consent of a child victim to the exploitation is never relevant.

## Article 8 — Non-punishment

Victims must not be prosecuted for offences they were compelled to commit as a direct consequence of being
trafficked.
"""

CASE_LAW = """---
title: Fictional case of the Tribunale di Torino on domestic servitude
doc_type: case_law
jurisdiction: IT
language: en
court: Tribunale di Torino
year: 2019
exploitation_type: [domestic_servitude]
recruitment_method: [family_member]
route_countries: [Nigeria, Libya, Italy]
victim_age_group: child
outcome: conviction
---
# Fictional case on domestic servitude

The court found that Maria Rossi kept a fourteen-year-old girl in domestic servitude, without pay or schooling,
and convicted her of trafficking in human beings.
"""

# Replayed by the fake generator: every sentence is taken from the legislation above and cites it.
GROUNDED_REPLY = (
    "The consent of a child victim to the exploitation is never relevant [1]. "
    "Member States shall punish the recruitment, transportation and harbouring of children for the purpose of "
    "exploitation [1]."
)
COVERED_QUESTION = "Does the consent of a child matter in trafficking cases?"
UNCOVERED_QUESTION = "Which chocolate cake recipe wins baking prizes?"


@dataclass
class AppEnv:
    """The temporary profile a UI test runs against."""

    settings: Settings
    root: Path

    @property
    def users(self) -> UserStore:
        return UserStore(self.settings.data_dir / "users.json", rounds=4)

    def add_user(self, name: str, role: str) -> None:
        self.users.add_user(name, role, PASSWORD)

    def audit(self) -> list[dict]:
        return AuditLog.in_folder(self.settings.data_dir).read()


def make_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, documents: dict[str, str], replies: list[str]) -> AppEnv:
    """A profile on temporary folders with an index of ``documents`` (path -> text), and the app on the fakes.

    A path under ``indicators/`` is the indicator catalogue the case analysis reads; it is not indexed.
    """
    kb = tmp_path / "knowledge_base"
    for relative, text in documents.items():
        (kb / relative).parent.mkdir(parents=True, exist_ok=True)
        (kb / relative).write_text(text, encoding="utf-8")
    profile = {
        "profile": "ui-test",
        "paths": {"knowledge_base": str(kb), "index": str(tmp_path / "index"), "data": str(tmp_path / "data")},
        "retrieval": {"abstain_threshold": 0.3},
        "app": {"language": "en", "session_minutes": 30, "upload_max_mb": 1},
        "ingestion": {"build_worker": False},  # the re-index runs on the fakes, in the app's process
    }
    config = tmp_path / "profile.yaml"
    config.write_text(yaml.safe_dump(profile), encoding="utf-8")
    monkeypatch.setenv(CONFIG_ENV, str(config))
    install_fakes(replies, monkeypatch.setattr)

    settings = load_settings(config)
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(settings.vector_store))
    report = build_index([kb], settings.index_dir, settings, components)
    assert report.count("indexed") == sum(1 for path in documents if not path.startswith("indicators/")), report
    st.cache_resource.clear()  # builders are keyed by the profile, but a fresh start keeps tests independent
    return AppEnv(settings, tmp_path)


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppEnv:
    """A profile on temporary folders with an index of two documents, and the app switched to the fakes."""
    documents = {"legislation/test_directive.md": LEGISLATION, "case_law/torino_servitude.md": CASE_LAW}
    yield make_env(tmp_path, monkeypatch, documents, [GROUNDED_REPLY])
    st.cache_resource.clear()


def new_app() -> AppTest:
    """The whole app, as a browser session would run it."""
    return AppTest.from_file(APP, default_timeout=60)


def signed_in(env: AppEnv, name: str, role: str, *, page: str | None = None) -> AppTest:
    """An app session already signed in as a new account ``name`` with ``role``, optionally on ``page``."""
    env.add_user(name, role)
    at = new_app()
    token = SessionStore(env.settings.data_dir).issue(name, env.settings.app.session_minutes)
    at.session_state["auth"] = {"user": name, "role": role, "last_seen": time.time(), "token": token}
    if page is not None:
        at.switch_page(page)
    return at.run()


def texts(at: AppTest) -> str:
    """Every piece of text the run displayed, joined (for assertions that do not depend on layout)."""
    parts: list[str] = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        parts += [str(element.value) for element in getattr(at, kind)]
    for status in at.status:
        parts.append(str(status.label))
    return "\n".join(parts)
