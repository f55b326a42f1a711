"""The benchmarks' pure helpers: percentiles, deterministic chunk multiplication, vector perturbation."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.helpers import multiply_records, percentile, perturb, vary_text

BASES = [
    {
        "id": f"base-{i}",
        "text": f"Article {i} – Title\n\nFirst sentence {i}. Second sentence; third clause. Fourth sentence.",
        "source": "palermo_protocol_2000.md",
        "title": "Palermo Protocol",
        "doc_type": "legislation",
        "jurisdiction": "INT",
        "language": "en",
        "section": f"Article {i}",
        "page": -1,
        "ordinal": i,
    }
    for i in range(3)
]


def test_percentile_interpolates_like_numpy() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 7.0]
    for q in (0, 25, 50, 90, 95, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))
    assert percentile([3.0], 95) == 3.0


def test_percentile_rejects_empty_and_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_copy_zero_is_the_real_chunk_and_copies_keep_heading_and_sentences() -> None:
    text = BASES[1]["text"]
    assert vary_text(text, 0) == text
    varied = vary_text(text, 7)
    assert varied.startswith("Article 1 – Title\n\n")
    assert varied.endswith(" (copy 7)")
    body = varied[len("Article 1 – Title\n\n") : -len(" (copy 7)")]
    assert sorted(body.split(" ")) == sorted(text.split("\n\n")[1].split(" "))


def test_multiply_records_is_deterministic_and_cycles_the_bases() -> None:
    first = multiply_records(BASES, 10)
    second = multiply_records(BASES, 10)
    assert first == second
    assert len(first) == 10
    assert [(base, copy) for base, copy, _ in first[:4]] == [(0, 0), (1, 0), (2, 0), (0, 1)]
    records = [record for _, _, record in first]
    assert len({record["id"] for record in records}) == 10
    assert records[0]["text"] == BASES[0]["text"] and records[0]["source"] == BASES[0]["source"]
    assert records[3]["source"] == "bench-copies/00001/palermo_protocol_2000.md"
    assert records[3]["doc_type"] == "handbook"
    assert BASES[0]["id"] == "base-0"  # the bases are not modified


def test_perturb_gives_unit_vectors_close_to_the_original_and_repeatable() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(5, 384)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    copy = perturb(base, 3)
    assert np.allclose(np.linalg.norm(copy, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(copy * base, axis=1)
    assert np.all(cosines > 0.95) and np.all(cosines < 0.9999)
    assert np.array_equal(copy, perturb(base, 3))
    assert not np.array_equal(copy, perturb(base, 4))
    assert np.allclose(perturb(base, 0), base, atol=1e-6)


def test_peak_rss_is_read_for_this_process_and_by_pid() -> None:
    import os

    from benchmarks.helpers import peak_rss_mb

    assert 5 < peak_rss_mb() < 100_000
    assert peak_rss_mb(os.getpid()) >= peak_rss_mb() * 0.9
