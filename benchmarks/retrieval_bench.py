"""Retrieval latency at 1k, 10k and 100k chunks against its parts: the raw Chroma query and the query embedding.

The chunks are the three treaties in ../shared/corpus, chunked as ingestion chunks them, then cycled into N chunks
with deterministic variations (shuffled sentences, " (copy k)"): real legal text at every size. The unique texts
are embedded once with the configured embedder; copies get their original's vector with a little seeded noise
(benchmarks.helpers.perturb), so a 100k index costs seconds of numpy rather than an hour of embedding. The index is
written in the product's layout (Chroma collection + BM25 + chunks + manifest) and searched the product's way:
HybridRetriever.retrieve over IndexSnapshot.dense_search and lexical_search, with the real query embedder.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.helpers import multiply_records, percentile, perturb
from core.embedders import embedder_name, make_embedder
from core.index_files import COMPLETE_MARKER, Manifest, generations_dir
from core.lexical import LexicalIndex
from core.settings import Settings
from core.store import ChromaStore, collection_name
from ingestion.chunk import chunk_document
from ingestion.documents import search_text
from ingestion.index import set_current, write_chunks
from ingestion.load import load_document
from ingestion.pipeline import fingerprint
from rag.ranker import model_for
from rag.retrieve import HybridRetriever
from rag.search import open_index

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TREATIES = ("palermo_protocol_2000.md", "coe_convention_cets197_2005.md", "un_convention_rights_of_the_child_1989.md")
SIZES = (1_000, 10_000, 100_000)
QUICK_SIZES = (1_000, 10_000)
QUICK_QUERIES = 10
TARGET_P95_MS = 100.0

# What practitioners ask, in their own words (not the treaties' wording); a few in Italian, as users write them.
QUESTIONS = (
    "What has to be proven for someone to count as trafficked?",
    "Does it matter if the victim agreed to go abroad for work?",
    "Is moving a child for exploitation trafficking even without threats or deception?",
    "What does Article 3 of the Palermo Protocol say about consent?",
    "Quali sono gli elementi del reato di tratta di persone?",
    "How long should a presumed victim be given to recover and think before deciding to cooperate?",
    "Can a trafficked person be punished for crimes they were forced to commit?",
    "Who decides whether someone is a victim of trafficking and on what grounds?",
    "What help must states give to victims regardless of whether they testify?",
    "Is a residence permit available for victims who stay to assist the police?",
    "What protections apply when the victim's age is uncertain but they may be a minor?",
    "Does the Council of Europe Convention require states to criminalise using the services of a victim?",
    "What should happen to a child victim who arrives without parents?",
    "Which forms of exploitation are covered: forced labour, organ removal, begging?",
    "La vittima ha diritto a un permesso di soggiorno se collabora con le autorità?",
    "What are the obligations on border controls to detect trafficking?",
    "How should a returning victim's safety be ensured when they go back home?",
    "Is compensation from the traffickers something victims are entitled to?",
    "What does the CRC say about protection from sexual exploitation of children?",
    "Can legal persons such as companies be held liable for trafficking offences?",
    "What aggravating circumstances increase the sentence for trafficking?",
    "Must victims be informed of their rights in a language they understand?",
    "How is the identity and privacy of a victim protected during proceedings?",
    "Che cosa prevede la Convenzione sui diritti del fanciullo contro lo sfruttamento economico?",
    "Do states have to cooperate with each other to prevent trafficking?",
    "What measures should discourage the demand that fosters exploitation?",
    "Is there a right to legal assistance free of charge for victims?",
    "What does Article 10 of the Council of Europe Convention require for identification?",
    "Can someone who recruited workers through a fake job offer be charged with trafficking?",
    "What rights does a child have to be heard in decisions affecting them?",
    "How should witnesses who fear retaliation be protected?",
    "Are carriers obliged to check that passengers hold travel documents?",
    "Quando una persona minorenne è considerata vittima di tratta anche senza mezzi coercitivi?",
    "What is the definition of a child under the Convention on the Rights of the Child?",
    "Which body monitors implementation of the anti-trafficking convention?",
    "Is debt bondage considered a means of control in trafficking cases?",
    "Should the victim's previous convictions affect the assistance they receive?",
    "What training should officials receive to identify victims?",
    "Does the Palermo Protocol apply to trafficking within a single country?",
    "How must travel documents be secured against falsification?",
    "What does the treaty say about repatriation of child victims and family tracing?",
    "Quali misure di assistenza devono essere garantite alle vittime di tratta?",
    "Can a victim be detained in an immigration centre while their status is assessed?",
    "What is the role of NGOs in assisting victims under the convention?",
    "Is attempting or aiding trafficking also a criminal offence?",
    "What does Article 6 of the Palermo Protocol require for the physical recovery of victims?",
    "How should emergency medical treatment and housing be provided to victims?",
    "Are states required to collect data and research on trafficking trends?",
    "Lo sfruttamento della prostituzione altrui rientra nella definizione di sfruttamento?",
    "What safeguards exist against the sale or traffic of children for any purpose?",
)

# Asked before timing, to warm the index and the retriever's tables; never measured.
WARM_UP = (
    "What is trafficking in human beings?",
    "Article 4 of the Council of Europe Convention",
    "Chi è considerato vittima di tratta?",
)


def _base_records(settings: Settings) -> list[dict[str, Any]]:
    """The treaties' chunks as the index stores them, in document order."""
    records: list[dict[str, Any]] = []
    for name in TREATIES:
        document = load_document(CORPUS / name, CORPUS, doc_type="legislation")
        chunks = chunk_document(document, max_chars=settings.chunking.max_chars, min_chars=settings.chunking.min_chars)
        records.extend({"id": c.id, "text": c.text, **c.metadata()} for c in chunks)
    return records


