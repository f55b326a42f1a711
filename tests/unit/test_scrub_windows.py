"""Cutting long pages into overlapping windows for spaCy, and merging what each window found."""

from __future__ import annotations

import itertools

from ingestion.pseudonyms import Detection
from ingestion.scrub import merge_windows, text_windows


def test_windows_cover_the_text_overlap_and_end_at_paragraphs() -> None:
    text = "".join(f"Paragraph {n} names Maria Rossi once.\n\n" for n in range(400))
    windows = text_windows(text, size=2000, overlap=300)
    assert len(windows) > 5
    assert windows[0][0] == 0 and windows[-1][1] == len(text)
    for (start, end), (next_start, _) in itertools.pairwise(windows):
        assert end - start <= 2000 and next_start < end  # every boundary lies inside two windows
        assert text[end - 2 : end] == "\n\n" and text[next_start - 2 : next_start] == "\n\n"
    assert text_windows("short", size=2000) == [(0, 5)]


def test_windows_without_breaks_still_cut_within_the_size() -> None:
    text = "x" * 10_000
    windows = text_windows(text, size=1000, overlap=100)
    assert all(end - start <= 1000 for start, end in windows) and windows[-1][1] == len(text)


def test_merged_windows_keep_each_detection_once_in_page_coordinates() -> None:
    text = "".join(f"Paragraph {n} names Maria Rossi once.\n\n" for n in range(400))
    windows = text_windows(text, size=2000, overlap=300)
    found = []
    for start, end in windows:  # what a detector finds in each window, in window coordinates
        window = text[start:end]
        found.append([
            Detection(index, index + len("Maria Rossi"), "PERSON")
            for index in range(len(window)) if window.startswith("Maria Rossi", index)
        ])  # fmt: skip
    merged = merge_windows(windows, found)
    assert len(merged) == 400
    assert all(text[d.start : d.end] == "Maria Rossi" for d in merged)
