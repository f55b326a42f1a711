"""No personal data planted in case files reaches any byte under the index folder or the build's output."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import TEST_CONFIG
from tests.fixtures_docs import make_docx, make_pdf

pytestmark = pytest.mark.slow

PLANTED = {
    "Ngozi Okonkwo-Adeyemi": "PERSON",
    "OKONKWO": "PERSON",
    "Dragan Petrović": "PERSON",
    "Via dei Mille 45": "ADDRESS",
    "347 555 0192": "PHONE",
    "+39 320 4567890": "PHONE",
    "ngozi.okonkwo@example.org": "EMAIL",
    "IT60X0542811101000000123456": "IBAN",
    "RSSMRA85T10A562S": "FISCAL_CODE",
    "YA7654321": "ID_NUMBER",
    "FG 482 KL": "PLATE",
    "14/08/2007": "DATE_OF_BIRTH",
}

NARRATIVE = (
    "The minor Ngozi Okonkwo-Adeyemi, born on 14/08/2007, was found at Via dei Mille 45, Catania. "
    "OKONKWO stated that Dragan Petrović took her passport YA7654321 and drove her in a car with plate FG 482 KL. "
    "Dragan Petrović used the numbers 347 555 0192 and +39 320 4567890 and the address ngozi.okonkwo@example.org. "
    "Payments went to IBAN IT60X0542811101000000123456; his fiscal code is RSSMRA85T10A562S."
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _strings_in(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_planted_personal_data_never_reaches_the_index(tmp_path: Path) -> None:
    kb = tmp_path / "kb" / "case_law"
    kb.mkdir(parents=True)
    (kb / "case_one.md").write_text(f"---\ntitle: Case of {next(iter(PLANTED))}\n---\n# Facts\n\n{NARRATIVE}\n")
    (kb / "case_two.txt").write_text(NARRATIVE.replace("The minor", "La minore"), encoding="utf-16")
    ascii_narrative = _ascii(NARRATIVE)  # the PDF's core font has no "ć"
    make_pdf(kb / "case_three.pdf", [ascii_narrative[:200], ascii_narrative[200:]])
    make_docx(kb / "case_four.docx", [("Heading 1", "Report"), ("Normal", NARRATIVE)])
    index = tmp_path / "index"
    build = subprocess.run(
        [sys.executable, "-m", "ingestion", "--config", str(TEST_CONFIG), "build", "--source", str(tmp_path / "kb"),
         "--index", str(index)],
        cwd=PROJECT_ROOT, capture_output=True, timeout=900, check=False,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr.decode()
    stored = _strings_in(index) + build.stdout + build.stderr
    assert len(stored) > 10_000  # the index really holds the documents
    for value, kind in PLANTED.items():
        for variant in {value, value.replace(" ", ""), _ascii(value)}:
            assert variant.encode("utf-8") not in stored, f"{kind} {value!r} leaked into the index or logs"
    assert b"Catania" in stored  # places are kept for route analysis
