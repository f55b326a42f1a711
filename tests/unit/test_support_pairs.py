"""The labelled support set: well formed, its splits frozen and stratified, bad lines refused with one line."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from core.errors import InputError
from evaluation.splits import assign_splits
from evaluation.support_eval import LABELS, load_pairs, pair_stratum


def test_the_pairs_are_frozen_and_the_test_split_holds_enough_of_each_stratum() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 240 and sum(p["origin"] == "draft" for p in pairs) >= 30
    assert assign_splits(pairs, stratum=pair_stratum) == pairs, "a split would change: splits are frozen"
    assert sum(p["split"] == "test" for p in pairs) >= 0.4 * len(pairs)
    strata = Counter(pair_stratum(p) for p in pairs)
    tested = Counter(pair_stratum(p) for p in pairs if p["split"] == "test")
    assert all(tested[s] >= 0.4 * n for s, n in strata.items() if n >= 3), "a stratum is under-tested"
    assert {p["language"] for p in pairs} >= {"en", "it", "es", "fr", "de", "el", "ro", "bg", "pl"}
    assert {p["label"] for p in pairs} == set(LABELS)


def test_a_bad_line_is_refused_naming_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text('{"id": "x", "sentence": "A sentence."}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs.jsonl line 1: field 'question'"):
        load_pairs(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pairs.jsonl line 1: not JSON"):
        load_pairs(path)
