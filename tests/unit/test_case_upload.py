"""An uploaded case file is analysed in memory, titled by its scrubbed name, and a stored analysis is private."""

from __future__ import annotations

import json
import stat
import tempfile
from pathlib import Path

import pytest

from analysis.case import CaseAnalyzer
from analysis.catalogue import parse_catalogue
from app.case_analyses import CaseAnalysisStore
from app.case_upload import analyse_upload, scrubbed_title
from app.db.engine import SQLITE_FILE
from core.errors import InputError
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.unit.test_case_analysis import RULES_ONLY, TINY

RAW_NAME = "Maria_Rossi_statement.txt"
CASE = b"Maria Rossi said the boss took her passport and she had to work to repay a debt."


@pytest.fixture
def analyzer() -> CaseAnalyzer:
    return CaseAnalyzer(parse_catalogue(TINY), HashEmbedder(), KeywordScrubber(("Maria Rossi",)), None, RULES_ONLY)


def test_an_upload_leaves_no_file_and_is_titled_by_its_scrubbed_name(
    analyzer: CaseAnalyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where any temporary file would land
    result = analyse_upload(analyzer, RAW_NAME, CASE, scrubber=KeywordScrubber(("Maria Rossi",)), max_bytes=10_000)
    assert list(scratch.iterdir()) == []  # nothing written, so a killed process cannot leave the case behind
    assert result.source == "<PERSON_1> statement.txt"
    store = CaseAnalysisStore(tmp_path / "data")
    stored = store.save("judy", result.source, {**result.to_json(), "scrubbed_text": result.scrubbed_text})
    kept = store.get("judy", stored.id)
    assert kept is not None and kept.title == "<PERSON_1> statement.txt"
    assert "<PERSON_1>" in kept.analysis["scrubbed_text"]
    assert "Maria" not in json.dumps(kept.analysis) and "Rossi" not in json.dumps(kept.analysis)
    assert b"Rossi" not in (tmp_path / "data" / SQLITE_FILE).read_bytes()
    assert stat.S_IMODE((tmp_path / "data" / SQLITE_FILE).stat().st_mode) == 0o600


def test_bad_uploads_are_refused_in_one_line_without_the_raw_name(analyzer: CaseAnalyzer) -> None:
    scrubber = KeywordScrubber(("Maria Rossi",))
    with pytest.raises(InputError, match=r"^<PERSON_1> statement\.exe: unsupported case file"):
        analyse_upload(analyzer, "Maria_Rossi_statement.exe", CASE, scrubber=scrubber, max_bytes=10_000)
    with pytest.raises(InputError, match="over the"):
        analyse_upload(analyzer, RAW_NAME, CASE, scrubber=scrubber, max_bytes=10)
    assert scrubbed_title("Maria Rossi.pdf", None) == "case file.pdf"  # no scrubber: never the raw name
