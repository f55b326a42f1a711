"""The re-index in a low-priority worker process, with the real models it loads itself (as the app runs it)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from core.errors import IngestionError
from core.index_files import read_current_manifest
from core.settings import Settings, load_settings
from ingestion.generations import build_lock
from ingestion.knowledge_base import KnowledgeBase
from ingestion.report import FileResult
from ingestion.scrub import PresidioScrubber
from ingestion.worker import build_in_worker
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.slow

CASE = """---
title: Intake note
doc_type: case_law
---
# Intake note

Maria Rossi, aged 15, was recruited in Palermo by Ion Popescu with a false job offer.
"""


@pytest.fixture
def worker_settings(tmp_path: Path) -> Settings:
    (tmp_path / "kb" / "case_law").mkdir(parents=True)
    (tmp_path / "kb" / "case_law" / "intake.md").write_text(CASE, encoding="utf-8")
    paths = {"index": tmp_path / "index", "data": tmp_path / "data", "knowledge_base": tmp_path / "kb"}
    settings = load_settings(TEST_CONFIG, paths=paths)
    ingestion = settings.ingestion.model_copy(update={"build_worker": True, "build_niceness": 7})
    return settings.model_copy(update={"ingestion": ingestion})


def test_the_knowledge_base_reindexes_in_a_worker_with_progress_and_scrubbing(worker_settings: Settings) -> None:
    seen: list[tuple[int, int, FileResult]] = []
    priority = os.nice(0)
    kb = KnowledgeBase(worker_settings, PresidioScrubber(worker_settings.scrubbing), lambda: pytest.fail("in process"))
    report = kb.reindex(progress=lambda done, total, result: seen.append((done, total, result)))
    assert [(done, total, result.source, result.status) for done, total, result in seen] == [
        (1, 1, "case_law/intake.md", "indexed")
    ]
    assert report.files[0].scrubbed.get("PERSON", 0) >= 2  # the worker's own Presidio scrubbed the case file
    manifest = read_current_manifest(worker_settings.index_dir)
    assert manifest.generation == report.generation and manifest.chunk_count == report.chunks >= 1
    assert os.nice(0) == priority  # the worker lowered its own priority, not the app's


def test_a_build_the_worker_cannot_run_is_reported_with_its_reason(worker_settings: Settings) -> None:
    index = worker_settings.index_dir
    with build_lock(index), pytest.raises(IngestionError, match="another build is running"):
        build_in_worker([worker_settings.knowledge_base_dir], index, worker_settings)


def test_the_worker_never_runs_the_page_that_started_it(
    worker_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Streamlit runs each page as the ``__main__`` module; a multiprocessing child would run the page again first.
    page = tmp_path / "page.py"
    ran = tmp_path / "page_ran"
    page.write_text(f"open({str(ran)!r}, 'w').close()\n", encoding="utf-8")
    streamlit_main = types.ModuleType("__main__")
    streamlit_main.__file__ = str(page)
    monkeypatch.setitem(sys.modules, "__main__", streamlit_main)
    report = build_in_worker([worker_settings.knowledge_base_dir], worker_settings.index_dir, worker_settings)
    assert report.chunks >= 1 and not ran.exists()
