"""The string catalogs: one file per language, with English's keys and placeholders, checked at load."""

from __future__ import annotations

import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.i18n import LOCALES, Message, languages, load_catalogs, translate
from core.settings import PROJECT_ROOT


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.yaml")), ids=lambda path: path.name)
def test_every_shipped_catalog_has_exactly_englishs_keys_and_placeholders(path: Path) -> None:
    catalogs = load_catalogs()
    english, catalog = catalogs.reference.strings, catalogs.by_code[path.stem].strings
    assert set(catalog) == set(english)
    for key, text in catalog.items():
        assert text.strip(), key
        assert _fields(text) == _fields(english[key]), key


def test_each_catalog_found_is_a_language_named_in_itself_english_first() -> None:
    names = languages()
    assert list(names) == ["en", *sorted(path.stem for path in LOCALES.glob("*.yaml") if path.stem != "en")]
    assert names["en"] == "English" and names["it"] == "Italiano"


def test_translate_falls_back_to_english_and_refuses_unknown_keys() -> None:
    assert translate("notice_removed", "it", n=2) == "2 frase/i generata/e rimossa/e: non supportata/e dalle fonti."
    assert translate("pat_shown", "de", shown=1, total=3) == "1 of 3 decisions"
    with pytest.raises(KeyError):
        translate("no_such_key", "en")
    with pytest.raises(KeyError):
        translate("no_such_key", "it")


def test_a_message_is_translated_where_it_is_shown() -> None:
    message = Message("notice_nearest", {"sources": "Palermo Protocol — Article 3"})
    assert message.text("en") == "Nearest sources: Palermo Protocol — Article 3"
    assert message.text("it") == "Fonti più vicine: Palermo Protocol — Article 3"


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A locales folder holding a copy of the shipped English catalog."""
    shutil.copy(LOCALES / "en.yaml", tmp_path / "en.yaml")
    return tmp_path


def test_a_catalog_added_to_the_folder_is_a_language_with_english_for_its_missing_keys(locales: Path) -> None:
    (locales / "es.yaml").write_text(
        'name: "Español"\nstrings:\n  sign_out: "Salir"\n  oidc_sign_in: "Entrar con {label}"\n', encoding="utf-8"
    )
    catalogs = load_catalogs(locales)
    assert catalogs.languages() == {"en": "English", "es": "Español"}
    assert catalogs.translate("sign_out", "es") == "Salir"
    assert catalogs.translate("oidc_sign_in", "es", label="EU Login") == "Entrar con EU Login"
    assert catalogs.translate("users_added", "es", user="anna") == "User anna added."
    with pytest.raises(KeyError):
        catalogs.translate("no_such_key", "es")


BROKEN = {
    "placeholders": (
        'name: "Español"\nstrings:\n  oidc_sign_in: "Entrar con {proveedor}"\n',
        "key 'oidc_sign_in': placeholders {proveedor} differ from English's {label}",
    ),
    "unknown key": (
        'name: "Español"\nstrings:\n  sign_outt: "Salir"\n',
        "key 'sign_outt' is not in en.yaml (a typo, or a string no longer used)",
    ),
    "not yaml": ('name: "Español"\nstrings:\n  sign_out: "Salir\n', "not valid YAML: line 4: "),
    "key twice": (
        'name: "Español"\nstrings:\n  sign_out: "Salir"\n  sign_out: "Cerrar"\n',
        "not valid YAML: line 4: key 'sign_out' is written twice",
    ),
    "not text": (
        'name: "Español"\nstrings:\n  sign_out: no\n',
        "key 'sign_out': the text must be a non-empty string in quotes",
    ),
    "unpaired brace": (
        'name: "Español"\nstrings:\n  sign_out: "Salir {"\n',
        "key 'sign_out': Single '{' encountered in format string (a brace shown as text is written twice)",
    ),
    "no name": ('strings:\n  sign_out: "Salir"\n', "'name' must give the language's own name (name: \"Italiano\")"),
    "outside strings": (
        'name: "Español"\nstrings:\n  sign_out: "Salir"\nsign_in: "Entrar"\n',
        "key 'sign_in' is outside 'strings' (indent it under 'strings:')",
    ),
}


@pytest.mark.parametrize("text, reason", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_catalog_is_one_line_naming_the_file_the_key_and_the_reason(
    locales: Path, text: str, reason: str
) -> None:
    (locales / "es.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_catalogs(locales)
    assert str(error.value).startswith(f"{locales / 'es.yaml'}: {reason}")
    assert "\n" not in str(error.value)


def test_a_folder_without_the_english_catalog_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="en.yaml: the English catalog is missing"):
        load_catalogs(tmp_path)


def test_the_catalogs_are_found_from_any_working_directory(tmp_path: Path) -> None:
    script = "from core.i18n import languages, translate; print(languages()['it'], translate('sign_out', 'it'))"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "Italiano Esci", done.stderr
