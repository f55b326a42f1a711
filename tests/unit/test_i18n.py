"""The one string table: every key in both languages with the same placeholders, and messages as data."""

from __future__ import annotations

import string

import pytest

from core.i18n import STRINGS, Message, translate


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_string_has_both_languages_with_the_same_placeholders() -> None:
    for key, (english, italian) in STRINGS.items():
        assert english.strip() and italian.strip(), key
        assert _fields(english) == _fields(italian), key


def test_translate_falls_back_to_english_and_refuses_unknown_keys() -> None:
    assert translate("notice_removed", "it", n=2) == "2 frase/i generata/e rimossa/e: non supportata/e dalle fonti."
    assert translate("pat_shown", "de", shown=1, total=3) == "1 of 3 decisions"
    with pytest.raises(KeyError):
        translate("no_such_key", "en")


def test_a_message_is_translated_where_it_is_shown() -> None:
    message = Message("notice_nearest", {"sources": "Palermo Protocol — Article 3"})
    assert message.text("en") == "Nearest sources: Palermo Protocol — Article 3"
    assert message.text("it") == "Fonti più vicine: Palermo Protocol — Article 3"
