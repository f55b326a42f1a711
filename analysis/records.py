"""Call and transfer records (CSV, one row per event): each row scrubbed into an event between pseudonyms."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from analysis.pseudonyms_keyed import Detector, KeyedScrub, scrub_with_keys
from core.errors import InputError
from core.text import fold
from ingestion.pseudonyms import Detection

MAX_ROWS = 100_000
# A column's kind is read from its header: the identifier kinds first ("sender_account" is an account).
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("DATE_OF_BIRTH", ("birth", "dob", "nascita", "born", "nato", "nata")),  # replaced whole: never an event date
    ("EMAIL", ("email", "mail")),
    ("IBAN", ("iban", "account", "conto")),
    ("PLATE", ("plate", "targa", "vehicle", "veicolo")),
    ("PHONE", ("phone", "telefono", "caller", "callee", "chiamante", "chiamato", "number", "numero", "msisdn")),
    ("PERSON", ("name", "nome", "sender", "receiver", "mittente", "beneficiario", "ordinante", "holder", "intestatario",
                "destinatario")),
)  # fmt: skip
_FROM_WORDS = frozenset({"from", "caller", "chiamante", "sender", "mittente", "ordinante", "da", "payer"})
_TO_WORDS = frozenset(
    {"to", "callee", "chiamato", "receiver", "beneficiario", "destinatario", "recipient", "a", "payee"}
)
_KEPT: dict[str, tuple[str, ...]] = {
    "date": ("date", "data", "time", "ora", "giorno", "day"),
    "amount": ("amount", "importo", "somma", "sum"),
    "place": ("city", "citta", "place", "luogo", "location", "comune", "town"),
}
_CELL = re.compile(r"(?P<header>[^:|]+): (?P<value>[^|]*)")


@dataclass(frozen=True)
class Column:
    """How a column is read: an identifier kind (or "" for free text) and where it points (from / to / "")."""

    header: str
    kind: str
    side: str
    kept: str  # date | amount | place | "" : values kept as written


def read_columns(header: list[str], source: str) -> list[Column]:
    """The columns of a records file from its header row; an identifier column has to be there."""
    columns = []
    for name in header:
        folded = fold(name.strip())
        words = set(re.findall(r"[a-z]+", folded))
        kind = next((k for k, names in _KIND_WORDS if words.intersection(names)), "")
        side = "from" if words & _FROM_WORDS else ("to" if words & _TO_WORDS else "")
        kept = "" if kind else next((k for k, names in _KEPT.items() if words.intersection(names)), "")
        columns.append(Column(name.strip().replace("|", "/").replace(":", " "), kind, side, kept))
    if not any(column.kind not in ("", "DATE_OF_BIRTH") for column in columns):
        raise InputError(
            f"{source}: no identifier column in the header (name a column phone, caller, callee, iban, account, "
            "sender, receiver, plate or email)"
        )
    return columns


def parse_rows(data: str, source: str) -> tuple[list[Column], list[list[str]]]:
    """The columns and rows of a CSV text (comma, semicolon or tab separated, a header row first)."""
    try:
        dialect = csv.Sniffer().sniff(data[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(data), dialect) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        raise InputError(f"{source}: a records file needs a header row and at least one event row")
    if len(rows) > MAX_ROWS + 1:
        raise InputError(f"{source}: {len(rows) - 1:,} rows, over the {MAX_ROWS:,} a records file may have")
    columns = read_columns(rows[0], source)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(columns):
            raise InputError(f"{source}: row {number} has {len(row)} cells, the header has {len(columns)}")
    return columns, rows[1:]


def scrub_records(data: str, source: str, detector: Detector, key: bytes) -> tuple[KeyedScrub, list[dict[str, Any]]]:
    """Scrub a records file into one line per row and read each scrubbed line back as an event.

    Identifier columns are replaced whole by their kind; every other cell goes through the scrubber.

    Raises:
        InputError: naming the file and the row or header at fault.
    """
    columns, rows = parse_rows(data, source)
    lines: list[str] = []
    typed: list[Detection] = []
    offset = 0
    for row in rows:
        cells: list[str] = []
        for column, value in zip(columns, row, strict=True):
            value = " ".join(value.replace("|", "/").split())
            prefix = f"{column.header}: "
            if column.kind and value:
                start = offset + sum(len(c) + 3 for c in cells) + len(prefix)
                typed.append(Detection(start, start + len(value), column.kind))
            cells.append(prefix + value)
        lines.append(" | ".join(cells))
        offset += len(lines[-1]) + 1
    text = "\n".join(lines)
    found = [d for d in detector.detect([text])[0] if not any(d.start < t.end and t.start < d.end for t in typed)]
    keyed = scrub_with_keys(key, [text], [sorted([*typed, *found], key=lambda d: d.start)])
    scrubbed_lines = keyed.result.texts[0].split("\n")
    return keyed, [_event(number, line, columns) for number, line in enumerate(scrubbed_lines, start=2)]


def _event(row: int, line: str, columns: list[Column]) -> dict[str, Any]:
    """One scrubbed row as an event: who called or paid whom (placeholders), when, how much, where."""
    values = [match.group("value").strip() for match in _CELL.finditer(line)]
    event: dict[str, Any] = {"row": row, "kind": "call", "from": [], "to": [], "date": "", "amount": "", "place": ""}
    for column, value in zip(columns, values, strict=False):
        if column.kind == "IBAN" or column.kept == "amount":
            event["kind"] = "transfer"
        if column.kind and value.startswith("<") and column.side:
            event[column.side].append(value)
        elif column.kept and value:
            event[column.kept] = value
    return event
