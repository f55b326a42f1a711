"""The hostile build with the real components (Presidio with spaCy, multilingual-e5-small): bounded memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.embedders import make_embedder
from core.settings import PROJECT_ROOT, load_settings
from core.store import ChromaStore
from rag.search import open_index
from tests.unit.test_hostile_build import GOOD_CASE, long_narrative
from tests.unit.test_hostile_files import bomb_docx, deep_html, many_pages_pdf

pytestmark = pytest.mark.slow

PRODUCTION_CONFIG = PROJECT_ROOT / "config" / "settings.yaml"
PEAK_MEMORY_MB = 2048
# The build reports its own high-water mark (VmHWM) as it exits: ru_maxrss of a child would include the
# memory of this pytest process, which the child is forked from.
_BUILD_WITH_PEAK = (
    "import atexit, runpy, sys\n"
    "def _peak():\n"
    "    for line in open('/proc/self/status', encoding='ascii'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print(f'PEAK_RSS_MB {int(line.split()[1]) / 1024:.0f}', file=sys.stderr)\n"
    "atexit.register(_peak)\n"
    "sys.argv = ['ingestion', *sys.argv[1:]]\n"
    "runpy.run_module('ingestion', run_name='__main__')\n"
)


def _hostile_folder(root: Path) -> Path:
    for folder in ("case_law", "handbook"):
        (root / folder).mkdir(parents=True)
    (root / "case_law" / "bomb.docx").write_bytes(bomb_docx(300))
    (root / "handbook" / "deep.html").write_bytes(deep_html(1_000_000))
    (root / "handbook" / "many.pdf").write_bytes(many_pages_pdf(5000))
    (root / "case_law" / "long.txt").write_text(long_narrative(), encoding="utf-8")
    (root / "case_law" / "good.md").write_text(GOOD_CASE, encoding="utf-8")
    return root


@pytest.mark.timeout(900)
def test_the_real_build_refuses_bombs_by_name_indexes_the_rest_within_2_gb(tmp_path: Path) -> None:
    kb, index, data = _hostile_folder(tmp_path / "kb"), tmp_path / "index", tmp_path / "data"
    sizes = {path.name: path.stat().st_size for path in kb.rglob("*") if path.is_file()}
    command = [
        sys.executable, "-c", _BUILD_WITH_PEAK, "--config", str(PRODUCTION_CONFIG), "build", "--quiet",
        "--source", str(kb), "--index", str(index),
    ]  # fmt: skip
    env = {**os.environ, "SAFEBORDERS_PATHS__DATA": str(data), "SAFEBORDERS_PATHS__INDEX": str(index)}
    started = time.monotonic()
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=840)
    seconds = time.monotonic() - started
    peak = float(done.stderr.rsplit("PEAK_RSS_MB ", 1)[1].split()[0])
    print(f"\nfile sizes (bytes): {sizes}\nhostile build: {seconds:.0f} s, peak RSS {peak:.0f} MB\n{done.stderr}")

    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    failed = sorted(line for line in done.stderr.splitlines() if line.startswith("FAILED "))
    assert [line.split(":")[0] for line in failed] == [
        "FAILED case_law/bomb.docx", "FAILED handbook/deep.html", "FAILED handbook/many.pdf",
    ]  # fmt: skip
    assert peak <= PEAK_MEMORY_MB

    settings = load_settings(PRODUCTION_CONFIG, paths={"index": index, "data": data})
    embedder = make_embedder(settings.embedder)  # loaded lazily: only the BM25 side is searched here
    snapshot = open_index(index, ChromaStore(settings.vector_store), embedder.embed_query)
    assert {hit.source for hit in snapshot.lexical_search("greenhouses debt", 5)} == {"case_law/long.txt"}
    assert "case_law/good.md" in {hit.source for hit in snapshot.lexical_search("passport beg street", 5)}
