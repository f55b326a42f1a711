"""The current user's choice of language, and the app's strings (the catalogs in ``core/locales/``) in that language."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from core.i18n import Message, languages, load_catalogs, translate

__all__ = ["STATE_KEY", "current_language", "error_text", "languages", "option_names", "t", "t_message"]

STATE_KEY = "language"


def current_language() -> str:
    """The language chosen in this session (set by the sidebar switch; defaults come from the settings)."""
    import streamlit as st

    return str(st.session_state.get(STATE_KEY, "en"))


def t(key: str, **values: object) -> str:
    """The string for ``key`` in this session's language."""
    return translate(key, current_language(), **values)


def option_names(prefix: str, options: Iterable[str]) -> Callable[[str], str]:
    """A widget's ``format_func``: each option's string (key ``prefix + option``) in this run's language.

    The names are looked up now, not when the function is called: Streamlit (and AppTest) may call it again
    outside the script run, where no session language is known.
    """
    return {option: t(prefix + option) for option in options}.__getitem__


def t_message(message: Message, language: str | None = None) -> str:
    """A message returned as data (by ``rag/``), in ``language`` or else this session's language."""
    return message.text(language or current_language())


def error_text(exc: Exception) -> str:
    """An expected error for the user: its string in this session's language when it names one, else its message."""
    key = getattr(exc, "key", None)
    if isinstance(key, str) and key in load_catalogs().reference.strings:
        return t(key, **getattr(exc, "values", {}))
    return str(exc)
