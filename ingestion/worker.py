"""An index build in a worker process at low CPU priority, so that a re-index leaves the cores to the answers.

A build run in the app's own process shares its interpreter lock and its embedder with every chat session: on two
cores a re-index during answering took 135 s and slowed every answer with it. In a process of its own, niced, the
build loads its own models and takes only the CPU time the answers leave; readers still switch to the new
generation only once it is complete (``ingestion.pipeline.build_index``).

The worker is a fresh ``python -m ingestion.worker``, not a ``multiprocessing`` child: Streamlit runs each page as
the ``__main__`` module, and a spawned child would run the page again before its target. The job goes in on the
worker's stdin; progress and the outcome come back as pickled messages on a pipe of their own.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from core.errors import IngestionError, SafeBordersError
from core.settings import PROJECT_ROOT, Settings
from ingestion.pipeline import build_index, make_components
from ingestion.report import BuildReport, ProgressCallback

_POLL_S = 0.5  # how often the parent checks that a silent worker is still alive
_STOP_S = 30.0  # how long a worker that reported its result may take to exit


def _build(job: dict[str, Any], send: Callable[[tuple[str, Any]], None]) -> None:
    """The worker: lower its own priority, build with its own components, report progress and the outcome."""
    # The settings cross as their validated sections: their class is made per settings file and cannot be pickled.
    settings = Settings.model_construct(**job["sections"])
    os.nice(settings.ingestion.build_niceness)

    def progress(done: int, total: int, result: Any) -> None:
        send(("progress", (done, total, result)))

    try:
        components = make_components(settings)
        report = build_index(
            job["sources"], job["index_dir"], settings, components, progress=progress, **job["options"]
        )
    except SafeBordersError as exc:
        try:
            pickle.dumps(exc)
            send(("error", exc))
        except Exception:  # an exception that cannot cross processes keeps its message
            send(("error", IngestionError(str(exc))))
        return
    except BaseException as exc:
        send(("error", IngestionError(f"{job['index_dir']}: the index build failed ({type(exc).__name__}: {exc})")))
        raise
    send(("done", report))


def build_in_worker(
    sources: Sequence[Path],
    index_dir: Path,
    settings: Settings,
    *,
    doc_type: str | None = None,
    rebuild: bool = False,
    remove: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """``build_index`` in a new process at ``ingestion.build_niceness``, with the components the settings name.

    Progress is reported here, in the calling process, as the worker sends it.

    Raises:
        SafeBordersError: what the build raised (another build holds the index, a folder is missing…).
        IngestionError: the worker died before it reported a result.
    """
    job = {
        "sources": [Path(s) for s in sources],
        "index_dir": Path(index_dir),
        "sections": dict(settings),
        "options": {"doc_type": doc_type, "rebuild": rebuild, "remove": list(remove)},
    }
    read_fd, write_fd = os.pipe()
    command = [sys.executable, "-m", "ingestion.worker", str(write_fd)]
    worker = subprocess.Popen(command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, pass_fds=(write_fd,))
    os.close(write_fd)
    events = Connection(read_fd)
    finished = False
    try:
        assert worker.stdin is not None
        # A worker that died before reading its job is reported by ``_next_event`` with its exit status.
        with contextlib.suppress(BrokenPipeError), worker.stdin:
            worker.stdin.write(pickle.dumps(job))
        kind, payload = _next_event(events, worker, index_dir, progress)
        finished = True
        if kind == "done":
            return payload
        raise payload
    finally:
        events.close()
        _stop(worker, finished)


def _next_event(
    events: Connection, worker: subprocess.Popen[bytes], index_dir: Path, progress: ProgressCallback | None
) -> tuple[str, Any]:
    """The worker's outcome ("done" or "error"), passing its progress messages on as they come."""
    while True:
        if not events.poll(_POLL_S):
            continue  # a build of many files is silent while it embeds a long one; the pipe closes if it dies
        try:
            kind, payload = events.recv()
        except EOFError:
            status = worker.wait()
            raise IngestionError(
                f"{index_dir}: the index build worker exited with status {status} before it finished"
            ) from None
        if kind != "progress":
            return kind, payload
        if progress is not None:
            progress(*payload)


def _stop(worker: subprocess.Popen[bytes], finished: bool) -> None:
    """Let a worker that reported its outcome exit; end one whose caller was interrupted (its build lock with it)."""
    if finished:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.wait(timeout=_STOP_S)
    if worker.poll() is None:
        worker.terminate()
        worker.wait()


def main(argv: Sequence[str]) -> int:
    """``python -m ingestion.worker FD``: read a pickled job on stdin, build it, send messages on pipe ``FD``."""
    events = Connection(int(argv[0]))
    try:
        _build(pickle.load(sys.stdin.buffer), events.send)
    finally:
        events.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
