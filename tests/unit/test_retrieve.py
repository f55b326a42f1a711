"""Hybrid retrieval on a small real index with the hash embedder: references, merging, abstention."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.settings import Settings
from ingestion.pipeline import Components, build_index
from rag.fusion import by_score, fuse, is_overview, merge_articles
from rag.retrieve import HybridRetriever
from rag.search import BROAD_FILTER_SHARE, Filters, Hit, IndexSnapshot, chroma_where, open_index
from rag.searches import LANGUAGE_SHIFT, cross_language_vector, plan_searches
from rag.types import Turn

CETS = """---
title: Council of Europe Convention on Action against Trafficking in Human Beings
---
Article 4 – Definitions
Trafficking in human beings means the recruitment, transportation, transfer, harbouring or receipt of persons.

Article 13 – Recovery and reflection period
Each Party shall provide a recovery and reflection period of at least 30 days for presumed victims.

Article 26 – Non-punishment provision
Parties may decide not to impose penalties on victims for their involvement in unlawful activities.
"""

PALERMO = """---
title: Protocol to Prevent, Suppress and Punish Trafficking in Persons
---
Article 3 – Use of terms
Recruitment of a child for exploitation is trafficking even if none of the means is used.

Article 8 – Repatriation of victims
States shall facilitate the return of victims with due regard for their safety.
"""

JUDGMENT = """---
title: Fictional v. Ruritania
doc_type: case_law
jurisdiction: ECHR
---
# Fictional v. Ruritania

## Facts

The applicant, a domestic worker, was kept in a house in Ruritania and the police closed the trafficking complaint.

## Reasoning

The Court found the trafficking investigation ineffective because the police never questioned the employer.

## Outcome

