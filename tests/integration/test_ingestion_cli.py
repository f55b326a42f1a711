"""The editors' command line with the real models: exit codes, one line per bad file, list, remove, scrub preview."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.conftest import TEST_CONFIG
from tests.fixtures_docs import make_docx, make_encrypted_pdf, make_image_only_pdf, make_pdf

pytestmark = pytest.mark.slow

CASE = """---
title: Fictional intake note
doc_type: case_law
---
# Intake note

## Facts
Maria Rossi, aged 15, lives in Via Roma 12, Palermo. Her phone is 333 1234567.
She was recruited by Ion Popescu, who took her passport YA1234567.
"""


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "ingestion", "--config", str(TEST_CONFIG), *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    (root / "legislation").mkdir(parents=True)
    (root / "case_law").mkdir()
    (root / "legislation" / "law.md").write_text("# Act\n\nArticle 1 – Scope\nChildren are protected.\n")
    (root / "case_law" / "intake.md").write_text(CASE, encoding="utf-8")
    make_pdf(
        root / "legislation" / "two_pages.pdf", ["Article 2 - Definitions\nA child is under 18.", "Article 3\nMore."]
    )
    make_docx(
        root / "legislation" / "decree.docx", [("Heading 1", "Decree"), ("Normal", "Article 4 – Aid\nHelp victims.")]
    )
    return root


def test_build_list_remove_and_exit_codes(tmp_path: Path, sources: Path) -> None:
    index = tmp_path / "index"
    built = _cli("build", "--quiet", "--source", str(sources), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "4 indexed" in built.stdout and "PERSON" in built.stdout

    listing = json.loads(_cli("list", "--index", str(index), "--json").stdout)
    documents = {doc["source"]: doc for doc in listing["documents"]}
    assert documents["legislation/two_pages.pdf"]["chunks"] >= 2
    assert documents["case_law/intake.md"]["scrubbed"]["PERSON"] >= 2

    # Bad files: each gets one line naming it, the good ones stay indexed, exit code 1.
    (sources / "legislation" / "empty.txt").write_text("")
    (sources / "legislation" / "noise.pdf").write_bytes(b"\x00\xffnot a pdf")
    make_encrypted_pdf(sources / "legislation" / "locked.pdf")
    make_image_only_pdf(sources / "legislation" / "scan.pdf")
    (sources / "legislation" / "data.xyz").write_text("?")
    failed = _cli("build", "--quiet", "--source", str(sources), "--index", str(index))
    assert failed.returncode == 1
    lines = [line for line in failed.stderr.splitlines() if line.startswith("FAILED")]
    assert len(lines) == 5
    for name, reason in [
        ("empty.txt", "empty"),
        ("noise.pdf", "PDF"),
        ("locked.pdf", "password"),
        ("scan.pdf", "OCR"),
        ("data.xyz", "unsupported"),
    ]:
        assert any(name in line and reason in line for line in lines), (name, lines)
    assert "Traceback" not in failed.stderr
    assert "4 unchanged" in failed.stdout  # nothing indexed before was lost

    removed = _cli("remove", "--index", str(index), "case_law/intake.md")
    assert removed.returncode == 0, removed.stderr
    after = json.loads(_cli("list", "--index", str(index), "--json").stdout)
    assert "case_law/intake.md" not in {doc["source"] for doc in after["documents"]}


def test_usage_and_settings_errors_exit_2(tmp_path: Path) -> None:
    missing = _cli("build", "--source", str(tmp_path / "nowhere"), "--index", str(tmp_path / "index"))
    assert missing.returncode == 2 and "nowhere" in missing.stderr and "Traceback" not in missing.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "ingestion", "list"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SAFEBORDERS_RETRIEVAL__K": "zero"},
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "retrieval.k" in bad.stderr


def test_scrub_preview_prints_placeholders_and_counts(sources: Path) -> None:
    preview = _cli("scrub", str(sources / "case_law" / "intake.md"))
    assert preview.returncode == 0, preview.stderr
    assert "Maria" not in preview.stdout and "333 1234567" not in preview.stdout and "YA1234567" not in preview.stdout
    assert "<PERSON_1>" in preview.stdout and "Palermo" in preview.stdout and "aged 15" in preview.stdout
    assert "PERSON" in preview.stderr and "PHONE" in preview.stderr
