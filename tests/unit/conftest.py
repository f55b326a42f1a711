"""Helpers shared by the unit tests: two Palermo Protocol sources, an Answerer on fakes, recognizer output."""

from __future__ import annotations

from collections.abc import Sequence

from core.settings import Settings, load_settings
from rag.answer import Answerer
from rag.retrieve import Retrieval
from rag.search import Hit
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, ReplayGenerator

ARTICLE_3 = Hit.from_metadata(
    "palermo-3",
    "c) The recruitment, transportation, transfer, harbouring or receipt of a child for the purpose of "
    "exploitation shall be considered trafficking in persons even if this does not involve any of the means "
    "set forth in subparagraph a) of this article;\n\n"
    'd) "Child" shall mean any person under eighteen years of age.',
    0.9,
    {
        "source": "palermo_protocol_2000.md",
        "title": "Palermo Protocol",
        "section": "Article 3 — Use of terms",
        "page": -1,
        "doc_type": "legislation",
        "language": "en",
    },
)
ARTICLE_6 = Hit.from_metadata(
    "palermo-6",
    "Each State Party shall consider implementing measures to provide for the physical, psychological and social "
    "recovery of victims of trafficking in persons, including appropriate housing, counselling and medical "
    "assistance.",
    0.7,
    {
        "source": "palermo_protocol_2000.md",
        "title": "Palermo Protocol",
        "section": "Article 6 — Assistance to victims",
        "page": 4,
        "doc_type": "legislation",
        "language": "en",
    },
)

QUESTION = "Must deception be proven when the victim is 15?"
GOOD_REPLY = (
    "No. A child is any person under eighteen years of age [1]. The recruitment of a child for exploitation is "
    "trafficking even if it does not involve any of the means [1]. I hope this helps!"
)


def retrieval(
    question: str = QUESTION, hits: Sequence[Hit] = (ARTICLE_3, ARTICLE_6), covered: bool = True
) -> Retrieval:
    """What retrieval hands the Answerer: ``hits`` for ``question``, covered by the knowledge base or not."""
    return Retrieval(question, question, list(hits), covered, 0.7)


class ReplayAnswerer(Answerer):
    """The real Answerer, typed so that tests can read what its replaying generator recorded."""

    generator: ReplayGenerator


def answerer(replies: Sequence[str] = (GOOD_REPLY,), settings: Settings | None = None) -> ReplayAnswerer:
    """An Answerer whose model replays ``replies`` and whose embedder hashes words (the test profile by default)."""
    return ReplayAnswerer(ReplayGenerator(replies), HashEmbedder(), settings or load_settings(TEST_CONFIG))


def found_values(recognizer: object, text: str) -> list[str]:
    """The texts a Presidio recognizer finds in ``text``, sorted."""
    results = recognizer.analyze(text, [])  # type: ignore[attr-defined]
    return sorted(text[r.start : r.end] for r in results)
