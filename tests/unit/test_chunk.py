"""Chunking: article detection in real-world heading styles, heading paths, splitting and page tracking."""

from __future__ import annotations

import pytest

from ingestion.chunk import chunk_document
from ingestion.documents import DocumentMetadata, LoadedDocument, Page, chunk_id
from ingestion.structure import match_article, match_division


def _doc(text: str | list[Page], doc_type: str = "legislation", language: str = "en") -> LoadedDocument:
    pages = [Page(text)] if isinstance(text, str) else text
    metadata = DocumentMetadata(title="Test law", doc_type=doc_type, jurisdiction="IT", language=language)
    return LoadedDocument(source="legislation/test.md", pages=pages, metadata=metadata, content_hash="0" * 64)


def _sections(text: str, doc_type: str = "legislation", min_chars: int = 40) -> list[str]:
    return [chunk.section for chunk in chunk_document(_doc(text, doc_type), min_chars=min_chars)]


@pytest.mark.parametrize(
    ("line", "label", "title"),
    [
        ("Article 4", "Article 4", ""),
        ("ARTICLE 4", "Article 4", ""),
        ("Art. 4", "Article 4", ""),
        ("Art. 4 -", "Article 4", ""),
        ("Art. 4.", "Article 4", ""),
        ("Article 4 - Definitions", "Article 4", "Definitions"),
        ("Article 4: Definitions", "Article 4", "Definitions"),
        ("Article 2 Definitions", "Article 2", "Definitions"),
        ("Article 4bis", "Article 4bis", ""),
        ("Art. 603-bis", "Article 603-bis", ""),
        ("Art. 603 bis", "Article 603-bis", ""),
        ("Articolo 601-bis", "Articolo 601-bis", ""),
        ("Articolo 4", "Articolo 4", ""),
        ("### Article  4  ", "Article 4", ""),
        ("###Article 35 ", "Article 35", ""),
        ("**Article 3**", "Article 3", ""),
        ("**Article 3** – Use of terms", "Article 3", "Use of terms"),
        ("Art. 601 (Tratta di persone)", "Article 601", "Tratta di persone"),
        (
            "## Article 609-undecies – Adescamento di minorenni (Grooming of minors)",
            "Article 609-undecies",
            "Adescamento di minorenni (Grooming of minors)",
        ),
        ("Art. 600-quater.1 Pornografia virtuale", "Article 600-quater.1", "Pornografia virtuale"),
        (
            "Art. 600. Riduzione o mantenimento in schiavitù o in servitù",
            "Article 600",
            "Riduzione o mantenimento in schiavitù o in servitù",
        ),
    ],
)
def test_article_heading_variants_are_recognised(line: str, label: str, title: str) -> None:
    heading = match_article(line)
    assert heading is not None
    assert (heading.label, heading.title) == (label, title)


@pytest.mark.parametrize(
    "line",
    [
        "Article 4 of the Convention shall apply to all forms of trafficking.",
        "Article 5, paragraph 1, applies mutatis mutandis.",
        "Art 4 ECHR prohibits slavery and forced labour.",
        "articles 4 and 5 apply",
        "Articolo 4 del decreto si applica anche ai minori",
        "In accordance with Article 4 of the Convention",
        "Artist 4",
    ],
)
def test_sentences_that_mention_an_article_are_not_headings(line: str) -> None:
    assert match_article(line) is None


@pytest.mark.parametrize(
    ("line", "label", "title"),
    [
        ("Article 98-2 Use of terms", "Article 98-2", "Use of terms"),
        ("Art. 3-2 (Scope)", "Article 3-2", "Scope"),
        ("### Article 3–2 – Scope", "Article 3-2", "Scope"),
        ("Article 17a", "Article 17a", ""),
    ],
)
def test_branch_numbers_are_part_of_the_article_number(line: str, label: str, title: str) -> None:
    heading = match_article(line)
    assert heading is not None
    assert (heading.label, heading.title) == (label, title)


LONG_TITLE = (
    "Protection of victims of trafficking in human beings who are children, and of persons whose age is uncertain "
    "but presumed a minor"
)


