"""An index build in a worker process at low CPU priority, so that a re-index leaves the cores to the answers.

A build run in the app's own process shares its interpreter lock and its embedder with every chat session: on two
cores a re-index during answering took 135 s and slowed every answer with it. In a process of its own, niced, the
build loads its own models and takes only the CPU time the answers leave; readers still switch to the new
generation only once it is complete (``ingestion.pipeline.build_index``).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.errors import IngestionError, SafeBordersError
from core.settings import Settings
from ingestion.pipeline import BuildReport, ProgressCallback, build_index, make_components

_POLL_S = 0.5  # how often the parent checks that a silent worker is still alive
_STOP_S = 30.0  # how long a worker that reported its result may take to exit


def _build(
    sources: list[Path], index_dir: Path, sections: dict[str, Any], options: dict[str, Any], events: Any
) -> None:
    """The worker: lower its own priority, build with its own components, report progress and the outcome."""
    # The settings cross as their validated sections: their class is made per settings file and cannot be pickled.
    settings = Settings.model_construct(**sections)
    os.nice(settings.ingestion.build_niceness)

    def progress(done: int, total: int, result: Any) -> None:
        events.put(("progress", (done, total, result)))

    try:
        report = build_index(sources, index_dir, settings, make_components(settings), progress=progress, **options)
    except SafeBordersError as exc:
        try:
            pickle.dumps(exc)
            events.put(("error", exc))
        except Exception:  # an exception that cannot cross processes keeps its message
            events.put(("error", IngestionError(str(exc))))
        return
    except BaseException as exc:
        events.put(("error", IngestionError(f"{index_dir}: the index build failed ({type(exc).__name__}: {exc})")))
        raise
    events.put(("done", report))


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
    context = multiprocessing.get_context("spawn")  # the app runs threads: a forked child could inherit held locks
    events = context.Queue()
    options = {"doc_type": doc_type, "rebuild": rebuild, "remove": list(remove)}
    worker = context.Process(
        target=_build, args=([Path(s) for s in sources], Path(index_dir), dict(settings), options, events), daemon=True
    )
    worker.start()
    outcome = False
    try:
        while True:
            try:
                kind, payload = events.get(timeout=_POLL_S)
            except queue.Empty:
                if worker.is_alive():
                    continue
                try:  # its last message may have reached the pipe just as it exited
                    kind, payload = events.get(timeout=_POLL_S)
                except queue.Empty:
                    raise IngestionError(
                        f"{index_dir}: the index build worker exited with status {worker.exitcode} before it finished"
                    ) from None
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
                continue
            outcome = True
            if kind == "done":
                return payload
            raise payload
    finally:
        if outcome:
            worker.join(timeout=_STOP_S)
        if worker.is_alive():  # the caller was interrupted: the build (and its lock) ends with the worker
            worker.terminate()
            worker.join()