def _vectors(base_vectors: np.ndarray, copies: Sequence[tuple[int, int]]) -> np.ndarray:
    """One unit vector per (base index, copy number), each copy's noise drawn once for all bases."""
    by_copy = {copy: perturb(base_vectors, copy) for copy in sorted({copy for _, copy in copies})}
    return np.stack([by_copy[copy][base] for base, copy in copies])


def write_index(
    index_dir: Path,
    records: list[dict[str, Any]],
    vectors: np.ndarray,
    settings: Settings,
    embedder: Any,
    store: ChromaStore,
) -> str:
    """One complete generation in the layout ingestion.writer writes (see ingestion/index.py), made current."""
    generation = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-bench"
    folder = generations_dir(index_dir) / generation
    folder.mkdir(parents=True)
    collection = store.create(folder, generation)
    metadatas = [{k: v for k, v in r.items() if k not in ("id", "text")} for r in records]
    # Rows of a float32 matrix: Chroma takes them as they are, and a 100k x 384 list of Python floats would not fit.
    rows: Any = vectors
    collection.add([r["id"] for r in records], rows, [r["text"] for r in records], metadatas)
    ids = [r["id"] for r in records]
    texts = [search_text(r["title"], r["text"]) for r in records]
    LexicalIndex.build(ids, texts, [str(r.get("language") or "en") for r in records]).save(folder / "bm25")
    write_chunks(folder / "chunks.jsonl", records)
    documents: dict[str, dict[str, Any]] = {}
    for record in records:
        entry = documents.setdefault(
            record["source"],
            {
                "root": str(CORPUS),
                "forced_type": None,
                "hash": "",
                "title": record["title"],
                "doc_type": record["doc_type"],
                "jurisdiction": record["jurisdiction"],
                "language": record["language"],
                "date": None,
                "meta": {},
                "chunk_ids": [],
                "scrubbed": {},
                "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        )
        entry["chunk_ids"].append(record["id"])
    created = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = Manifest(generation, created, fingerprint(settings, embedder), documents)
    (folder / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    (folder / COMPLETE_MARKER).write_text(json.dumps({"chunks": len(records), "documents": len(documents)}))
    set_current(index_dir, generation)
    return generation


def _raw_collection(folder: Path, generation: str) -> Any:
    """The generation's Chroma collection opened with chromadb alone, for the reference query time."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(folder / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(collection_name(generation), embedding_function=None)


def _timed(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """The call's value and the milliseconds it took."""
    started = time.perf_counter()
    value = call(*args, **kwargs)
    return value, (time.perf_counter() - started) * 1000


def _measure(index_dir: Path, settings: Settings, embedder: Any, store: ChromaStore, questions: Sequence[str]) -> dict:
    """Per-question milliseconds of each step, and of the whole retrieval as the Assistant runs it."""
    snapshot, open_ms = _timed(open_index, index_dir, store, embedder.embed_query)
    _, check_ms = _timed(snapshot.check)
    raw = _raw_collection(snapshot.folder, snapshot.generation)
    threshold = settings.calibration.for_embedder(embedder_name(embedder)).abstain_threshold
    depth = max(settings.retrieval.candidates, settings.retrieval.k)
    # One retriever for the generation, as the Assistant keeps it; warmed (HNSW pages, BM25 arrays, its article
    # and instrument tables) on questions that are not measured, so every measured question is new to it.
    # The learned re-ranker and abstainer as the Assistant uses them.
    model = model_for(embedder_name(embedder)) if settings.retrieval.learned_ranker else None
    retriever = HybridRetriever(snapshot, settings.retrieval, threshold, model=model)
    for question in WARM_UP:
        retriever.retrieve(question)
    # The same generation with every query vector computed beforehand (a warm-up pass fills the memo, including
    # the translated and instrument-stripped queries retrieve derives): what the index alone costs.
    memo: dict[str, list[float]] = {}

    def remembered(text: str) -> list[float]:
        if text not in memo:
            memo[text] = embedder.embed_query(text)
        return memo[text]

    cached = open_index(index_dir, store, remembered)
    cached_retriever = HybridRetriever(cached, settings.retrieval, threshold, model=model)
    for question in [*WARM_UP, *questions]:
        cached_retriever.retrieve(question)
    times: dict[str, list[float]] = defaultdict(list)
    for question in questions:
        # First, while the question is new: the whole retrieval as a user's question meets it, embeddings included.
        times["retrieve"].append(_timed(retriever.retrieve, question)[1])
        vector, ms = _timed(embedder.embed_query, question)
        times["embed"].append(ms)
        times["index_only"].append(_timed(cached_retriever.retrieve, question)[1])
        times["chroma"].append(_timed(raw.query, query_embeddings=[vector], n_results=depth)[1])
        times["dense"].append(_timed(snapshot.dense_search, question, depth)[1])  # its vector is cached by now
        times["lexical"].append(_timed(snapshot.lexical_search, question, depth)[1])
    summary: dict[str, Any] = {"open_ms": round(open_ms + check_ms, 1)}
    for step, values in times.items():
        summary[f"{step}_p50_ms"] = round(percentile(values, 50), 2)
        summary[f"{step}_p95_ms"] = round(percentile(values, 95), 2)
    return summary


def _spread(questions: Sequence[str], count: int) -> list[str]:
    """``count`` questions spread over the list, so a quick run keeps its mix of languages and references."""
    step = max(1, len(questions) // count)
    return list(questions[::step])[:count]


def run(settings: Settings, *, quick: bool = False) -> dict[str, Any]:
    sizes = QUICK_SIZES if quick else SIZES
    questions = _spread(QUESTIONS, QUICK_QUERIES) if quick else list(QUESTIONS)
    embedder = make_embedder(settings.embedder)
    store = ChromaStore(settings.vector_store)
    bases = _base_records(settings)
    started = time.perf_counter()
    base_vectors = np.asarray(embedder.embed_documents([search_text(r["title"], r["text"]) for r in bases]))
    embed_base_s = time.perf_counter() - started
    detail: dict[str, dict[str, Any]] = {}
    for size in sizes:
        triples = multiply_records(bases, size)
        records = [record for _, _, record in triples]
        vectors = _vectors(base_vectors, [(base, copy) for base, copy, _ in triples])
        with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
            index_dir = Path(tmp) / "index"
            built = time.perf_counter()
            write_index(index_dir, records, vectors, settings, embedder, store)
            build_s = time.perf_counter() - built
            measured = _measure(index_dir, settings, embedder, store, questions)
            detail[str(size)] = {"build_s": round(build_s, 1), **measured}
    smallest, largest = str(sizes[0]), str(sizes[-1])
    top = detail[largest]
    return {
        "retrieval_embedder": embedder_name(embedder),
        "retrieval_base_chunks": len(bases),
        "retrieval_base_embed_s": round(embed_base_s, 2),
        "retrieval_queries": len(questions),
        "retrieval_cpus": os.cpu_count(),
        "retrieval_p50_ms": {size: d["retrieve_p50_ms"] for size, d in detail.items()},
        "retrieval_p95_ms": {size: d["retrieve_p95_ms"] for size, d in detail.items()},
        "retrieval_growth_p50": round(top["retrieve_p50_ms"] / detail[smallest]["retrieve_p50_ms"], 2),
        "retrieval_index_only_p50_ms": {size: d["index_only_p50_ms"] for size, d in detail.items()},
        "retrieval_index_only_growth_p50": round(top["index_only_p50_ms"] / detail[smallest]["index_only_p50_ms"], 2),
        "retrieval_growth_span": f"{largest}/{smallest}",
        "retrieval_target_p95_ms": TARGET_P95_MS,
        "retrieval_target_met": top["retrieve_p95_ms"] <= TARGET_P95_MS if largest == "100000" else None,
        "retrieval_bottleneck": _bottleneck(top),
        "retrieval_detail": detail,
    }


def _bottleneck(summary: dict[str, Any]) -> str:
    """Which single search costs most at the largest size: BM25, the Chroma query, or the query embedding."""
    parts = {
        "BM25 (lexical_search)": summary["lexical_p50_ms"],
        "Chroma query": summary["chroma_p50_ms"],
        "query embedding": summary["embed_p50_ms"],
    }
    name = max(parts, key=lambda key: parts[key])
    share = parts[name] / summary["retrieve_p50_ms"] if summary["retrieve_p50_ms"] else math.nan
    return f"{name}: {parts[name]:.1f} ms p50 per call ({share:.0%} of one retrieval's p50)"
