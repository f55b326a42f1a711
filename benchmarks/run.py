"""`make bench`: run the benchmarks, print each figure beside its same-run reference, write results JSON.

Usage: python -m benchmarks.run [--only ingest,...]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.settings import load_settings

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--only", default="ingest", help="comma-separated: ingest")
    args = parser.parse_args(argv)
    settings = load_settings()
    results: dict[str, object] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} · {platform.processor() or 'cpu'} · Python {platform.python_version()}",
    }
    wanted = set(args.only.split(","))
    if "ingest" in wanted:
        from benchmarks.ingest_bench import run as run_ingest

        ingest = run_ingest(settings)
        results.update(ingest)
        print(
            f"ingestion: {ingest['ingest_chars_per_s']:.0f} chars/s end to end; "
            f"model-pass bound {ingest['model_bound_chars_per_s']:.0f} chars/s "
            f"(Presidio {ingest['presidio_s']} s + embedding {ingest['embed_s']} s) → "
            f"ratio {ingest['ingest_ratio_to_model_bound']:.2f} (target ≥ 0.8); "
            f"plain LangChain pipeline {ingest['langchain_s']} s → ours/theirs speed "
            f"{ingest['ingest_ratio_to_langchain']:.2f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    text = json.dumps(results, indent=1)
    (RESULTS / f"bench-{stamp}.json").write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
