"""Measure the scrubber on the labelled passages: recall per entity type, precision, F2 and keep-violations."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.settings import ScrubbingSettings
from ingestion.pii_names import PLACES
from ingestion.scrub import Detection, PresidioScrubber

DATA = Path(__file__).resolve().parent / "pii" / "passages.jsonl"
# A gold span is found when at least this share of its characters is redacted (a missed initial is no leak).
COVERAGE = 0.8
# A place closing an address span: ", Milano", " Reggio Emilia".
_TRAILING_PLACE = re.compile(r",?[ \t]*(?P<place>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*)?)$")
ENTITY_TYPES = (
    "PERSON",
    "ADDRESS",
    "PHONE",
    "EMAIL",
    "IBAN",
    "FISCAL_CODE",
    "ID_NUMBER",
    "PLATE",
    "DATE_OF_BIRTH",
)


@dataclass
class Passage:
    """One labelled passage of the evaluation set."""

    id: str
    language: str
    text: str
    spans: list[dict[str, int | str]]
    keep: list[str]


@dataclass
class Report:
    """What the evaluation measured."""

    passages: int
    gold_spans: int
    recall: dict[str, float]
    found: dict[str, int]
    total: dict[str, int]
    recall_overall: float
    precision: float
    f2: float
    keep_violations: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)  # passage id and type only, never the value


def load_passages(path: Path = DATA) -> list[Passage]:
    """Read the labelled passages.

    Args:
        path: a JSON-lines file with id, language, text, spans (start, end, type) and keep strings.
    """
    with path.open(encoding="utf-8") as handle:
        return [Passage(**json.loads(line)) for line in handle if line.strip()]


def evaluate(passages: Sequence[Passage], detections: Sequence[Sequence[Detection]]) -> Report:
    """Score detections (original-text coordinates, one list per passage) against the gold spans.

    Args:
        passages: the labelled passages.
        detections: what the scrubber redacted in each passage.
    """
    found = dict.fromkeys(ENTITY_TYPES, 0)
    total = dict.fromkeys(ENTITY_TYPES, 0)
    redacted_chars = redacted_in_gold = 0
    violations: list[str] = []
    misses: list[str] = []
    for passage, spans in zip(passages, detections, strict=True):
        redacted: set[int] = set()
        for item in spans:
            redacted.update(range(item.start, item.end))
        gold_chars: set[int] = set()
        for gold in passage.spans:
            start, end, kind = int(gold["start"]), int(gold["end"]), str(gold["type"])
            chars = set(range(start, end))
            gold_chars |= chars
            total[kind] += 1
            needed = set(range(start, _without_kept_place(passage.text, start, end))) if kind == "ADDRESS" else chars
            if len(needed & redacted) >= COVERAGE * len(needed):
                found[kind] += 1
            else:
                misses.append(f"{passage.id}: {kind} at {start}")
        redacted_chars += len(redacted)
        redacted_in_gold += len(redacted & gold_chars)
        for keep in passage.keep:
            position = passage.text.find(keep)
            while position != -1:
                if redacted & set(range(position, position + len(keep))):
                    violations.append(f"{passage.id}: {keep}")
                    break
                position = passage.text.find(keep, position + 1)
    recall = {kind: found[kind] / total[kind] for kind in ENTITY_TYPES if total[kind]}
    overall = sum(found.values()) / max(1, sum(total.values()))
    precision = redacted_in_gold / redacted_chars if redacted_chars else 1.0
    f2 = 5 * precision * overall / (4 * precision + overall) if precision + overall else 0.0
    return Report(
        passages=len(passages),
        gold_spans=sum(total.values()),
        recall=recall,
        found=found,
        total=total,
        recall_overall=overall,
        precision=precision,
        f2=f2,
        keep_violations=violations,
        misses=misses,
    )


def _without_kept_place(text: str, start: int, end: int) -> int:
    """Where an address span ends once a city or country that closes it is left out ("via Padova 231, Milano").

    The scrubber keeps the cities and countries the assistant reasons about (``PLACES``) by design: a city after a
    redacted street and number identifies nobody, so a label that takes it into the address does not make it a miss.
    """
    match = _TRAILING_PLACE.search(text, start, end)
    if match is None or match.end() != end or match.group("place").casefold() not in PLACES:
        return end
    return match.start()


def run(settings: ScrubbingSettings | None = None, path: Path = DATA) -> Report:
    """Scrub every passage with the real scrubber (one passage = one document) and score it."""
    passages = load_passages(path)
    scrubber = PresidioScrubber(settings or ScrubbingSettings())
    scrubber.warm_up()
    detections = [scrubber.detect([passage.text], passage.language)[0] for passage in passages]
    return evaluate(passages, detections)


def markdown(report: Report) -> str:
    """The report as a Markdown table, one row per entity type."""
    lines = ["| entity | found | total | recall |", "| --- | ---: | ---: | ---: |"]
    for kind in ENTITY_TYPES:
        if report.total[kind]:
            lines.append(f"| {kind} | {report.found[kind]} | {report.total[kind]} | {report.recall[kind]:.3f} |")
    lines.append(f"| **all** | {sum(report.found.values())} | {report.gold_spans} | {report.recall_overall:.3f} |")
    lines.append("")
    lines.append(f"precision (redacted characters inside gold spans): {report.precision:.3f}")
    lines.append(f"F2: {report.f2:.3f}")
    lines.append(f"keep-violations: {len(report.keep_violations)}")
    lines.extend(f"  - {violation}" for violation in report.keep_violations)
    lines.extend(f"  missed {miss}" for miss in report.misses)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the table, optionally write the figures as JSON."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.pii_eval", description=__doc__)
    parser.add_argument("--json", type=Path, help="write the results to this file as JSON")
    parser.add_argument("--data", type=Path, default=DATA, help="labelled passages (JSON lines)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report = run(path=args.data)
    print(markdown(report))
    print(f"\n{report.passages} passages, {report.gold_spans} gold spans, {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
