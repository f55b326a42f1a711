"""Cut-down prompts for small models: which sentences of the sources the model is shown."""

from __future__ import annotations

from rag.compact import GAP, compact_evidence
from rag.search import Hit


def _hit(hit_id: str, section: str, sentences: list[str]) -> Hit:
    text = section + "\n\n" + " ".join(sentences)
    metadata = {"source": f"{hit_id}.md", "title": "Directive", "section": section, "page": -1, "language": "en"}
    return Hit.from_metadata(hit_id, text, 0.9, metadata)


ARTICLE_2 = _hit(
    "art-2",
    "Article 2 – Offences concerning trafficking in human beings",
    [
        "Member States must punish the recruitment or transport of persons by coercion or deception.",
        "The consent of a victim to the intended exploitation is irrelevant where any of the means was used.",
        "Where the victim is a child, the act is punishable even if none of the means was used.",
        "A child is any person below eighteen years of age.",
    ],
)
ARTICLE_8 = _hit(
    "art-8",
    "Article 8 – Non-prosecution of victims",
    [
        "Victims are not prosecuted for criminal activities they were compelled to commit.",
        "This covers forced criminality such as drug dealing or theft.",
    ],
)


def _words(text: str) -> int:
    return len(text.split())


def _header(_n: int, _hit: Hit) -> int:
    return 5


def test_sentences_sharing_the_questions_rarer_words_are_shown() -> None:
    shown = compact_evidence(
        [ARTICLE_2, ARTICLE_8], "Is a victim forced into drug dealing prosecuted?", 40, _words, _header
    )
    assert [hit.id for hit in shown] == ["art-2", "art-8"]
    assert "drug dealing" in shown[1].text
    assert sum(_words(hit.text) + 5 for hit in shown) <= 40 + 2 * len(shown)  # the gap marks aside


def test_a_question_sharing_no_word_with_the_sources_is_shown_the_best_source_from_its_beginning() -> None:
    # A Swedish question over English law: no word in common, so no sentence scores.
    shown = compact_evidence(
        [ARTICLE_2, ARTICLE_8], "Kan ett barn som tvingats sälja droger straffas?", 60, _words, _header
    )
    assert [hit.id for hit in shown] == ["art-2"]
    kept = shown[0].text.split(GAP.strip())[0].strip()
    assert "Member States must punish the recruitment" in kept
    assert "The consent of a victim" in kept  # more than its first sentence, in the source's order
