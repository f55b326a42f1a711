"""The grounding check on labelled (sentence, source chunk, question) pairs: is a supported sentence kept, an
unsupported one dropped? Reported per split, for sentences in their source's language and across languages.

evaluation/support/pairs.jsonl holds sentences written over real knowledge-base chunks the way good answers read
(faithful paraphrases and translations: `supported`) and the way a small model errs (echoes of the question, two
languages mixed, invented names, wrong numbers, negation flips, true-sounding statements the source does not make:
`unsupported`), plus sentences SmolLM2-135M drafted for multilingual questions, labelled by hand (`origin` draft).
Each pair is checked alone, as ``ground`` checks a one-sentence draft citing its chunk: the verdict is the whole
check (support score at the shipped threshold, restating, relevance, contradiction), as the user would see it.

Usage: python -m evaluation.support_eval [--pairs PATH] [--json] [--similarity-only]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name, make_embedder
from core.errors import InputError
from core.settings import PROJECT_ROOT, Settings, load_settings
from rag.cross_support import CrossSupportModel, cross_model_for
from rag.grounding import ground
from rag.search import Hit

PAIRS = PROJECT_ROOT / "evaluation" / "support" / "pairs.jsonl"
FIELDS = ("id", "sentence", "question", "chunk", "chunk_language", "source", "label", "kind", "language", "split")
LABELS = ("supported", "unsupported")
SPLITS = ("tune", "test")


class MemoEmbedder(Embeddings):
    """An embedder that embeds each text once: the pairs share chunks (a chunk's sentences are embedded for each
    of its pairs otherwise)."""

    def __init__(self, embedder: Embeddings) -> None:
        self.name = embedder_name(embedder)
        self._embedder = embedder
        self._vectors: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self._embedder.embed_documents(missing), strict=True))
        return [self._vectors[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_query(text)


@dataclass(frozen=True)
class Checked:
    """One pair with the grounding check's verdict on it."""

    pair: dict[str, Any]
    kept: bool
    score: float

    @property
    def supported(self) -> bool:
        return self.pair["label"] == "supported"

    @property
    def cross(self) -> bool:
        """Whether the sentence is written in another language than its source's."""
        return bool(self.pair["language"] != self.pair["chunk_language"])


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    """The labelled pairs of a JSON-lines file; a bad line raises InputError naming the file, line and field."""
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{path.name} line {number}: not JSON ({error.msg})") from None
        missing = [name for name in FIELDS if not isinstance(pair.get(name), str) or not pair[name].strip()]
        if missing:
            raise InputError(f"{path.name} line {number}: field '{missing[0]}' is missing or empty")
        if pair["label"] not in LABELS or pair["split"] not in SPLITS:
            field = "label" if pair["label"] not in LABELS else "split"
            raise InputError(f"{path.name} line {number}: field '{field}' is '{pair[field]}', not one of the known")
        pairs.append(pair)
    return pairs


def pair_stratum(pair: dict[str, Any]) -> tuple[str, str]:
    """What the split is stratified by: the sentence's language and its kind (faithful, echo, mixed, draft, …)."""
    return (pair["language"], pair["kind"])


def pair_hit(pair: dict[str, Any]) -> Hit:
    """The pair's chunk as the search would return it."""
    return Hit(
        id=pair["id"],
        text=pair["chunk"],
        score=1.0,
        source=pair["source"],
        title=pair.get("title", ""),
        doc_type=pair.get("doc_type", ""),
        language=pair["chunk_language"],
        section=pair.get("section", ""),
    )


def check_pairs(
    pairs: Sequence[dict[str, Any]],
    embedder: Embeddings,
    settings: Settings,
    cross_model: CrossSupportModel | None = None,
) -> list[Checked]:
    """The grounding check's verdict on each pair, alone: the one-sentence draft "sentence [1]" over its chunk,
    with the learned cross-language check when ``cross_model`` is given."""
    floor = settings.calibration.for_embedder(embedder_name(embedder)).semantic_floor
    threshold = settings.retrieval.support_threshold
    checked = []
    for pair in pairs:
        grounded = ground(
            f"{pair['sentence']} [1]",
            [pair_hit(pair)],
            question=pair["question"],
            embedder=embedder,
            threshold=threshold,
            semantic_floor=floor,
            cross_model=cross_model,
        )
        verdict = grounded.sentences[0] if grounded.sentences else None
        kept = verdict is not None and verdict.supported
        checked.append(Checked(pair, kept, verdict.score if verdict is not None else 0.0))
    return checked


def figures(checked: Sequence[Checked]) -> dict[str, Any]:
    """Precision and recall of "supported" (kept) and the share of unsupported sentences kept."""
    supported = [c for c in checked if c.supported]
    unsupported = [c for c in checked if not c.supported]
    kept = [c for c in checked if c.kept]
    right = sum(c.supported for c in kept)
    return {
        "pairs": len(checked),
        "supported": len(supported),
        "precision": round(right / len(kept), 3) if kept else 1.0,
        "recall": round(right / len(supported), 3) if supported else 1.0,
        "unsupported_kept": round(sum(c.kept for c in unsupported) / len(unsupported), 3) if unsupported else 0.0,
    }


def report(checked: Sequence[Checked]) -> dict[str, dict[str, Any]]:
    """The figures per split, for all pairs, same-language and cross-language ones."""
    out: dict[str, dict[str, Any]] = {}
    for split in SPLITS:
        rows = [c for c in checked if c.pair["split"] == split]
        out[split] = {
            "all": figures(rows),
            "same": figures([c for c in rows if not c.cross]),
            "cross": figures([c for c in rows if c.cross]),
        }
    return out


def evaluate(
    settings: Settings, path: Path = PAIRS, *, learned: bool = True
) -> tuple[list[Checked], dict[str, dict[str, Any]]]:
    """Check every pair of ``path`` with the settings' embedder and threshold, and the shipped cross-language
    check (``rag/support_model.json``) when ``learned`` and trained for that embedder."""
    embedder = MemoEmbedder(make_embedder(settings.embedder))
    cross_model = cross_model_for(embedder.name) if learned else None
    checked = check_pairs(load_pairs(path), embedder, settings, cross_model)
    return checked, report(checked)


def markdown(result: dict[str, dict[str, Any]]) -> str:
    """The report as a Markdown table."""
    lines = ["| split | pairs | n | supported | precision | recall | unsupported kept |", "|---" * 7 + "|"]
    for split, parts in result.items():
        for part, f in parts.items():
            lines.append(
                f"| {split} | {part} | {f['pairs']} | {f['supported']} | {f['precision']:.3f} | {f['recall']:.3f} "
                f"| {f['unsupported_kept']:.3f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.support_eval", description=__doc__)
    parser.add_argument("--pairs", type=Path, default=PAIRS, help="labelled pairs (JSON lines)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--similarity-only", action="store_true", help="without the learned cross-language check")
    args = parser.parse_args(argv)
    try:
        _, result = evaluate(load_settings(), args.pairs, learned=not args.similarity_only)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
