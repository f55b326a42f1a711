"""Links and leaks of case workspaces: link precision and recall against the gold, and a byte search for raw data.

Every case of ``evaluation/cases/networks/gold.json`` is added to a fresh workspace with the real scrubber; the
case pairs the network links, the routes it reads and (for the test cases) the dates of its timeline are compared
with the gold's, per split (tune on ``dev``, report ``test``); then every file under the workspace is searched, as
bytes and case-insensitively, for every raw identifier, name, date of birth and file name.

Usage: python -m evaluation.network_eval [--cases FOLDER] [--config FILE] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis.cases_cli import load_intake
from analysis.cli import main as analysis_main
from analysis.workspace import Workspace

CASES = Path(__file__).resolve().parent / "cases" / "networks"
THRESHOLDS = {"precision": 0.95, "recall": 0.95, "leaks": 0, "route_precision": 0.8, "route_recall": 0.8,
              "timeline_precision": 0.9, "timeline_recall": 0.9}  # fmt: skip


def load_gold(folder: Path = CASES) -> dict[str, Any]:
    return dict(json.loads((folder / "gold.json").read_text(encoding="utf-8")))


def secrets_of(gold: dict[str, Any]) -> list[str]:
    """Every raw value that must stay out of a workspace: the gold's identifiers and names, and the file names."""
    files = [name for case in gold["cases"].values() for name in case["files"]]
    return sorted({*gold["secrets"], *files, *(Path(name).stem for name in files)})


def find_leaks(folder: Path, secrets: Iterable[str]) -> list[str]:
    """``file: secret`` for each secret found in a file under ``folder`` (bytes, case-insensitive)."""
    wanted = [(secret, secret.lower().encode("utf-8")) for secret in secrets]
    hits = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        hits += [f"{path.relative_to(folder)}: {secret}" for secret, raw in wanted if raw in data]
    return hits


def precision_recall(found: set[Any], wanted: set[Any]) -> dict[str, float]:
    """Precision and recall of ``found`` against ``wanted`` (1.0 where either is empty), with both sizes."""
    right = len(found & wanted)
    return {
        "precision": round(right / len(found), 4) if found else 1.0,
        "recall": round(right / len(wanted), 4) if wanted else 1.0,
        "found": len(found),
        "gold": len(wanted),
    }


def link_scores(found: set[tuple[str, str]], gold: set[tuple[str, str]], cases: set[str]) -> dict[str, float]:
    """Precision and recall of the linked case pairs among ``cases``."""
    return precision_recall({p for p in found if set(p) <= cases}, {p for p in gold if set(p) <= cases})


def route_scores(network: dict[str, Any], gold: dict[str, Any], cases: set[str]) -> dict[str, float]:
    """Precision and recall of the (case, route) pairs the network reads among ``cases``: a route counts when its
    places, in order, are the gold's."""
    found = {(r["case"], tuple(r["places"])) for r in network["routes"] if r["case"] in cases}
    return precision_recall(found, {(r["case"], tuple(r["places"])) for r in gold["routes"] if r["case"] in cases})


def timeline_scores(network: dict[str, Any], gold: dict[str, Any], cases: set[str]) -> dict[str, float]:
    """Precision and recall of the (case, date) pairs of the network's timeline among ``cases`` (the gold's event
    dates are given for the test cases): a date counts at the precision it is written with."""
    found = {(e["case"], e["date"]) for e in network["timeline"] if e["case"] in cases}
    return precision_recall(found, {(e["case"], e["date"]) for e in gold["events"] if e["case"] in cases})


def _extra_routes(network: dict[str, Any], gold: dict[str, Any]) -> list[str]:
    wanted = [(r["case"], r["places"]) for r in gold["routes"]]
    return sorted(f"{r['case']}: {' → '.join(r['places'])}" for r in network["routes"] if (r["case"], r["places"])
                  not in wanted)  # fmt: skip


def _extra_dates(network: dict[str, Any], gold: dict[str, Any], cases: set[str]) -> list[str]:
    wanted = {(e["case"], e["date"]) for e in gold["events"]}
    return sorted(f"{e['case']}: {e['date']} ({e['evidence']})" for e in network["timeline"]
                  if e["case"] in cases and (e["case"], e["date"]) not in wanted)  # fmt: skip


