"""A build over hostile files: each bad file fails alone by name, the rest is indexed, exit codes tell them apart."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from analysis.case import CaseAnalyzer
from analysis.catalogue import parse_catalogue
from core.errors import IndexUnavailableError, InputError
from core.index_files import generations_dir
from core.settings import IngestionSettings, Settings, load_settings
from core.store import ChromaStore
from ingestion.documents import ScrubResult
from ingestion.pipeline import Components, build_index
from rag.search import open_index
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.unit.test_case_analysis import RULES_ONLY, TINY
from tests.unit.test_hostile_files import bomb_docx, deep_html, many_pages_pdf

GOOD_CASE = (
    "# Case of the good file\n\n## Facts\nMaria Rossi was made to beg in the street and her passport was kept.\n"
)
LONG_PARAGRAPH = "The applicant described the journey, the debt and the work in the greenhouses in detail. " * 20


def long_narrative() -> str:
    """About 1.5 MB of legitimate prose in paragraphs: over spaCy's 1,000,000-character limit."""
    return "# A long case narrative\n\n" + "".join(f"{LONG_PARAGRAPH} Paragraph {n}.\n\n" for n in range(850))


class _LibraryCrash:
    """A scrubber whose library fails on one document, the way spaCy or Presidio may fail on odd input."""

    def __init__(self, inner: KeywordScrubber) -> None:
        self.inner = inner

    def scrub(self, texts: Sequence[str], language: str = "en") -> ScrubResult:
        if any("TRIGGER-LIBRARY-BUG" in text for text in texts):
            raise RecursionError("maximum recursion depth exceeded while calling a Python object")
        return self.inner.scrub(texts, language)


def hostile_folder(root: Path) -> Path:
    for folder in ("case_law", "handbook"):
        (root / folder).mkdir(parents=True)
    (root / "case_law" / "bomb.docx").write_bytes(bomb_docx(300))
    (root / "handbook" / "deep.html").write_bytes(deep_html(1_000_000))
    (root / "handbook" / "many.pdf").write_bytes(many_pages_pdf(5000))
    (root / "case_law" / "long.txt").write_text(long_narrative(), encoding="utf-8")
    (root / "case_law" / "good.md").write_text(GOOD_CASE, encoding="utf-8")
    (root / "handbook" / "odd.md").write_text("# Odd\n\nTRIGGER-LIBRARY-BUG in this text.\n", encoding="utf-8")
    return root


@pytest.fixture
def roomy(tmp_path: Path) -> Settings:
    """The test profile with room for the 11 MB deep HTML file (its 1 MB limit would refuse it before parsing)."""
    return load_settings(
        TEST_CONFIG, paths={"index": tmp_path / "index", "data": tmp_path / "data"}, ingestion={"max_file_mb": 20}
    )


def test_build_refuses_hostile_files_by_name_and_indexes_the_rest(tmp_path: Path, roomy: Settings) -> None:
    components = Components(HashEmbedder(), _LibraryCrash(KeywordScrubber()), ChromaStore(roomy.vector_store))  # type: ignore[arg-type]
    report = build_index([hostile_folder(tmp_path / "kb")], roomy.index_dir, roomy, components)
    reasons = {result.source: result.reason for result in report.failed}
    assert set(reasons) == {"case_law/bomb.docx", "handbook/deep.html", "handbook/many.pdf", "handbook/odd.md"}
    assert "max_unpacked_mb" in reasons["case_law/bomb.docx"]
    assert "max_nesting" in reasons["handbook/deep.html"]
    assert "max_pdf_pages" in reasons["handbook/many.pdf"]
    assert reasons["handbook/odd.md"].startswith("handbook/odd.md: could not be indexed (RecursionError: maximum")
    assert all("\n" not in reason for reason in reasons.values())
    assert report.count("indexed") == 2 and report.generation is not None
    snapshot = open_index(roomy.index_dir, components.store, components.embedder.embed_query)
    assert {hit.source for hit in snapshot.lexical_search("greenhouses debt", 5)} == {"case_law/long.txt"}
    assert {hit.source for hit in snapshot.lexical_search("passport beg", 5)} >= {"case_law/good.md"}


def test_cli_build_exits_1_when_some_files_failed_and_2_when_the_build_failed(
    tmp_path: Path, roomy: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    import ingestion.cli as cli

    kb = tmp_path / "kb"
    (kb / "case_law").mkdir(parents=True)
    (kb / "case_law" / "good.md").write_text(GOOD_CASE, encoding="utf-8")
    (kb / "case_law" / "bomb.docx").write_bytes(bomb_docx(300))
    fakes = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(roomy.vector_store))
    argv = ["--config", str(TEST_CONFIG), "build", "--source", str(kb), "--index", str(roomy.index_dir), "--quiet"]
    assert cli.main(argv, components_factory=lambda settings: fakes) == cli.EXIT_SOME_FAILED
    assert "FAILED case_law/bomb.docx: .docx unpacks to 300 MB" in capsys.readouterr().err

    class _BrokenStore(ChromaStore):
        def create(self, generation_dir: Path, generation: str):  # type: ignore[no-untyped-def]
            raise RuntimeError("disk I/O error\nwith a second line")

    broken = Components(HashEmbedder(), KeywordScrubber(), _BrokenStore(roomy.vector_store))
    assert cli.main([*argv, "--rebuild"], components_factory=lambda settings: broken) == 2
    error = capsys.readouterr().err
    assert error == "error: build failed (RuntimeError: disk I/O error with a second line)\n"


def test_a_damaged_chroma_store_says_rebuild_the_index(tmp_path: Path, settings: Settings) -> None:
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(settings.vector_store))
    kb = tmp_path / "kb"
    (kb / "case_law").mkdir(parents=True)
    (kb / "case_law" / "good.md").write_text(GOOD_CASE, encoding="utf-8")
    report = build_index([kb], settings.index_dir, settings, components)
    database = generations_dir(settings.index_dir) / str(report.generation) / "chroma" / "chroma.sqlite3"
    damaged = bytearray(database.read_bytes())
    damaged[100:4096] = b"\xff" * (4096 - 100)
    database.write_bytes(bytes(damaged))
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()  # as a fresh process (the app, the CLI) would open it
    snapshot = open_index(settings.index_dir, components.store, components.embedder.embed_query)
    with pytest.raises(IndexUnavailableError, match=r"corrupted \(vector store .*malformed.*\); rebuild it: python"):
        snapshot.check()


def _analyzer(limits: IngestionSettings | None = None) -> CaseAnalyzer:
    return CaseAnalyzer(
        parse_catalogue(TINY), HashEmbedder(), KeywordScrubber(("Maria Rossi",)), None, RULES_ONLY, limits=limits
    )


def test_a_long_case_narrative_is_analysed_and_one_over_the_limit_refused_in_one_line(tmp_path: Path) -> None:
    narrative = long_narrative() + "Maria Rossi owes 30,000 euros for the journey.\n"
    assert len(narrative) > 1_500_000
    result = _analyzer().analyse_text(narrative, language="en")
    assert "debt_bondage" in {match.indicator.id for match in result.indicators}
    with pytest.raises(InputError, match=r"^case\.txt: the case text has 1,5\d\d,\d{3} characters, over the 1,000,000"):
        _analyzer(IngestionSettings(max_document_chars=1_000_000)).analyse_text(narrative, source="case.txt")


def test_a_zip_bomb_uploaded_as_a_case_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.docx"
    path.write_bytes(bomb_docx(300))
    with pytest.raises(InputError, match=r"^case\.docx: \.docx unpacks to 300 MB"):
        _analyzer().analyse_file(path)
