"""Checks shared by the PII evaluation tests: labelled sets are well-formed, misses are shown in context."""

from __future__ import annotations

import re
from collections.abc import Sequence

from evaluation.pii_eval import ENTITY_TYPES, Passage, Report

_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def fiscal_code_is_valid(code: str) -> bool:
    """Italian codice fiscale (any case): 16 characters whose last one is the check character of the first 15."""
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]", code):
        return False
    total = 0
    for index, char in enumerate(code[:15]):
        value = int(char) if char.isdigit() else ord(char) - ord("A")
        total += _CF_ODD[value] if index % 2 == 0 else value
    return chr(ord("A") + total % 26) == code[15]


def iban_is_valid(iban: str) -> bool:
    compact = iban.replace(" ", "")
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def context(passage: Passage, start: int, end: int, width: int = 30) -> str:
    text = passage.text
    return (text[max(0, start - width) : start] + "[[" + text[start:end] + "]]" + text[end : end + width]).replace(
        "\n", " / "
    )


def check_spans_and_keeps(passages: Sequence[Passage]) -> set[str]:
    """Assert every span is in range, typed, trimmed and checksum-valid, and no keep string lies inside a span.

    Returns:
        Every keep string of the set.
    """
    all_keeps: set[str] = set()
    for passage in passages:
        assert set(passage.__dict__) == {"id", "language", "text", "spans", "keep"}
        previous_end = 0
        gold: set[int] = set()
        for span in sorted(passage.spans, key=lambda s: int(s["start"])):
            assert set(span) == {"start", "end", "type"}, (passage.id, span)
            start, end, kind = int(span["start"]), int(span["end"]), str(span["type"])
            assert kind in ENTITY_TYPES, (passage.id, span)
            value = passage.text[start:end]
            assert previous_end <= start < end <= len(passage.text), (passage.id, span)
            assert value and value == value.strip(), (passage.id, span, value)
            if kind == "FISCAL_CODE":
                assert fiscal_code_is_valid(value), (passage.id, value)
            if kind == "IBAN":
                assert iban_is_valid(value), (passage.id, value)
            previous_end = end
            gold |= set(range(start, end))
        for keep in passage.keep:
            all_keeps.add(keep)
            position = passage.text.find(keep)
            assert position != -1, (passage.id, keep)
            while position != -1:  # a keep string never lies inside a labelled span
                assert not gold & set(range(position, position + len(keep))), (passage.id, keep)
                position = passage.text.find(keep, position + 1)
    return all_keeps


def misses(report: Report, passages: dict[str, Passage], kind: str) -> list[str]:
    lines = []
    for miss in report.misses:
        pid, rest = miss.split(": ", 1)
        miss_kind, start = rest.split(" at ")
        if miss_kind == kind:
            passage = passages[pid]
            span = next(s for s in passage.spans if int(s["start"]) == int(start) and s["type"] == kind)
            lines.append(f"{pid}: {context(passage, int(span['start']), int(span['end']))}")
    return lines
