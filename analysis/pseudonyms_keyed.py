"""Keyed pseudonyms: one HMAC of each normalised identifier, the same in every document of an installation."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import phonenumbers

from core.errors import ConfigError
from core.settings import Settings
from core.text import strip_accents
from ingestion.documents import ScrubResult
from ingestion.pseudonyms import Detection, pseudonymise

KEY_BYTES = 32
KEY_FILE = Path("secrets") / "pseudonym.key"
DEFAULT_REGION = "IT"
# Kinds that identify one person, account, phone or vehicle; a date of birth is shared by too many to link on.
LINKING_KINDS = frozenset(
    {"PHONE", "IBAN", "PLATE", "EMAIL", "ID_NUMBER", "FISCAL_CODE", "CARD_NUMBER", "IP_ADDRESS", "ADDRESS", "PERSON"}
)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_PLACEHOLDER = re.compile(r"<([A-Z_]+?)_(\d+)>")


def default_key_path(settings: Settings) -> Path:
    """Where the installation keeps its pseudonym key: beside its other secrets in the data folder."""
    return settings.data_dir / KEY_FILE


def load_or_create_key(path: Path) -> bytes:
    """The installation's pseudonym key, generated (32 random bytes, mode 0600) the first time it is asked for.

    Raises:
        ConfigError: the key file cannot be read or written, or is not a key.
    """
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(KEY_BYTES))
        key = path.read_bytes()
    except FileExistsError:  # another process created it a moment ago
        key = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: pseudonym key cannot be read or created ({exc.strerror or exc})") from None
    if len(key) != KEY_BYTES:
        raise ConfigError(f"{path}: not a pseudonym key ({len(key)} bytes instead of {KEY_BYTES})")
    return key


def normalise(kind: str, value: str) -> str:
    """How a value is compared: phones in E.164 (+39 by default), e-mail lower case, names folded and sorted."""
    if kind == "PHONE":
        try:
            number = phonenumbers.parse(value, DEFAULT_REGION)
            if phonenumbers.is_possible_number(number):
                return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        except phonenumbers.NumberParseException:
            pass
        return re.sub(r"\D", "", value)
    if kind == "EMAIL":
        return value.strip().lower()
    if kind in ("PERSON", "ADDRESS"):
        words = _WORD.findall(strip_accents(value).casefold())
        # "ROSSI Maria" and "Maria Rossi" are one person; an address keeps its order.
        return " ".join(sorted(words) if kind == "PERSON" else words)
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def keyed_id(key: bytes, kind: str, value: str) -> str:
    """The pseudonym of ``value``: its kind and 16 hex digits of HMAC-SHA256 over the normalised form."""
    digest = hmac.new(key, f"{kind}\x00{normalise(kind, value)}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}-{digest[:16]}"


def links(kind: str, value: str) -> bool:
    """Whether two documents naming this value are linked: identifiers yes, a single given name or a date no."""
    if kind not in LINKING_KINDS:
        return False
    return kind != "PERSON" or len(normalise(kind, value).split()) >= 2


@dataclass(frozen=True)
class Mention:
    """One placeholder of one document and the installation-wide pseudonym behind it."""

    placeholder: str  # the scrubber's per-document placeholder, e.g. <PHONE_1>
    identifier: str  # the keyed pseudonym, e.g. PHONE-3f9a2c1b7d5e0a44
    kind: str
    linking: bool


@dataclass
class KeyedScrub:
    """A scrubbed document and, for each of its placeholders, the keyed pseudonym."""

    result: ScrubResult
    mentions: dict[str, Mention]


def scrub_with_keys(key: bytes, texts: Sequence[str], found: Sequence[Sequence[Detection]]) -> KeyedScrub:
    """Pseudonymise the pages as the scrubber does, and key each placeholder by its value.

    A placeholder that stands for several written forms (``Maria Rossi`` … ``Rossi``) is keyed by its fullest one.

    Args:
        key: the installation's pseudonym key.
        texts: the document's pages (original text, read here and never kept).
        found: per page, the scrubber's detections in original coordinates.
    """
    kept = [_non_overlapping(page) for page in found]
    result = pseudonymise(texts, kept)
    values: dict[str, tuple[str, str]] = {}
    for text, detections, spans in zip(texts, kept, result.spans, strict=True):
        for item, span in zip(detections, spans, strict=True):
            value = text[item.start : item.end]
            best = values.get(span.placeholder)
            if best is None or len(normalise(item.entity_type, value)) > len(normalise(item.entity_type, best[1])):
                values[span.placeholder] = (item.entity_type, value)
    mentions = {
        placeholder: Mention(placeholder, keyed_id(key, kind, value), kind, links(kind, value))
        for placeholder, (kind, value) in values.items()
    }
    return KeyedScrub(result, mentions)


def _non_overlapping(detections: Sequence[Detection]) -> list[Detection]:
    """The detections pseudonymise replaces: in order, a later one overlapping an earlier one left out."""
    kept: list[Detection] = []
    for item in sorted(detections, key=lambda d: d.start):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept


def render(text: str, mentions: dict[str, Mention]) -> str:
    """A stored text with each placeholder shown as its installation-wide pseudonym."""

    def shown(match: re.Match[str]) -> str:
        mention = mentions.get(match.group())
        return f"<{mention.identifier}>" if mention is not None else match.group()

    return _PLACEHOLDER.sub(shown, text)


class Detector(Protocol):
    """What finds personal data in pages (the Presidio scrubber's ``detect``)."""

    def detect(self, texts: Sequence[str], language: str = "en") -> list[list[Detection]]: ...


class KeyedScrubber:
    """A PiiScrubber for the case analyzer that also keys each placeholder; ``take()`` hands over the last one.

    One instance serves one thread at a time (the command line adds files one after another).
    """

    def __init__(self, detector: Detector, key: bytes) -> None:
        self.detector = detector
        self.key = key
        self._last: KeyedScrub | None = None

    def scrub(self, texts: Sequence[str], language: str = "en") -> ScrubResult:
        """Scrub one document's pages with one pseudonym table (the PiiScrubber interface)."""
        self._last = scrub_with_keys(self.key, texts, self.detector.detect(list(texts), language))
        return self._last.result

    def take(self) -> KeyedScrub:
        """The keyed result of the last ``scrub`` call, handed over once."""
        if self._last is None:
            raise RuntimeError("KeyedScrubber.take() called before scrub()")
        last, self._last = self._last, None
        return last
