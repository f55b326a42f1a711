"""Measure the scrubber on the third-party presidio-research synthetic set: critical recall per type, words kept.

The set lives outside the repository (``../shared/pii_benchmark/``, see its README). A fixed 40% of the records,
chosen by a hash of their position, is the test split: rules are tuned on the other 60% only, and the two are
reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.settings import ScrubbingSettings
from ingestion.scrub import Detection, PresidioScrubber

DATA = Path(__file__).resolve().parents[2] / "shared" / "pii_benchmark" / "synth_dataset_v2.json"
TEST_SHARE = 0.4
# A critical span is removed when at least this share of its characters is redacted (as in ``pii_eval``).
COVERAGE = 0.8
# The benchmark's types that identify or reach a person, under the names this report uses.
CRITICAL = {
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CARD_NUMBER",
    "US_SSN": "ID_NUMBER",
    "US_DRIVER_LICENSE": "ID_NUMBER",
    "STREET_ADDRESS": "STREET_LINE",
}
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Record:
    """One benchmark sentence with its critical spans (start, end, our type) and every labelled span."""

    id: str
    text: str
    critical: list[tuple[int, int, str]]
    labelled: list[tuple[int, int]]

    @property
    def is_test(self) -> bool:
        """Whether the record belongs to the frozen test split (a fixed hash of its id)."""
        return int(hashlib.sha256(self.id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < TEST_SHARE


@dataclass
class SplitReport:
    """Critical recall per type and the share of ordinary words left intact, for one split."""

    records: int
    found: dict[str, int]
    total: dict[str, int]
    recall: dict[str, float]
    critical_recall: float
    words_kept: float
    misses: list[str] = field(default_factory=list)


def _street_line(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The street part of a labelled address (its first line), or None for a bare number, postcode or unit."""
    line_end = text.find("\n", start, end)
    end = line_end if line_end != -1 else end
    value = text[start:end]
    words = [word for word in re.findall(r"[^\W\d_]{3,}", value) if word.casefold() not in ("apt", "suite")]
    return (start, end) if words else None


def load_records(path: Path = DATA) -> list[Record]:
    """Read the benchmark; each record is named by its position (``r0`` ...)."""
    records = []
    for position, raw in enumerate(json.loads(path.read_text(encoding="utf-8"))):
        text = raw["full_text"]
        critical, labelled = [], []
        for span in raw["spans"]:
            start, end, kind = span["start_position"], span["end_position"], span["entity_type"]
            labelled.append((start, end))
            if kind == "STREET_ADDRESS":
                line = _street_line(text, start, end)
                if line is not None:
                    critical.append((*line, "STREET_LINE"))
            elif kind in CRITICAL:
                critical.append((start, end, CRITICAL[kind]))
        records.append(Record(f"r{position}", text, critical, labelled))
    return records


def evaluate(records: Sequence[Record], detections: Sequence[Sequence[Detection]]) -> SplitReport:
    """Score what the scrubber redacted in each record against its critical spans and its unlabelled words."""
    found: dict[str, int] = {}
    total: dict[str, int] = {}
    words = kept = 0
    misses: list[str] = []
    for record, spans in zip(records, detections, strict=True):
        redacted = {i for item in spans for i in range(item.start, item.end)}
        for start, end, kind in record.critical:
            total[kind] = total.get(kind, 0) + 1
            if len(redacted & set(range(start, end))) >= COVERAGE * (end - start):
                found[kind] = found.get(kind, 0) + 1
            else:
                misses.append(f"{record.id} {kind}: {record.text[start:end]!r}")
        for match in _WORD.finditer(record.text):
            if any(s < match.end() and match.start() < e for s, e in record.labelled):
                continue
            words += 1
            kept += not redacted & set(range(match.start(), match.end()))
    recall = {kind: found.get(kind, 0) / total[kind] for kind in sorted(total)}
    return SplitReport(
        records=len(records),
        found=found,
        total=total,
        recall=recall,
        critical_recall=sum(found.values()) / max(1, sum(total.values())),
        words_kept=kept / max(1, words),
        misses=misses,
    )


def run(path: Path = DATA, settings: ScrubbingSettings | None = None) -> dict[str, SplitReport]:
    """Scrub every record (one record = one document) and report the tuning and the test split apart."""
    records = load_records(path)
    scrubber = PresidioScrubber(settings or ScrubbingSettings())
    detections = [scrubber.detect([record.text])[0] for record in records]
    splits = {"tuning": [], "test": []}  # type: dict[str, list[int]]
    for index, record in enumerate(records):
        splits["test" if record.is_test else "tuning"].append(index)
    return {
        name: evaluate([records[i] for i in indices], [detections[i] for i in indices])
        for name, indices in splits.items()
    }


def markdown(reports: dict[str, SplitReport]) -> str:
    """One table per split: found, total and recall per critical type, then the words kept."""
    lines = []
    for name, report in reports.items():
        lines += [f"### {name} split ({report.records} records)", "", "| type | found | total | recall |"]
        lines.append("| --- | ---: | ---: | ---: |")
        for kind, recall in report.recall.items():
            lines.append(f"| {kind} | {report.found.get(kind, 0)} | {report.total[kind]} | {recall:.3f} |")
        lines += [f"| **critical** | | | {report.critical_recall:.3f} |", ""]
        lines += [f"ordinary words kept: {report.words_kept:.3f}", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print both splits, optionally the misses of the tuning split and a JSON file."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.pii_benchmark", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the benchmark's synth_dataset_v2.json")
    parser.add_argument("--json", type=Path, help="write the figures to this file as JSON")
    parser.add_argument("--misses", action="store_true", help="print the tuning split's misses")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: benchmark file not found (see ../shared/pii_benchmark/README.md)", file=sys.stderr)
        return 2
    reports = run(args.data)
    print(markdown(reports))
    if args.misses:
        print("\n".join(reports["tuning"].misses))
    if args.json:
        args.json.write_text(json.dumps({k: asdict(v) for k, v in reports.items()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