Violation of Article 4; the applicant was awarded damages for the trafficking complaint left uninvestigated.
"""

LONG_ARTICLE = "Article 10 – Identification\n" + "\n\n".join(
    f"Paragraph {n}: the competent authorities shall identify victims and cooperate with support organisations {n}."
    for n in range(1, 40)
)


@pytest.fixture
def snapshot(tmp_path: Path, settings: Settings, fake_components: Components) -> IndexSnapshot:
    root = tmp_path / "kb" / "legislation"
    root.mkdir(parents=True)
    (root / "cets197.md").write_text(CETS, encoding="utf-8")
    (root / "palermo.md").write_text(PALERMO, encoding="utf-8")
    (tmp_path / "kb" / "case_law").mkdir()
    (tmp_path / "kb" / "case_law" / "ruritania.md").write_text(JUDGMENT, encoding="utf-8")
    (root / "long.md").write_text("---\ntitle: Long Act\njurisdiction: EU\n---\n" + LONG_ARTICLE, encoding="utf-8")
    build_index([tmp_path / "kb"], settings.index_dir, settings, fake_components)
    return open_index(settings.index_dir, fake_components.store, fake_components.embedder.embed_query)


def _retriever(snapshot: IndexSnapshot, settings: Settings, threshold: float = 0.0) -> HybridRetriever:
    return HybridRetriever(snapshot, settings.retrieval, threshold)


def test_named_article_of_named_instrument_comes_first(snapshot: IndexSnapshot, settings: Settings) -> None:
    result = _retriever(snapshot, settings).retrieve("What does Article 26 of CETS 197 say?")
    top = result.hits[0]
    assert top.source == "legislation/cets197.md" and top.section.startswith("Article 26")
    assert result.covered


def test_article_number_alone_prefers_instruments_with_that_article(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    hits = _retriever(snapshot, settings).retrieve("art. 8").hits
    assert hits[0].section.startswith("Article 8")


def test_parts_of_a_long_article_are_merged_into_one_hit(snapshot: IndexSnapshot, settings: Settings) -> None:
    parts = snapshot.chunks({"source": "legislation/long.md"})
    assert len(parts) > 1  # the article was split at indexing
    hits = _retriever(snapshot, settings).retrieve("competent authorities identify victims support organisations").hits
    long_hits = [hit for hit in hits if hit.source == "legislation/long.md"]
    assert len(long_hits) == 1
    assert long_hits[0].text.count("Article 10 – Identification") == 1


def test_an_article_over_two_pdf_pages_is_cited_at_the_page_of_its_best_part() -> None:
    section = "Article 5 — Assistance"
    first = Hit("a:0", f"{section}\nVictims receive shelter.", 0.2, source="a.pdf", section=section, page=2, ordinal=0)
    second = Hit("a:1", f"{section}\nChildren get a guardian.", 0.9, source="a.pdf", section=section, page=3, ordinal=1)
    [merged] = merge_articles([second, first])  # the second part matched best
    assert (merged.id, merged.page, merged.score) == ("a:1", 3, 0.9)
    assert merged.text == f"{section}\nVictims receive shelter.\nChildren get a guardian."
    [alone] = merge_articles([first])
    assert alone.page == 2


def test_pages_of_a_pdf_without_headings_stay_hits_of_their_own() -> None:
    pages = [Hit(f"p:{n}", f"Text of page {n}.", 1.0 / n, source="guide.pdf", page=n, ordinal=n) for n in (1, 2, 3)]
    merged = merge_articles([pages[1], pages[0], pages[2]])
    assert [(hit.id, hit.page, hit.text) for hit in merged] == [
        ("p:2", 2, "Text of page 2."),
        ("p:1", 1, "Text of page 1."),
        ("p:3", 3, "Text of page 3."),
    ]


def test_filters_restrict_documents(snapshot: IndexSnapshot, settings: Settings) -> None:
    hits = _retriever(snapshot, settings).retrieve("victims", filters=Filters(jurisdictions=("EU",))).hits
    assert hits and {hit.source for hit in hits} == {"legislation/long.md"}


def test_low_similarity_question_is_not_covered(snapshot: IndexSnapshot, settings: Settings) -> None:
    result = _retriever(snapshot, settings, threshold=0.99).retrieve("football results of yesterday evening")
    assert not result.covered and "close enough" in result.reason


def test_a_question_naming_an_indexed_instrument_is_in_scope_whatever_its_similarity(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    retriever = _retriever(snapshot, settings, threshold=0.99)
    result = retriever.retrieve("What does the Palermo Protocol say about repatriation?")
    assert result.covered and result.named
    assert result.hits[0].section.startswith("Article 8")
    foreign = retriever.retrieve("Is the Palermo Protocol applied under Japanese law?")
    assert not foreign.covered and "JP" in foreign.reason  # the other guards still apply


def test_an_article_the_named_instrument_does_not_hold_leaves_the_instrument_unscoped(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    # The judgment discusses an article the index does not hold: CETS's other articles are not what is asked.
    question = "In the Ruritania judgment, why did the Court not rely on Article 99 of CETS 197?"
    result = _retriever(snapshot, settings).retrieve(question)
    assert not result.named
    assert result.hits[0].source == "case_law/ruritania.md"
    held = _retriever(snapshot, settings).retrieve("In the Ruritania judgment, was Article 26 of CETS 197 relied on?")
    assert held.named and held.hits[0].section.startswith("Article 26")


def test_an_article_past_the_named_instruments_last_is_not_covered(snapshot: IndexSnapshot, settings: Settings) -> None:
    retriever = _retriever(snapshot, settings)
    past = retriever.retrieve("What does Article 99 of the Palermo Protocol say?")
    assert not past.covered
    assert (
        past.reason.startswith("the knowledge base holds no article 99 of Protocol to Prevent")
        and "last is 8" in past.reason
    )
    # An article within the Protocol's range that the index does not hold: the searches answer as before.
    assert retriever.retrieve("What does Article 5 of the Palermo Protocol say?").reason == ""


def _scored(*pairs: tuple[str, float]) -> list[Hit]:
    return [Hit(hit_id, hit_id, score) for hit_id, score in pairs]


def test_a_rank_fusion_tie_goes_to_the_clear_winner_of_one_search() -> None:
    dense = _scored(("x", 0.90), ("y", 0.89), ("z", 0.50))  # x only just leads
    lexical = _scored(("y", 9.0), ("x", 3.0), ("z", 1.0))  # y leads by far
    for rankings in ([(dense, 1.0, None), (lexical, 1.0, "en")], [(lexical, 1.0, "en"), (dense, 1.0, None)]):
        fused, margin, hits = fuse(rankings, rrf_k=60)
        assert fused["x"] == pytest.approx(fused["y"]) and set(hits) == {"x", "y", "z"}
        assert by_score(fused, margin) == ["y", "x", "z"]


def test_a_lexical_ranking_counts_little_for_chunks_in_another_language() -> None:
    english, spanish = Hit("en", "victims", 9.0, language="en"), Hit("es", "víctimas", 5.0, language="es")
    dense = [Hit("es", "víctimas", 0.8, language="es"), Hit("en", "victims", 0.8, language="en")]
    fused, margin, _ = fuse([([english, spanish], 1.0, "es"), (dense, 1.0, None)], rrf_k=60)
    assert by_score(fused, margin) == ["es", "en"]  # the Spanish words' first match was an English chunk
    fused, margin, _ = fuse([([english, spanish], 1.0, "en"), (dense, 1.0, None)], rrf_k=60)
    assert by_score(fused, margin) == ["en", "es"]  # in its own language the same ranking decides


def _article(section: str, *parts: str) -> Hit:
    return Hit("x", "\n".join([*parts, section, "", "Each Party shall ..."]), 1.0, section=section)


def test_only_articles_inside_a_final_clauses_part_count_as_overview() -> None:
    assert not is_overview(_article("Article 19 – Mental Reservations", "Book I – Persons"))
    assert not is_overview(_article("Article 7 – Preservation of evidence"))
    assert is_overview(_article("Article 45 – Reservations", "CHAPTER X – FINAL CLAUSES"))
    assert is_overview(_article("Article 16 – Signature", "IV – Final provisions"))
    assert is_overview(_article("Articolo 20 – Entrata in vigore", "Capo V – Disposizioni finali"))
    assert is_overview(Hit("p", "Preamble\n\nThe States ...", 1.0, section="Preamble"))


def test_a_range_of_articles_names_its_first_article(snapshot: IndexSnapshot, settings: Settings) -> None:
    result = _retriever(snapshot, settings).retrieve("What do Articles 3-5 of the Palermo Protocol say?")
    assert result.named and result.hits[0].section.startswith("Article 3")


def test_question_about_a_foreign_law_is_not_covered(snapshot: IndexSnapshot, settings: Settings) -> None:
    result = _retriever(snapshot, settings).retrieve("What is the penalty for trafficking under Japanese law?")
    assert not result.covered and "JP" in result.reason


def test_follow_up_uses_the_conversation(snapshot: IndexSnapshot, settings: Settings) -> None:
    history = [Turn("How long is the recovery and reflection period for victims?")]
    result = _retriever(snapshot, settings).retrieve("and what about repatriation?", history=history)
    assert "reflection period" in result.search_query
    assert result.hits[0].section.startswith(("Article 13", "Article 8"))


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Why did the Court find a violation in the Ruritania trafficking case?", "Reasoning"),
        ("Was the applicant awarded damages in Ruritania?", "Outcome"),
        ("Ruritania trafficking case: what happened?", "Facts"),
    ],
)
def test_a_question_about_a_judgment_gets_the_section_it_asks_for(
    snapshot: IndexSnapshot, settings: Settings, question: str, section: str
) -> None:
    hits = _retriever(snapshot, settings).retrieve(question).hits
    first = next(hit for hit in hits if hit.doc_type == "case_law")
    assert first.section == section


def test_an_instrument_named_but_never_mentioned_is_not_covered(snapshot: IndexSnapshot, settings: Settings) -> None:
    result = _retriever(snapshot, settings).retrieve("What does the Istanbul Convention say about trafficking?")
    assert not result.covered and "Istanbul Convention" in result.reason
    known = _retriever(snapshot, settings).retrieve("What does the Council of Europe Convention say about victims?")
    assert known.covered


def test_filtered_searches_keep_what_the_stores_own_filtering_keeps(snapshot: IndexSnapshot) -> None:
    question = "trafficking victims identification"
    where = {"doc_type": "legislation"}  # keeps most chunks: dense search over-fetches and filters itself
    assert snapshot._share(where) >= BROAD_FILTER_SHARE
    vector = snapshot._embed_query(question)
    expected = [chunk_id for chunk_id, _ in snapshot._collection.query(vector, 5, chroma_where(where))]
    assert [hit.id for hit in snapshot.dense_search(question, 5, where)] == expected

    unfiltered = snapshot.lexical_search(question, 1000)
    wanted = [hit.id for hit in unfiltered if hit.doc_type == "case_law"][:3]
    assert wanted and [hit.id for hit in snapshot.lexical_search(question, 3, {"doc_type": "case_law"})] == wanted


def test_narrow_filters_are_searched_exactly_over_their_own_vectors(
    snapshot: IndexSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.search

    monkeypatch.setattr(rag.search, "BROAD_FILTER_SHARE", 0.9)  # every filter here counts as narrow
    question = "trafficking investigation by the police"
    where = {"doc_type": "case_law"}
    vector = snapshot._embed_query(question)
    expected = list(snapshot._collection.query(vector, 3, chroma_where(where)))
    found = snapshot.dense_search(question, 3, where)
    assert [hit.id for hit in found] == [chunk_id for chunk_id, _ in expected]
    assert [hit.score for hit in found] == pytest.approx([score for _, score in expected], abs=1e-4)


@pytest.mark.parametrize(
    "question",
    ["What did the Court decide in Ruritania?", "Was the applicant in Fictional v. Ruritania awarded damages?"],
)
def test_a_question_naming_an_indexed_judgment_is_in_scope_whatever_its_similarity(
    snapshot: IndexSnapshot, settings: Settings, question: str
) -> None:
    result = _retriever(snapshot, settings, threshold=0.99).retrieve(question)
    assert result.named == ("Fictional v." in question) and result.covered == result.named


ITALIAN_GUIDE = """---
title: Guida operativa
doc_type: handbook
language: it
---
## Primo contatto
La vittima di tratta va ascoltata con un mediatore culturale e senza fretta.

