"""Display names of the analysis' vocabulary (indicators, elements, forms, roles…) in English or Italian."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

NAMES_FILE = Path(__file__).with_name("names_it.yaml")
# Vocabularies with an Italian table in names_it.yaml; every other section name is a programming error.
VOCABULARIES: tuple[str, ...] = (
    "indicators", "categories", "elements", "severities", "exploitation_type", "recruitment_method",
    "victim_age_group", "outcome", "roles", "relations", "combinations", "instruments",
)  # fmt: skip


@lru_cache(maxsize=1)
def italian_names() -> dict[str, dict[str, str]]:
    """The Italian tables, read once.

    Raises:
        ConfigError: the file is missing, is not YAML, or a section is not a mapping of strings.
    """
    try:
        data: Any = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{NAMES_FILE.name}: the Italian names cannot be read ({type(exc).__name__})") from None
    tables: dict[str, dict[str, str]] = {}
    for section in VOCABULARIES:
        table = data.get(section) if isinstance(data, dict) else None
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ConfigError(f"{NAMES_FILE.name}: '{section}' must map each value to its Italian name")
        tables[section] = {str(key): value for key, value in table.items()}
    return tables


def name(vocabulary: str, value: str, language: str) -> str:
    """``value`` of ``vocabulary`` as a reader sees it: "domestic servitude" / "servitù domestica".

    A value the Italian table does not know (a new front-matter value) is shown as written, with spaces for "_".

    Raises:
        KeyError: ``vocabulary`` is not one of ``VOCABULARIES``.
    """
    table = italian_names()[vocabulary]
    if language == "it" and value in table:
        return table[value]
    return value.replace("_", " ")


def indicator_label(indicator_id: str, english_label: str, language: str) -> str:
    """An indicator's label: the catalogue's English label, or its Italian name."""
    return italian_names()["indicators"].get(indicator_id, english_label) if language == "it" else english_label


def citation(text: str, language: str) -> str:
    """A provision as cited in ``language``: "Directive 2011/36/EU art. 2(5)" -> "Direttiva 2011/36/UE art. 2(5)"."""
    if language != "it":
        return text
    instruments = italian_names()["instruments"]
    for english in sorted(instruments, key=len, reverse=True):
        if re.match(rf"{re.escape(english)}\b", text):
            return instruments[english] + text[len(english) :]
    return text
