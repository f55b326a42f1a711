"""Adding files to a case workspace: each one scrubbed, keyed, analysed and stored in scrubbed form only."""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.case import CASE_EXTENSIONS, CaseAnalysis, CaseAnalyzer
from analysis.pseudonyms_keyed import Detector, KeyedScrubber
from analysis.records import scrub_records
from analysis.routes import find_routes
from analysis.timeline import find_events, record_events
from analysis.workspace import NewDocument, Workspace
from core.errors import InputError, SafeBordersError
from core.settings import IngestionSettings
from core.text import split_sentences
from ingestion.pii_names import PLACES

RECORD_EXTENSIONS: tuple[str, ...] = (".csv",)
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][\wÀ-ÿ'’-]+")
# What of a case analysis a workspace keeps: the file name ("source") and the knowledge-base search are left out.
_KEPT_KEYS = ("indicators", "elements", "child_victim", "child_evidence", "high_risk_combinations", "actors",
              "relations", "scrubbed_counts", "sentences", "risk_summary")  # fmt: skip


def find_places(text: str) -> list[str]:
    """Cities, regions and countries a scrubbed text names (places are kept by the scrubber for route analysis)."""
    found = {match.group().casefold() for match in _CAPITALISED.finditer(text)}
    return sorted(place.title() for place in found & PLACES)


@dataclass
class AddReport:
    """What became of each file given to ``add``: stored (its document id), already in the case, or failed."""

    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one line each, naming the file and the reason


class CaseIntake:
    """Scrubs, keys, analyses and stores files in a workspace; the analyzer must scrub with ``scrubber``."""

    def __init__(
        self, analyzer: CaseAnalyzer, scrubber: KeyedScrubber, workspace: Workspace, limits: IngestionSettings
    ) -> None:
        if analyzer.scrubber is not scrubber:
            raise ValueError("the analyzer must scrub with the intake's KeyedScrubber")
        self.analyzer = analyzer
        self.scrubber = scrubber
        self.workspace = workspace
        self.limits = limits
        self.language: str | None = None  # None: each file's language is detected
        self._lock = threading.Lock()  # the keyed scrubber hands over its last result: one file at a time

    @property
    def detector(self) -> Detector:
        return self.scrubber.detector

    def add_files(self, case: str, paths: Sequence[Path]) -> AddReport:
        """Add each file to ``case``; one that fails is reported by name and the others go on."""
        return self._add_each(case, [(path.name, functools.partial(self._read, path)) for path in paths])

    def add_uploads(self, case: str, uploads: Sequence[tuple[str, bytes]]) -> AddReport:
        """Add files held in memory (the app's uploads, never written to disk) to ``case``, as ``add_files`` does."""
        return self._add_each(case, [(name, functools.partial(_held, data)) for name, data in uploads])

    def _add_each(self, case: str, files: Sequence[tuple[str, Callable[[], bytes]]]) -> AddReport:
        report = AddReport()
        for name, read in files:
            try:
                document_id = self.add_data(case, name, read())
            except SafeBordersError as exc:
                report.failed.append(f"{name}: {exc}" if name not in str(exc) else str(exc))
                continue
            if document_id is None:
                report.already.append(name)
            else:
                report.added.append(document_id)
        return report

    def add_file(self, case: str, path: Path) -> str | None:
        """Store one file in ``case``; its document id, or None when the same file is already there.

        Raises:
            InputError: the file is missing, unsupported, unreadable, too large or has no usable content.
        """
        self._check_extension(path.name)
        return self.add_data(case, path.name, self._read(path))

    def add_data(self, case: str, name: str, data: bytes) -> str | None:
        """Store the content of one file named ``name`` (only its extension is used) in ``case``.

        Safe to call from several threads (the app's sessions share one intake): one file is added at a time.

        Raises:
            InputError, IngestionError: an unsupported, too large, empty or unreadable file, naming it.
        """
        extension = self._check_extension(name)
        limit = self.limits.max_file_mb * 1024 * 1024
        if len(data) > limit:
            raise InputError(f"{name}: file is {len(data) / 1024 / 1024:.1f} MB, over {self.limits.max_file_mb} MB")
        if not data.strip():
            raise InputError(f"{name}: empty file")
        with self._lock:
            fingerprint = hmac.new(self.scrubber.key, b"document\x00" + data, hashlib.sha256).hexdigest()
            document = self._records(name, data) if extension in RECORD_EXTENSIONS else self._narrative(name, data)
            document.fingerprint = fingerprint
            return self.workspace.add(case, document)

    @staticmethod
    def _check_extension(name: str) -> str:
        extension = Path(name).suffix.lower()
        if extension not in (*CASE_EXTENSIONS, *RECORD_EXTENSIONS):
            raise InputError(f"{name}: unsupported file (use {', '.join((*CASE_EXTENSIONS, *RECORD_EXTENSIONS))})")
        return extension

    def _read(self, path: Path) -> bytes:
        self._check_extension(path.name)
        limit = self.limits.max_file_mb * 1024 * 1024
        try:
            size = path.stat().st_size
            if size > limit:
                raise InputError(f"{path.name}: file is {size / 1024 / 1024:.1f} MB, over {self.limits.max_file_mb} MB")
            return path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path.name}: cannot read file ({exc.strerror or exc})") from None

    def _narrative(self, name: str, data: bytes) -> NewDocument:
        from ingestion.load import read_bytes

        _, pages, _ = read_bytes(data, Path(name).suffix.lower(), name, self.limits)
        analysis = self.analyzer.analyse_pages([page.text for page in pages], source=name, language=self.language)
        keyed = self.scrubber.take()
        return NewDocument("", "narrative", analysis.language, analysis.scrubbed_text, kept_analysis(analysis),
                           list(keyed.mentions.values()))  # fmt: skip

    def _records(self, name: str, data: bytes) -> NewDocument:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{name}: not UTF-8 text; save the records as UTF-8 CSV") from None
        keyed, events = scrub_records(text, name, self.detector, self.scrubber.key)
        scrubbed = keyed.result.texts[0]
        places = sorted(find_places(scrubbed) + [e["place"] for e in events if e["place"]])
        timeline = record_events(scrubbed.split("\n"), [event["date"] for event in events])
        analysis: dict[str, Any] = {"events": events, "places": sorted(set(places)), "child_victim": False,
                                    "timeline": timeline}  # fmt: skip
        return NewDocument("", "records", "", scrubbed, analysis, list(keyed.mentions.values()))


def _held(data: bytes) -> bytes:
    return data


def kept_analysis(analysis: CaseAnalysis) -> dict[str, Any]:
    """The part of a case analysis a workspace stores, with the places, routes and dated events of the scrubbed text."""
    data = analysis.to_json()
    kept = {key: data[key] for key in _KEPT_KEYS}
    sentences = split_sentences(analysis.scrubbed_text, keep_lines=False)
    kept["places"] = find_places(analysis.scrubbed_text)
    kept["routes"] = find_routes(sentences)
    kept["timeline"] = find_events(sentences)
    return kept
