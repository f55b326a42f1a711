"""The frozen tuning/test split of the question files: a stable hash of each id, stratified by language and scope.

Every record carries `"split": "tune"` or `"split": "test"`. Rules and thresholds may be tuned on `tune` only; `test`
is what `make eval` reports. A split, once written, never changes: new questions get one so that each stratum
(language × answerable/out-of-scope) keeps at least `TEST_SHARE` of its questions in `test`.

Usage: python -m evaluation.splits FILE.jsonl [FILE.jsonl ...]   (rewrites each file in place; idempotent)
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

SPLITS = ("tune", "test")
TEST_SHARE = 0.5


def stable_rank(question_id: str) -> str:
    """An order of ids that does not depend on file order, Python's hash seed or the machine."""
    return hashlib.sha256(question_id.encode("utf-8")).hexdigest()


def question_stratum(record: dict[str, Any]) -> Hashable:
    """A question's stratum: its language and whether it is answerable."""
    return (record["language"], bool(record["answerable"]))


def assign_splits(
    records: list[dict[str, Any]],
    test_share: float = TEST_SHARE,
    stratum: Callable[[dict[str, Any]], Hashable] = question_stratum,
) -> list[dict[str, Any]]:
    """The records, each with a split; existing splits are kept, new ones fill each stratum's test share first.

    Args:
        records: records with an `id`; those with a `split` keep it.
        test_share: the least share of each stratum that goes to `test`.
        stratum: what a record is stratified by (a question's language and whether it is answerable).

    Returns:
        New record dicts in the same order.
    """
    strata: dict[Hashable, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        strata[stratum(record)].append(record)
    chosen: dict[str, str] = {}
    for members in strata.values():
        wanted = math.ceil(test_share * len(members)) - sum(r.get("split") == "test" for r in members)
        for record in sorted((r for r in members if "split" not in r), key=lambda r: stable_rank(r["id"])):
            chosen[record["id"]] = "test" if wanted > 0 else "tune"
            wanted -= 1
    return [record if "split" in record else {**record, "split": chosen[record["id"]]} for record in records]


def main(argv: Sequence[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    if not paths:
        print("usage: python -m evaluation.splits FILE.jsonl [FILE.jsonl ...]", file=sys.stderr)
        return 2
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        records = assign_splits([json.loads(line) for line in lines if line.strip()])
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        test = sum(r["split"] == "test" for r in records)
        print(f"{path.name}: {test} of {len(records)} questions in test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
