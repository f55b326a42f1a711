"""Faults with real processes: a build killed with SIGKILL mid-way leaves the previous generation serving."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.embedders import make_embedder
from core.index_files import COMPLETE_MARKER, current_generation, generations_dir
from core.settings import PROJECT_ROOT, load_settings
from core.store import ChromaStore
from rag.search import open_index
from tests.conftest import TEST_CONFIG

pytestmark = pytest.mark.slow


def _build(kb: Path, index: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "ingestion", "--config", str(TEST_CONFIG), "build", "--quiet",
        "--source", str(kb), "--index", str(index),
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_kill_9_during_a_build_keeps_the_previous_generation(tmp_path: Path) -> None:
    kb, index = tmp_path / "kb", tmp_path / "index"
    (kb / "legislation").mkdir(parents=True)
    (kb / "legislation" / "act.md").write_text("# Act\n\nArticle 1 – Scope\nChildren are protected from trafficking.\n")
    first = _build(kb, index)
    assert first.wait(timeout=600) == 0, first.communicate()[1].decode()
    serving = current_generation(index)

    (kb / "handbook").mkdir()
    for n in range(40):
        (kb / "handbook" / f"chapter_{n:02}.md").write_text(
            f"# Chapter {n}\n\n## Guidance\nFrontline workers refer child victims {n} to the guardian at once. " * 20
        )
    build = _build(kb, index)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(list(generations_dir(index).iterdir())) < 2:
        time.sleep(0.2)  # wait until the new generation is being written
    time.sleep(2)
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=30)

    assert current_generation(index) == serving
    settings = load_settings(TEST_CONFIG)
    embedder = make_embedder(settings.embedder)
    snapshot = open_index(index, ChromaStore(settings.vector_store), embedder.embed_query)
    assert snapshot.dense_search("children protected from trafficking", k=1)[0].source == "legislation/act.md"
    assert any(not (folder / COMPLETE_MARKER).exists() for folder in generations_dir(index).iterdir())

    again = _build(kb, index)
    assert again.wait(timeout=900) == 0, again.communicate()[1].decode()
    assert current_generation(index) != serving
    assert all((folder / COMPLETE_MARKER).exists() for folder in generations_dir(index).iterdir())
    assert len(open_index(index, ChromaStore(settings.vector_store), embedder.embed_query).manifest.documents) == 41
