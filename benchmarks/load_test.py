"""Load test of the answering service: concurrent chat sessions, bounded in time, while an editor re-indexes.

Each session asks questions that carry its own marker and checks that every answer it receives is for its own
question and comes from a complete index generation. Loopback only; stops by itself.

By default everything is real: the settings' embedder, Chroma, and the settings' language model (one in-process
llama.cpp model answers one question at a time, so latency grows with the number of sessions waiting for it).
``--generator echo`` replaces only the language model by one that restates the question's marker, to load the
retrieval and index-switching side harder than a real model could (the integration test does that).

``--generator server`` answers through llama.cpp's own server (``make llama-server``) with ``--slots`` parallel
slots, started by the test itself: the deployment for many users.

The re-index runs as the Knowledge base page runs it: in a low-priority worker process with its own models when
``ingestion.build_worker`` is true (the default), else in this process on the sessions' own components.

When every slot and the queue are taken, a question is answered at once with quotations of its sources (marked so):
the summary gives the latencies of generated and of quoted answers apart, with how many of each.

Usage: python -m benchmarks.load_test [--sessions 20] [--seconds 120] [--generator real|server|echo] [--slots 8]
       [--queue N] [--no-reindex]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.app_bench import free_port
from core.index_files import current_generation
from core.settings import PROJECT_ROOT, Settings, load_settings
from ingestion.pipeline import Components, build_index
from ingestion.worker import build_in_worker
from rag.generate import Generator, make_generator
from rag.llm_server import ModelServer
from rag.service import Assistant

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
QUESTIONS = (
    "Is the consent of a child victim relevant",
    "Which article protects the identity of child victims",
    "How long is the recovery and reflection period",
    "Can a victim be punished for offences she was compelled to commit",
    "What must states do to repatriate victims",
)


class EchoGenerator:
    """Answers by restating the session marker of the question it was given (so a mix-up would show)."""

    name = "load/echo"

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        marker = re.search(r"session-\d+-\d+", messages[-1]["content"])
        time.sleep(0.05)  # a little generation time, so that sessions overlap
        yield f"Answer for {marker.group() if marker else 'unknown'} [1]."


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    generated: list[float] = field(default_factory=list)  # latencies of the answers the model wrote
    busy: list[float] = field(default_factory=list)  # of those that quote the sources: every model slot was taken
    errors: list[str] = field(default_factory=list)
    wrong_session: int = 0
    generations: set[str] = field(default_factory=set)


def _session(assistant: Assistant, number: int, stop: float, result: Result, lock: threading.Lock) -> None:
    asked = 0
    while time.monotonic() < stop:
        marker = f"session-{number}-{asked}"
        question = f"{QUESTIONS[asked % len(QUESTIONS)]} ({marker})?"
        started = time.perf_counter()
        try:
            answer = assistant.ask(question)
        except Exception as exc:  # a load test counts every failure, whatever its type
            with lock:
                result.errors.append(f"{marker}: {type(exc).__name__}: {exc}")
            continue
        elapsed = time.perf_counter() - started
        with lock:
            result.latencies.append(elapsed)
            busy = answer.notice is not None and answer.notice.key == "notice_model_busy"
            (result.busy if busy else result.generated).append(elapsed)
            result.generations.add(answer.index_generation)
            if marker not in answer.question:
                result.wrong_session += 1
        asked += 1


def run(
    settings: Settings,
    components: Components,
    sessions: int,
    seconds: float,
    reindex: bool,
    generator: Generator | None = None,
    reindex_worker: bool = False,
) -> dict[str, Any]:
    """Start the sessions (and a re-index when asked), wait for them, and summarise.

    ``generator`` defaults to the echoing one; pass the real one to measure what users would see. With
    ``reindex_worker`` the re-index runs as the Knowledge base page runs it (``ingestion.build_worker``): in a
    low-priority worker process with the models the settings name, not on ``components``.
    """
    generator = generator or EchoGenerator()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        build_index([CORPUS], index, settings, components, doc_type="legislation")
        assistant = Assistant(
            settings, embedder=components.embedder, generator=generator, store=components.store, index_dir=index
        )
        result, lock = Result(), threading.Lock()
        complete: set[str] = {str(current_generation(index))}
        stop = time.monotonic() + seconds
        threads = [
            threading.Thread(target=_session, args=(assistant, n, stop, result, lock), daemon=True)
            for n in range(sessions)
        ]
        for thread in threads:
            thread.start()
        reindex_s = None
        if reindex:
            time.sleep(min(2.0, seconds / 4))
            reindex_s = _reindex(index, settings, components, reindex_worker)
            complete.add(str(current_generation(index)))
        for thread in threads:
            thread.join(timeout=seconds + 600)  # a real model may still be answering queued questions
        ordered = sorted(result.latencies)
        return {
            **_latencies(result),
            "generator": generator.name,
            "sessions": sessions,
            "seconds": seconds,
            "answers": len(ordered),
            "errors": result.errors[:5],
            "error_count": len(result.errors),
            "wrong_session": result.wrong_session,
            "generations_served": sorted(result.generations),
            "incomplete_generations_served": sorted(result.generations - complete),
            "reindex_s": reindex_s,
            "reindex_in": "worker process" if reindex_worker else "this process",
        }


def _reindex(index: Path, settings: Settings, components: Components, worker: bool) -> float:
    """Rebuild the index as an editor would, in a worker process or on ``components``; the seconds it took."""
    started = time.perf_counter()
    if worker:
        build_in_worker([CORPUS], index, settings, doc_type="legislation", rebuild=True)
    else:
        build_index([CORPUS], index, settings, components, doc_type="legislation", rebuild=True)
    return round(time.perf_counter() - started, 1)


def _latencies(result: Result) -> dict[str, Any]:
    """p50 and p95 of all answers, of those the model wrote and of those quoted because the model was busy."""
    summary: dict[str, Any] = {"answers_generated": len(result.generated), "answers_quoted_busy": len(result.busy)}
    for name, values in (("", result.latencies), ("generated_", result.generated), ("quoted_busy_", result.busy)):
        ordered = sorted(values)
        summary[f"latency_{name}p50_s"] = round(statistics.median(ordered), 3) if ordered else None
        summary[f"latency_{name}p95_s"] = round(ordered[int(0.95 * (len(ordered) - 1))], 3) if ordered else None
    return summary


def run_through_server(
    settings: Settings,
    components: Components,
    sessions: int,
    seconds: float,
    reindex: bool,
    slots: int,
    queue: int | None = None,
    reindex_worker: bool = False,
) -> dict[str, Any]:
    """``run`` with the answers written by a llama-server with ``slots`` parallel slots and room for ``queue`` more
    questions waiting (default: the settings'), started and stopped here."""
    queue = settings.llm.server.queue if queue is None else queue
    update = {"start": True, "parallel": slots, "queue": queue, "port": free_port()}
    server = settings.llm.server.model_copy(update=update)
    llm = settings.llm.model_copy(update={"server": server})
    served_settings = settings.model_copy(update={"llm": llm})
    with ModelServer(llm):
        result = run(served_settings, components, sessions, seconds, reindex, make_generator(llm), reindex_worker)
    return {**result, "server_slots": slots, "server_queue": queue}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load_test", description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--generator", choices=("real", "server", "echo"), default="real")
    parser.add_argument("--slots", type=int, default=8, help="parallel slots of the model server (--generator server)")
    parser.add_argument("--queue", type=int, help="questions that may wait for a slot (default: llm.server.queue)")
    parser.add_argument("--no-reindex", action="store_true", help="no editor re-indexing during the run")
    args = parser.parse_args(argv)
    from ingestion.pipeline import make_components

    settings = load_settings()
    components, reindex = make_components(settings), not args.no_reindex
    worker = settings.ingestion.build_worker
    if args.generator == "server":
        summary = run_through_server(
            settings, components, args.sessions, args.seconds, reindex, args.slots, args.queue, worker
        )
    else:
        generator = make_generator(settings.llm) if args.generator == "real" else EchoGenerator()
        summary = run(settings, components, args.sessions, args.seconds, reindex, generator, worker)
    print(summary)
    return 0 if not summary["error_count"] and not summary["wrong_session"] else 1


if __name__ == "__main__":
    sys.exit(main())
