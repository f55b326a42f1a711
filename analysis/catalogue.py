"""The indicator catalogue (knowledge_base/indicators/indicators.yaml) read and validated into typed entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError

ELEMENTS: tuple[str, ...] = ("act", "means", "purpose")
SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
_LIST_FIELDS = ("examples_en", "examples_it", "keywords", "negations", "provisions")
_TEXT_FIELDS = ("id", "category", "label", "description", "element", "severity")


@dataclass(frozen=True)
class Indicator:
    """One observable sign of trafficking, with the phrasings and words that reveal it."""

    id: str
    category: str
    label: str
    description: str
    element: str  # act | means | purpose
    severity: str  # high | medium | low
    examples_en: tuple[str, ...]
    examples_it: tuple[str, ...]
    keywords: tuple[str, ...]
    negations: tuple[str, ...]
    provisions: tuple[str, ...]

    @property
    def examples(self) -> tuple[str, ...]:
        return self.examples_en + self.examples_it


@dataclass(frozen=True)
class Catalogue:
    """All indicators, in catalogue order."""

    indicators: tuple[Indicator, ...]
    version: int = 1

    def get(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(indicator.id for indicator in self.indicators)


def default_catalogue_path(knowledge_base: Path) -> Path:
    return knowledge_base / "indicators" / "indicators.yaml"


def parse_catalogue(data: Any, source: str = "indicators.yaml") -> Catalogue:
    """Validate the YAML structure and build the catalogue.

    Raises:
        ConfigError: naming the entry and field that is missing or invalid.
    """
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list) or not data["indicators"]:
        raise ConfigError(f"{source}: expected a mapping with a non-empty 'indicators' list")
    seen: set[str] = set()
    indicators = []
    for position, entry in enumerate(data["indicators"], start=1):
        if not isinstance(entry, dict):
            raise ConfigError(f"{source}: indicator #{position} is not a mapping")
        name = str(entry.get("id") or f"#{position}")
        for key in _TEXT_FIELDS:
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ConfigError(f"{source}: indicator '{name}' has no '{key}'")
        for key in _LIST_FIELDS:
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise ConfigError(f"{source}: indicator '{name}': '{key}' must be a list of strings")
        if entry["element"] not in ELEMENTS:
            raise ConfigError(f"{source}: indicator '{name}': element '{entry['element']}' is not act/means/purpose")
        if entry["severity"] not in SEVERITIES:
            raise ConfigError(f"{source}: indicator '{name}': severity '{entry['severity']}' is not high/medium/low")
        if not entry.get("examples_en") and not entry.get("examples_it"):
            raise ConfigError(f"{source}: indicator '{name}' has no examples")
        if name in seen:
            raise ConfigError(f"{source}: indicator id '{name}' is used twice")
        seen.add(name)
        fields: dict[str, Any] = {key: entry[key].strip() for key in _TEXT_FIELDS}
        fields.update({key: tuple(i.strip() for i in entry.get(key, []) if i.strip()) for key in _LIST_FIELDS})
        indicators.append(Indicator(**fields))
    return Catalogue(tuple(indicators), int(data.get("version", 1)))


def load_catalogue(path: Path) -> Catalogue:
    """Read and validate the catalogue file.

    Raises:
        ConfigError: the file is missing, is not valid YAML, or an entry is invalid.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: indicator catalogue cannot be read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: indicator catalogue is not valid YAML ({exc})".replace("\n", " ")) from None
    return parse_catalogue(data, path.name)
