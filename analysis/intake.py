"""Adding files to a case workspace: each one scrubbed, keyed, analysed and stored in scrubbed form only."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.case import CASE_EXTENSIONS, CaseAnalysis, CaseAnalyzer
from analysis.pseudonyms_keyed import Detector, KeyedScrubber
from analysis.records import scrub_records
from analysis.routes import find_routes
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

    @property
    def detector(self) -> Detector:
        return self.scrubber.detector

    def add_files(self, case: str, paths: Sequence[Path]) -> AddReport:
        """Add each file to ``case``; one that fails is reported by name and the others go on."""
        report = AddReport()
        for path in paths:
            try:
                document_id = self.add_file(case, path)
            except SafeBordersError as exc:
                report.failed.append(f"{path.name}: {exc}" if path.name not in str(exc) else str(exc))
                continue
            if document_id is None:
                report.already.append(path.name)
            else:
                report.added.append(document_id)
        return report

    def add_file(self, case: str, path: Path) -> str | None:
        """Store one file in ``case``; its document id, or None when the same file is already there.

        Raises:
            InputError: the file is missing, unsupported, unreadable, too large or has no usable content.
        """
        extension = path.suffix.lower()
        if extension not in (*CASE_EXTENSIONS, *RECORD_EXTENSIONS):
            raise InputError(f"{path.name}: unsupported file (use {', '.join((*CASE_EXTENSIONS, *RECORD_EXTENSIONS))})")
        data = self._read(path)
        fingerprint = hmac.new(self.scrubber.key, b"document\x00" + data, hashlib.sha256).hexdigest()
        document = self._records(path, data) if extension in RECORD_EXTENSIONS else self._narrative(path)
        document.fingerprint = fingerprint
        return self.workspace.add(case, document)

    def _read(self, path: Path) -> bytes:
        limit = self.limits.max_file_mb * 1024 * 1024
        try:
            size = path.stat().st_size
            if size > limit:
                raise InputError(f"{path.name}: file is {size / 1024 / 1024:.1f} MB, over {self.limits.max_file_mb} MB")
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path.name}: cannot read file ({exc.strerror or exc})") from None
        if not data.strip():
            raise InputError(f"{path.name}: empty file")
        return data

    def _narrative(self, path: Path) -> NewDocument:
        limit = int(self.limits.max_file_mb * 1024 * 1024)
        analysis = self.analyzer.analyse_file(path, language=self.language, max_bytes=limit)
        keyed = self.scrubber.take()
        return NewDocument("", "narrative", analysis.language, analysis.scrubbed_text, kept_analysis(analysis),
                           list(keyed.mentions.values()))  # fmt: skip

    def _records(self, path: Path, data: bytes) -> NewDocument:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"{path.name}: not UTF-8 text; save the records as UTF-8 CSV") from None
        keyed, events = scrub_records(text, path.name, self.detector, self.scrubber.key)
        scrubbed = keyed.result.texts[0]
        places = sorted(find_places(scrubbed) + [e["place"] for e in events if e["place"]])
        analysis: dict[str, Any] = {"events": events, "places": sorted(set(places)), "child_victim": False}
        return NewDocument("", "records", "", scrubbed, analysis, list(keyed.mentions.values()))


def kept_analysis(analysis: CaseAnalysis) -> dict[str, Any]:
    """The part of a case analysis a workspace stores, with the places and routes the scrubbed text names."""
    data = analysis.to_json()
    kept = {key: data[key] for key in _KEPT_KEYS}
    kept["places"] = find_places(analysis.scrubbed_text)
    kept["routes"] = find_routes(split_sentences(analysis.scrubbed_text, keep_lines=False))
    return kept
