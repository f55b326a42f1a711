"""The interface strings, one catalog per language in ``core/locales/``, and the function that translates a key."""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

# Resolved against this module, so that the app, the command lines and the tests find it from any folder.
LOCALES = Path(__file__).resolve().with_name("locales")
REFERENCE = "en"  # English has every key; a key another catalog lacks is shown in English


@dataclass(frozen=True)
class Catalog:
    """One language's strings, read from ``<code>.yaml``: key -> text, placeholders in ``str.format`` names."""

    code: str
    name: str  # the language's own name, as the language switch shows it ("Italiano")
    strings: Mapping[str, str]


@dataclass(frozen=True)
class Catalogs:
    """The catalogs found in one folder, English first, each checked against English."""

    by_code: Mapping[str, Catalog]

    @property
    def reference(self) -> Catalog:
        """The English catalog: the keys every page may use."""
        return self.by_code[REFERENCE]

    def languages(self) -> dict[str, str]:
        """Code -> the language's own name, in the order the language switch lists them."""
        return {code: catalog.name for code, catalog in self.by_code.items()}

    def translate(self, key: str, language: str, **values: object) -> str:
        """See :func:`translate`."""
        text = self.reference.strings[key]
        catalog = self.by_code.get(language)
        if catalog is not None:
            text = catalog.strings.get(key, text)
        return text.format(**values) if values else text


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's safe loader, except that a key written twice is an error: the second would silently win."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' is written twice", key_node.start_mark
                )
            seen.add(key)
        return mapping


def _load_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML: {where}{getattr(exc, 'problem', None) or exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: the catalog cannot be read ({type(exc).__name__})") from None


def _read(path: Path) -> Catalog:
    """One catalog file: ``name`` (the language's own name) and ``strings`` (key -> non-empty text)."""
    data = _load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not data["name"].strip():
        raise ConfigError(f"{path}: 'name' must give the language's own name (name: \"Italiano\")")
    outside = [key for key in data if key not in ("name", "strings")]
    if outside:
        raise ConfigError(f"{path}: key '{outside[0]}' is outside 'strings' (indent it under 'strings:')")
    strings = data.get("strings")
    if not isinstance(strings, dict):
        raise ConfigError(f"{path}: 'strings' must map each key to its text")
    for key, text in strings.items():
        if not isinstance(text, str) or not text.strip():
            raise ConfigError(f"{path}: key '{key}': the text must be a non-empty string in quotes")
    return Catalog(path.stem, data["name"].strip(), {str(key): text for key, text in strings.items()})


def _placeholders(path: Path, key: str, text: str) -> frozenset[str]:
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)
    except ValueError as exc:
        raise ConfigError(f"{path}: key '{key}': {exc} (a brace shown as text is written twice)") from None


def _shown(names: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "none"


def _check(path: Path, catalog: Catalog, english: Mapping[str, frozenset[str]]) -> None:
    """Every key of ``catalog`` is one of English's, with the same placeholders."""
    for key, text in catalog.strings.items():
        if key not in english:
            raise ConfigError(f"{path}: key '{key}' is not in {REFERENCE}.yaml (a typo, or a string no longer used)")
        found = _placeholders(path, key, text)
        if found != english[key]:
            raise ConfigError(
                f"{path}: key '{key}': placeholders {_shown(found)} differ from English's {_shown(english[key])}"
            )


@functools.cache
def load_catalogs(folder: Path = LOCALES) -> Catalogs:
    """Every ``<code>.yaml`` catalog in ``folder``, read and checked once: English first, then the others by code.

    Raises:
        ConfigError: one line naming the file, the key and the reason: the English catalog is missing, a file is not
            a catalog, or a key is not one of English's or has other placeholders than in English.
    """
    english_path = folder / f"{REFERENCE}.yaml"
    if not english_path.is_file():
        raise ConfigError(f"{english_path}: the English catalog is missing (every other catalog is checked against it)")
    english = _read(english_path)
    placeholders = {key: _placeholders(english_path, key, text) for key, text in english.strings.items()}
    by_code = {REFERENCE: english}
    for path in sorted(folder.glob("*.yaml")):
        if path.stem != REFERENCE:
            catalog = _read(path)
            _check(path, catalog, placeholders)
            by_code[catalog.code] = catalog
    return Catalogs(by_code)


def languages() -> dict[str, str]:
    """The interface languages, one per catalog in ``core/locales/``: code -> the language's own name, English first."""
    return load_catalogs().languages()


def translate(key: str, language: str, **values: object) -> str:
    """The string for ``key`` in ``language``, formatted with ``values``.

    English when the language has no catalog or its catalog lacks the key.

    Raises:
        KeyError: ``key`` is not a known string (a typo in a page should fail its test, not show a blank).
        ConfigError: a catalog is invalid (see :func:`load_catalogs`).
    """
    return load_catalogs().translate(key, language, **values)


@dataclass(frozen=True)
class Message:
    """A user-facing message as data: its key in the catalogs and the values of its placeholders.

    Code that does not know who reads it (``rag/``) returns a Message; whoever shows it picks the language.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def text(self, language: str) -> str:
        """The message in ``language`` (English when the language is unknown)."""
        return translate(self.key, language, **self.values)