## Permesso di soggiorno
La vittima può ottenere un permesso di soggiorno per protezione sociale.
"""


@pytest.fixture
def bilingual(tmp_path: Path, settings: Settings, fake_components: Components) -> IndexSnapshot:
    root = tmp_path / "kb"
    (root / "legislation").mkdir(parents=True)
    (root / "handbook").mkdir()
    (root / "legislation" / "cets197.md").write_text(CETS, encoding="utf-8")
    (root / "handbook" / "guida.it.md").write_text(ITALIAN_GUIDE, encoding="utf-8")
    build_index([root], settings.index_dir, settings, fake_components)
    return open_index(settings.index_dir, fake_components.store, fake_components.embedder.embed_query)


def _unit_mean(snapshot: IndexSnapshot, language: str) -> np.ndarray:
    ids = [hit.id for hit in snapshot.chunks({"language": language})]
    matrix = np.asarray(list(snapshot._collection.embeddings(ids).values()))
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).mean(axis=0)


def test_the_language_offset_runs_from_one_languages_chunks_to_the_others(
    bilingual: IndexSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.search

    monkeypatch.setattr(rag.search, "MIN_LANGUAGE_CHUNKS", 2)
    offset = bilingual.language_offset("it", "en")
    assert offset is not None
    assert offset == pytest.approx(_unit_mean(bilingual, "en") - _unit_mean(bilingual, "it"), abs=1e-5)
    assert bilingual.language_offset("de", "en") is None  # no German chunk: nothing to move a question by


def test_an_italian_question_searches_english_texts_with_its_shifted_vector_and_its_translation(
    bilingual: IndexSnapshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rag.search

    question = "La vittima di tratta ha diritto a un periodo di recupero e riflessione?"
    searches = plan_searches(question, None, [])
    cross = [search for search in searches if search.translation]
    assert len(cross) == 1 and cross[0].kind == "dense" and cross[0].where == {"language": "en"}
    assert cross[0].text == question and "reflection" in cross[0].translation

    monkeypatch.setattr(rag.search, "MIN_LANGUAGE_CHUNKS", 2)
    translated = np.asarray(bilingual.embed_query(cross[0].translation))
    alone = np.asarray(cross_language_vector(bilingual, question, cross[0].translation, "de"))
    assert alone == pytest.approx(translated / np.linalg.norm(translated))  # no German chunk, no offset: as written

    offset = bilingual.language_offset("it", "en")
    assert offset is not None
    own = np.asarray(bilingual.embed_query(question)) + LANGUAGE_SHIFT * offset
    blended = np.asarray(cross_language_vector(bilingual, question, cross[0].translation, "it"))
    assert blended == pytest.approx(own / np.linalg.norm(own) + translated / np.linalg.norm(translated))
    hits = bilingual.vector_search(blended.tolist(), 5, cross[0].where)
    assert hits and all(hit.language == "en" for hit in hits)
