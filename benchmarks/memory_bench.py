"""Peak memory of the app process with the default models, and cold start from process start to the first answer.

A fresh interpreter does what the Streamlit app's process does for one user: imports Streamlit and our packages,
builds the Assistant from the default settings over an index of the treaties, warms it (index, embedder, LLM),
warms the Presidio scrubber, answers one question, and reports its peak resident memory (VmHWM). Driving the real
server would add Streamlit's own session machinery but needs a browser to ask anything (the app benchmark does).
References from the same run: the same imports without any model, and a bare interpreter.

Usage (internal): python -m benchmarks.memory_bench --child full|imports --index DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.helpers import peak_rss_mb
from core.settings import PROJECT_ROOT, Settings

TARGET_MB = 2500
QUESTION = "What assistance must states give to victims of trafficking in persons?"
# The bare interpreter's peak memory, read as benchmarks.helpers.peak_rss_mb does (importing it would load numpy).
BARE_PEAK_RSS_MB = (
    "next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM:')) / 1024"
)
TREATIES = ("palermo_protocol_2000.md", "coe_convention_cets197_2005.md", "un_convention_rights_of_the_child_1989.md")


def _child(mode: str, index_dir: Path) -> dict[str, Any]:
    import streamlit  # noqa: F401 - the app process has it loaded

    from core.settings import load_settings
    from ingestion.scrub import PresidioScrubber
    from rag.service import Assistant

    report: dict[str, Any] = {"mode": mode}
    if mode == "full":
        settings = load_settings()
        assistant = Assistant.from_settings(settings, index_dir=index_dir)
        assistant.warm_up()
        PresidioScrubber(settings.scrubbing).warm_up()
        answer = assistant.ask(QUESTION)
        report["answer_chars"] = len(answer.answer)
        report["abstained"] = answer.abstained
    report["done_at"] = time.time()
    report["rss_mb"] = peak_rss_mb()
    return report


def _spawn(args: Sequence[str]) -> tuple[dict[str, Any], float]:
    """Run a child interpreter; returns its last JSON line and the wall time from spawn to its ``done_at``."""
    started = time.time()
    completed = subprocess.run(
        [sys.executable, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory benchmark child failed: {completed.stderr.strip()[-800:]}")
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    return report, float(report.get("done_at", time.time())) - started


def run(settings: Settings, *, quick: bool = False) -> dict[str, Any]:
    from benchmarks.answer_bench import build_treaty_index

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        index_dir = Path(tmp) / "index"
        build_treaty_index(settings, index_dir, TREATIES[:1] if quick else TREATIES)
        bare, _ = _spawn(
            [
                "-c",
                f"import json, time; print(json.dumps({{'done_at': time.time(), 'rss_mb': {BARE_PEAK_RSS_MB}}}))",
            ]
        )
        imports, imports_s = _spawn(["-m", "benchmarks.memory_bench", "--child", "imports", "--index", str(index_dir)])
        full, cold_s = _spawn(["-m", "benchmarks.memory_bench", "--child", "full", "--index", str(index_dir)])
    return {
        "peak_rss_mb": round(full["rss_mb"], 1),
        "peak_rss_target_mb": TARGET_MB,
        "peak_rss_met": full["rss_mb"] <= TARGET_MB,
        "cold_start_s": round(cold_s, 2),
        "imports_rss_mb": round(imports["rss_mb"], 1),
        "imports_s": round(imports_s, 2),
        "bare_rss_mb": round(bare["rss_mb"], 1),
        "memory_index_documents": 1 if quick else len(TREATIES),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory_bench", description=__doc__)
    parser.add_argument("--child", choices=("full", "imports"), required=True)
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(_child(args.child, args.index)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
