"""Process-wide resources built once with @st.cache_resource and shared by every session (never mutate them)."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from core.settings import CONFIG_ENV, Settings, load_settings

if TYPE_CHECKING:
    from ingestion.pipeline import Components
    from ingestion.scrub import PiiScrubber
    from rag.service import Assistant

log = logging.getLogger(__name__)


def _config_key() -> str:
    """The profile in use; cached resources are keyed by it, so a different profile never gets stale objects."""
    return os.environ.get(CONFIG_ENV, "")


@st.cache_resource(show_spinner=False)
def _settings(key: str) -> Settings:
    return load_settings()


def get_settings() -> Settings:
    """The validated settings (``$SAFEBORDERS_CONFIG`` or config/settings.yaml).

    Raises:
        ConfigError: the settings file is missing or invalid.
    """
    return _settings(_config_key())


def build_assistant(settings: Settings) -> Assistant:
    """The Assistant with the configured models and index (the UI tests replace this builder with one on fakes)."""
    from rag.service import Assistant

    return Assistant.from_settings(settings)


def build_scrubber(settings: Settings) -> PiiScrubber:
    """The Presidio scrubber of these settings (the UI tests replace this builder with one on fakes)."""
    from ingestion.scrub import PresidioScrubber

    return PresidioScrubber(settings.scrubbing)


@st.cache_resource(show_spinner=False)
def _assistant(key: str) -> Assistant:
    return build_assistant(get_settings())


def get_assistant() -> Assistant:
    """The one Assistant of this process (models load lazily, on the first question)."""
    return _assistant(_config_key())


@st.cache_resource(show_spinner=False)
def _scrubber(key: str) -> PiiScrubber:
    return build_scrubber(get_settings())


def get_scrubber() -> PiiScrubber:
    """The personal-data scrubber (Presidio; spaCy loads on first use)."""
    return _scrubber(_config_key())


def get_components() -> Components:
    """What an index build in the app's process needs (``ingestion.build_worker`` false), sharing the Assistant's
    embedder and store so no model is loaded twice; a build worker loads its own."""
    from ingestion.pipeline import Components

    assistant = get_assistant()
    return Components(assistant.embedder, get_scrubber(), assistant.store)


def _warm(name: str, load: Callable[[], object]) -> None:
    started = time.perf_counter()
    try:
        load()
    except Exception as exc:  # the first question reports the same problem where the user sees it
        log.warning("warm-up of the %s failed: %s", name, exc)
    else:
        log.info("%s ready in %.1f s", name, time.perf_counter() - started)


def _warm_scrubber() -> None:
    """Load spaCy and Presidio, then scrub a typed text as the chat page does after each answer: the first scrub
    also reads the name lists (zxcvbn's, the given-names dictionary), seconds that would delay the first answer."""
    from app.audit import scrub_text

    scrubber = get_scrubber()
    warm = getattr(scrubber, "warm_up", None)
    if callable(warm):
        warm()  # raises when the spaCy model is missing, which scrub_text would hide
    scrub_text("where is the form i have to fill in", scrubber)


def _warm_up() -> None:
    # One after the other, in the order a first visit needs them: the sign-in check (a quarter of a second), the
    # assistant (index, embedder, language identifier, LLM with its system prompt read) for the first question,
    # then the scrubber, which the chat page needs only once the first answer is written; the browser and the
    # sign-in page need the other core meanwhile.
    from app.credentials import warm_up as warm_sign_in

    _warm("sign-in check", warm_sign_in)
    _warm("assistant", lambda: get_assistant().warm_up())
    _warm("scrubber", _warm_scrubber)


_started: set[str] = set()
_started_lock = threading.Lock()


def start_warm_up() -> None:
    """Load the index and the models in the background, once per process and profile, and return at once.

    Building the objects imports Chroma, llama.cpp and Presidio (seconds on two busy cores): the sign-in page must
    not wait for that. A page that needs an object meanwhile waits on the same cached one, never builds a second.
    """
    key = _config_key()
    with _started_lock:
        if key in _started:
            return
        _started.add(key)
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