def build_workspace(gold: dict[str, Any], folder: Path, workspace: Path, key: Path, config: Path | None) -> str:
    """Add every gold case to ``workspace`` through the command line; what it printed on stdout.

    The models are loaded once, for the first case, and serve the others.
    """
    printed = io.StringIO()
    intake = load_intake(config, Workspace(workspace), key)
    for case, entry in gold["cases"].items():
        argv = ["add", "--workspace", str(workspace), "--case", case, "--key", str(key)]
        argv += [str(folder / name) for name in entry["files"]]
        if analysis_main(argv, stdout=printed, intake_factory=lambda *_: intake) != 0:
            raise SystemExit(f"adding case {case} failed (see above)")
    return printed.getvalue()


def evaluate(folder: Path = CASES, config: Path | None = None) -> dict[str, Any]:
    """Build a workspace from the gold's cases and measure its links and leaks."""
    gold = load_gold(folder)
    with tempfile.TemporaryDirectory() as scratch:
        workspace, key = Path(scratch) / "workspace", Path(scratch) / "secrets" / "pseudonym.key"
        printed = build_workspace(gold, folder, workspace, key, config)
        output = io.StringIO()
        analysis_main(["network", "--workspace", str(workspace), "--json"], stdout=output)
        network = json.loads(output.getvalue())
        leaks = find_leaks(workspace, secrets_of(gold))
        leaks += [f"output: {s}" for s in secrets_of(gold) if s.lower() in (printed + output.getvalue()).lower()]
    found = {(a, b) for link in network["links"] for a, b in [sorted(link["cases"])]}
    wanted = {(a, b) for a, b in (sorted(pair) for pair in gold["links"])}
    splits = {split: {c for c, e in gold["cases"].items() if e["split"] == split} for split in ("dev", "test")}
    kinds = sorted({pattern["kind"] for pattern in network["patterns"]})
    return {
        "all": link_scores(found, wanted, set(gold["cases"])),
        **{split: link_scores(found, wanted, cases) for split, cases in splits.items()},
        "routes": {split: route_scores(network, gold, cases) for split, cases in splits.items()},
        "timeline": timeline_scores(network, gold, splits["test"]),
        "timeline_extra": _extra_dates(network, gold, splits["test"]),
        "extra_routes": _extra_routes(network, gold),
        "extra_links": sorted(found - wanted),
        "missed_links": sorted(wanted - found),
        "networks": network["networks"],
        "pattern_kinds": kinds,
        "missed_patterns": sorted(set(gold["patterns"]) - set(kinds)),
        "leaks": leaks,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.network_eval", description=__doc__)
    parser.add_argument("--cases", type=Path, default=CASES, help="folder with gold.json and the case files")
    parser.add_argument("--config", type=Path, help="settings YAML (default: the usual settings)")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(args.cases, args.config)
    test, routes, timeline = report["test"], report["routes"]["test"], report["timeline"]
    summary = (
        f"links (test cases): precision {test['precision']:.3f}, recall {test['recall']:.3f} ({test['found']} found, "
        f"{test['gold']} gold); all cases: precision {report['all']['precision']:.3f}, recall "
        f"{report['all']['recall']:.3f}; routes (test cases): precision {routes['precision']:.3f}, "
        f"recall {routes['recall']:.3f}; timeline (test cases): precision {timeline['precision']:.3f}, recall "
        f"{timeline['recall']:.3f} ({timeline['found']} found, {timeline['gold']} gold); leaks {len(report['leaks'])}; "
        f"patterns {report['pattern_kinds']}"
    )
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else summary)
    ok = (
        test["precision"] >= THRESHOLDS["precision"]
        and test["recall"] >= THRESHOLDS["recall"]
        and len(report["leaks"]) <= THRESHOLDS["leaks"]
        and report["routes"]["test"]["precision"] >= THRESHOLDS["route_precision"]
        and report["routes"]["test"]["recall"] >= THRESHOLDS["route_recall"]
        and timeline["precision"] >= THRESHOLDS["timeline_precision"]
        and timeline["recall"] >= THRESHOLDS["timeline_recall"]
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