def test_a_long_heading_starts_its_own_article() -> None:
    assert len(f"Article 12 {LONG_TITLE}") == 140
    text = f"Article 11 – Scope\nThis law applies everywhere.\n\nArticle 12 {LONG_TITLE}\nThe child is protected.\n"
    chunks = chunk_document(_doc(text))
    assert [chunk.section for chunk in chunks] == ["Article 11 – Scope", f"Article 12 – {LONG_TITLE}"]
    assert "The child is protected." in chunks[1].text and "Article 12" not in chunks[0].text


def test_heading_line_with_a_sentence_keeps_the_sentence_as_body_text() -> None:
    heading = match_article("Art. 1. Il presente decreto si applica ai minori stranieri non accompagnati.")
    assert heading is not None
    assert heading.title == ""
    assert heading.body == "Il presente decreto si applica ai minori stranieri non accompagnati."


@pytest.mark.parametrize(
    ("line", "label"),
    [("### CHAPTER  II  ", "CHAPTER II"), ("Chapter II – Prevention", "Chapter II"), ("PART I", "PART I"),
     ("SECTION 2", "SECTION 2"), ("###I ", "I"), ("ANNEX", "ANNEX"), ("Annex I", "Annex I")],
)  # fmt: skip
def test_division_headings_are_recognised(line: str, label: str) -> None:
    heading = match_division(line)
    assert heading is not None
    assert heading.label == label


@pytest.mark.parametrize(
    "line", ["Section 2 of the Act provides otherwise.", "Annex I to this Convention lists the offences.", "I think so"]
)
def test_sentences_starting_with_division_words_are_not_headings(line: str) -> None:
    assert match_division(line) is None


LAW = """# Test law on trafficking

The Parties to this law, considering the dignity of every child, have agreed as follows.

CHAPTER I
PURPOSE AND DEFINITIONS

### Article  1

####Purpose

This law protects children against trafficking.

Article 2 - Definitions

For the purposes of this law, "child" means any person under eighteen years of age.

CHAPTER II – PROTECTION

###Article 3

Use of terms

Each Party shall identify victims. See Article 2 of this law for the definition.

**Article 4**

1. Each Party shall appoint a guardian.
2. The guardian acts in the best interests of the child.

[1] Footnote: guardianship is regulated by national law.

ANNEX
LIST OF INDICATORS

The child carries no documents; the child does not know the address where it lives.
"""


def test_legislation_gets_one_chunk_per_article_with_preamble_and_annex() -> None:
    chunks = chunk_document(_doc(LAW))
    assert [chunk.section for chunk in chunks] == [
        "Preamble",
        "Article 1 – Purpose",
        "Article 2 – Definitions",
        "Article 3 – Use of terms",
        "Article 4",
        "ANNEX – LIST OF INDICATORS",
    ]
    by_section = {chunk.section: chunk for chunk in chunks}
    assert "have agreed as follows" in by_section["Preamble"].text
    assert by_section["Article 2 – Definitions"].text.startswith("CHAPTER I – PURPOSE AND DEFINITIONS\nArticle 2")
    assert by_section["Article 3 – Use of terms"].text.startswith("CHAPTER II – PROTECTION\nArticle 3 – Use of terms")
    # A citation of another article inside the body does not start a new chunk.
    assert "See Article 2 of this law" in by_section["Article 3 – Use of terms"].text
    # The footnote after the last article stays with it; the annex is its own chunk.
    assert "Footnote: guardianship" in by_section["Article 4"].text
    assert "carries no documents" in by_section["ANNEX – LIST OF INDICATORS"].text
    assert "carries no documents" not in by_section["Article 4"].text


def test_chunks_carry_metadata_ordinals_and_stable_ids() -> None:
    doc = _doc(LAW)
    chunks = chunk_document(doc)
    assert [chunk.ordinal for chunk in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.id == chunk_id(doc.source, chunk.ordinal, chunk.text)
        assert (chunk.source, chunk.title, chunk.doc_type, chunk.jurisdiction, chunk.language) == (
            "legislation/test.md",
            "Test law",
            "legislation",
            "IT",
            "en",
        )
    assert [chunk.id for chunk in chunk_document(doc)] == [chunk.id for chunk in chunks]


def test_italian_articles_keep_articolo_and_normalise_art() -> None:
    text = (
        "Art. 600 - Riduzione o mantenimento in schiavitù o in servitù\n\n"
        "Chiunque esercita su una persona poteri corrispondenti a quelli del diritto di proprietà è punito.\n\n"
        "Art. 601-bis\n\nTraffico di organi prelevati da persona vivente\n\n"
        "Chiunque commercia organi prelevati da persona vivente è punito con la reclusione.\n\n"
        "Articolo 602\n\nAcquisto e alienazione di schiavi\n\nChiunque acquista o aliena una persona è punito."
    )
    chunks = chunk_document(_doc(text, language="it"))
    assert [chunk.section for chunk in chunks] == [
        "Article 600 – Riduzione o mantenimento in schiavitù o in servitù",
        "Article 601-bis – Traffico di organi prelevati da persona vivente",
        "Articolo 602 – Acquisto e alienazione di schiavi",
    ]
    assert all(chunk.language == "it" for chunk in chunks)
    assert "commercia organi" in chunks[1].text


def test_long_article_is_split_at_paragraphs_repeating_its_heading() -> None:
    paragraphs = [
        f"{number}. " + "Each Party shall protect child victims of trafficking. " * 4 for number in range(1, 9)
    ]
    text = "Article 12 – Assistance to victims\n\n" + "\n\n".join(paragraphs)
    chunks = chunk_document(_doc(text), max_chars=600)
    assert len(chunks) > 2
    assert {chunk.section for chunk in chunks} == {"Article 12 – Assistance to victims"}
    for chunk in chunks:
        assert len(chunk.text) <= 600
        assert chunk.text.startswith("Article 12 – Assistance to victims\n\n")
    bodies = "\n\n".join(chunk.text.split("\n\n", 1)[1] for chunk in chunks)
    assert bodies == "\n\n".join(paragraph.strip() for paragraph in paragraphs)


def test_one_very_long_paragraph_is_split_at_sentence_boundaries() -> None:
    sentences = [f"Sentence number {number} explains one duty of the State towards the child." for number in range(40)]
    text = "Article 1\n\n" + " ".join(sentences)
    chunks = chunk_document(_doc(text), max_chars=400)
    assert len(chunks) > 3
    for chunk in chunks:
        assert len(chunk.text) <= 400
        assert chunk.text.endswith("child.")  # no sentence was cut in the middle
    assert sum(chunk.text.count("Sentence number") for chunk in chunks) == 40


def test_unknown_document_with_articles_is_chunked_by_article() -> None:
    text = "Intro of a decree.\n\nArticle 1\n\nFirst rule text here.\n\nArticle 2\n\nSecond rule text here."
    assert _sections(text, doc_type="unknown", min_chars=0) == ["Preamble", "Article 1", "Article 2"]


def test_case_law_is_not_chunked_by_article_even_when_it_has_article_headings() -> None:
    text = "## Facts\n\nThe applicant was trafficked into Cyprus.\n\nArticle 4\n\nThe Court finds a violation of it."
    assert _sections(text, doc_type="case_law", min_chars=0) == ["Facts"]


def test_legislation_without_articles_falls_back_to_headings() -> None:
    text = "## Scope\n\nThis guidance note explains the law on trafficking in detail."
    assert _sections(text) == ["Scope"]


HANDBOOK = """# Handbook for frontline workers

This handbook helps frontline workers who meet children who may be trafficked.

## Age assessment

### Presumption of minority

Where the age is uncertain and there are reasons to believe the person is a child, they are presumed to be a child.

### Methods

Age assessment uses the least invasive methods first, starting with documents and interviews.

Identification of victims
-------------------------

Indicators include lack of documents, debt bondage and restrictions on movement.

## Tiny

See below.

## Referral

Refer the child to the national referral mechanism and appoint a guardian without delay.
"""


def test_handbook_sections_are_heading_paths_and_texts_start_with_them() -> None:
    chunks = chunk_document(_doc(HANDBOOK, doc_type="handbook"))
    assert [chunk.section for chunk in chunks] == [
        "",
        "Age assessment > Presumption of minority",
        "Age assessment > Methods",
        "Identification of victims",
        "Referral",
    ]
    assert chunks[0].text.startswith("Handbook for frontline workers\n\nThis handbook helps")
    assert chunks[1].text.startswith("Age assessment > Presumption of minority\n\nWhere the age is uncertain")
    # "Tiny" has less than min_chars of text: it is folded into the next section with its heading.
    assert chunks[4].text == (
        "Referral\n\nTiny\n\nSee below.\n\nRefer the child to the national referral mechanism and appoint a guardian "
        "without delay."
    )


def test_long_handbook_section_is_split_with_heading_repeated() -> None:
    body = "\n\n".join("The guardian must be informed of every decision about the child. " * 3 for _ in range(10))
    chunks = chunk_document(_doc(f"## Guardianship\n\n### Duties\n\n{body}", doc_type="handbook"), max_chars=500)
    assert len(chunks) > 2
    assert all(chunk.section == "Guardianship > Duties" for chunk in chunks)
    assert all(chunk.text.startswith("Guardianship > Duties\n\n") and len(chunk.text) <= 500 for chunk in chunks)


def test_document_without_headings_is_split_by_paragraphs() -> None:
    paragraphs = [
        f"Paragraph {number} of the case notes describes the route through the Balkans." for number in range(30)
    ]
    chunks = chunk_document(_doc("\n\n".join(paragraphs), doc_type="case_law"), max_chars=500)
    assert len(chunks) > 3
    assert all(chunk.section == "" and len(chunk.text) <= 500 for chunk in chunks)
    assert "\n\n".join(chunk.text for chunk in chunks) == "\n\n".join(paragraphs)


def test_a_chunk_holds_one_page_and_cites_the_page_its_text_is_on() -> None:
    pages = [
        Page("Article 1\n\nFirst article body on page one.", 1),
        Page("Article 2\n\nSecond article starts on page two.", 2),
        Page("It continues on page three.\n\nArticle 3\n\nThird article on page three.", 3),
        Page("Article 4", 4),
        Page("Fourth article's body is on page five.", 5),
    ]
    chunks = chunk_document(_doc(pages))
    assert [(chunk.section, chunk.page) for chunk in chunks] == [
        ("Article 1", 1),
        ("Article 2", 2),
        ("Article 2", 3),  # the rest of article 2, on page 3, under its heading
        ("Article 3", 3),
        ("Article 4", 5),  # its heading alone is on page 4; what it says is on page 5
    ]
    assert chunks[2].text == "Article 2\n\nIt continues on page three."


def test_split_parts_of_a_long_article_take_the_page_their_text_starts_on() -> None:
    long_paragraph = "Each Party shall take measures to protect the child. " * 8
    pages = [Page(f"Article 9\n\n{long_paragraph}", 7), Page(long_paragraph, 8)]
    chunks = chunk_document(_doc(pages), max_chars=500)
    assert chunks[0].page == 7
    assert chunks[-1].page == 8
    assert {chunk.section for chunk in chunks} == {"Article 9"}


def test_given_pages_replace_the_document_text() -> None:
    doc = _doc("Article 1\n\nThe victim Maria Rossi lives in Milan.")
    scrubbed = [Page("Article 1\n\nThe victim <PERSON_1> lives in <LOCATION_1>.")]
    chunks = chunk_document(doc, scrubbed)
    assert "Maria" not in chunks[0].text
    assert "<PERSON_1>" in chunks[0].text


def test_article_with_empty_body_is_still_indexed() -> None:
    assert _sections("Article 1\n\nText of article one.\n\nArticle 2 – Repealed\n\nArticle 3\n\nText three.") == [
        "Article 1",
        "Article 2 – Repealed",
        "Article 3",
    ]


def test_empty_pages_give_no_chunks() -> None:
    assert chunk_document(_doc("  \n\n  ")) == []
