"""Official texts as EUR-Lex and Normattiva publish them (HTML, PDF): one chunk per article, numbered and titled
as in the source, and every PDF chunk on the page its text is on. The fixtures are built here in the services' shape."""

from __future__ import annotations

from pathlib import Path

from ingestion.chunk import chunk_document
from ingestion.documents import Chunk
from ingestion.load import load_document
from tests.fixtures_docs import make_pdf

# EUR-Lex HTML as the Official Journal pages wrote it until 2023 (class "ti-art"/"sti-art"), lists as tables.
EURLEX_HTML_CLASSIC = """<!DOCTYPE html><html><head><title>L_2011101EN.01000101.xml</title></head><body>
<p class="doc-ti">DIRECTIVE 2011/36/EU OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL</p>
<p class="normal">of 5 April 2011</p>
<p class="normal">on preventing and combating trafficking in human beings and protecting its victims</p>
<p class="normal">Whereas:</p>
<table><col width="4%"/><col width="96%"/><tbody><tr><td><p class="normal">(1)</p></td>
<td><p class="normal">Trafficking is a serious crime, as Article 5 of the Charter recognises.</p></td></tr>
</tbody></table>
<p class="normal">HAVE ADOPTED THIS DIRECTIVE:</p>
<p class="ti-art">Article 1</p>
<p class="sti-art">Subject matter</p>
<p class="normal">This Directive establishes minimum rules concerning the definition of offences.</p>
<p class="ti-art">Article 2</p>
<p class="sti-art">Offences concerning trafficking in human beings</p>
<p class="normal">1. Member States shall ensure that the following acts are punishable:</p>
<table><col width="4%"/><col width="96%"/><tbody><tr><td><p class="normal">(a)</p></td>
<td><p class="normal">the recruitment, transportation or transfer of persons, as referred to in Article 3;</p></td></tr>
</tbody></table>
<p class="normal">2. A position of vulnerability means a situation in which the person has no real alternative.</p>
<p class="ti-art">Article 18a</p>
<p class="sti-art">Offences concerning the use of services which are the objects of exploitation</p>
<p class="normal">Member States shall consider making the knowing use of such services a criminal offence.</p>
</body></html>"""

# EUR-Lex HTML of the Official Journal since 2023: each article an "eli-subdivision" with "oj-" classes.
EURLEX_HTML_ELI = """<!DOCTYPE html><html><head><title>Directive (EU) 2024/1712</title></head><body>
<div class="eli-container"><div class="eli-main-title"><p class="oj-doc-ti">DIRECTIVE (EU) 2024/1712</p></div>
<div id="enc_1"><div class="eli-subdivision" id="art_1"><p id="d1e40-1-1" class="oj-ti-art">Article 1</p>
<div class="eli-title" id="art_1.tit_1"><p class="oj-sti-art">Amendments to Directive 2011/36/EU</p></div>
<div id="001.001"><p class="oj-normal">Directive 2011/36/EU is amended as follows.</p></div></div>
<div class="eli-subdivision" id="art_2"><p class="oj-ti-art">Article 2</p>
<div class="eli-title"><p class="oj-sti-art">Transposition</p></div>
<p class="oj-normal">Member States shall bring into force the laws needed to comply with this Directive.</p></div>
<div class="eli-subdivision" id="art_3"><p class="oj-ti-art">Article 3</p>
<div class="eli-title"><p class="oj-sti-art">Entry into force</p></div>
<p class="oj-normal">This Directive shall enter into force on the twentieth day following its publication.</p></div>
</div></div></body></html>"""

OJ_HEADER = "L 101/6 EN Official Journal of the European Union 15.4.2011"


def _chunks(path: Path) -> list[Chunk]:
    return chunk_document(load_document(path, path.parent, doc_type="legislation"))


def _articles(chunks: list[Chunk]) -> list[str]:
    return [chunk.section for chunk in chunks if chunk.section.startswith(("Article", "Articolo"))]


def test_eurlex_html_gives_one_chunk_per_article_with_its_title(tmp_path: Path) -> None:
    path = tmp_path / "directive_2011_36.html"
    path.write_text(EURLEX_HTML_CLASSIC, encoding="utf-8")
    chunks = _chunks(path)
    assert _articles(chunks) == [
        "Article 1 – Subject matter",
        "Article 2 – Offences concerning trafficking in human beings",
        "Article 18a – Offences concerning the use of services which are the objects of exploitation",
    ]
    assert chunks[0].section == "Preamble" and "Whereas" in chunks[0].text
    article_2 = chunks[2].text
    assert "the recruitment, transportation or transfer of persons" in article_2
    assert "position of vulnerability" in article_2


def test_eurlex_html_of_the_eli_layout_gives_one_chunk_per_article(tmp_path: Path) -> None:
    path = tmp_path / "directive_2024_1712.html"
    path.write_text(EURLEX_HTML_ELI, encoding="utf-8")
    chunks = _chunks(path)
    assert _articles(chunks) == [
        "Article 1 – Amendments to Directive 2011/36/EU",
        "Article 2 – Transposition",
        "Article 3 – Entry into force",
    ]
    assert "twentieth day" in chunks[-1].text


def test_eurlex_pdf_gives_one_chunk_per_article_across_pages(tmp_path: Path) -> None:
    pages = [
        f"{OJ_HEADER}\nDIRECTIVE 2011/36/EU\nHAVE ADOPTED THIS DIRECTIVE:\n\nArticle 1\nSubject matter\n"
        "This Directive establishes minimum rules concerning the definition of offences.\n\n"
        "Article 2\nOffences concerning trafficking in human beings\n"
        "1. Member States shall take the necessary measures to ensure that the acts are punishable.",
        f"{OJ_HEADER}\n2. A position of vulnerability means the person has no real alternative.\n\n"
        "Article 3\nIncitement, aiding and abetting, and attempt\n"
        "Member States shall ensure that inciting, aiding and abetting or attempting is punishable.",
        f"{OJ_HEADER}\nArticle 4\nPenalties\nThe offences shall be punishable by a maximum penalty of five years.",
    ]
    chunks = _chunks(make_pdf(tmp_path / "directive.pdf", pages))
    sections = _articles(chunks)
    assert list(dict.fromkeys(sections)) == [
        "Article 1 – Subject matter",
        "Article 2 – Offences concerning trafficking in human beings",
        "Article 3 – Incitement, aiding and abetting, and attempt",
        "Article 4 – Penalties",
    ]


def test_normattiva_pdf_export_gives_one_chunk_per_article(tmp_path: Path) -> None:
    pages = [
        "CODICE PENALE\nLibro II - Dei delitti in particolare\n\n"
        "Art. 600 - Riduzione o mantenimento in schiavitù o in servitù\n"
        "Chiunque esercita su una persona poteri corrispondenti a quelli del diritto di proprietà è punito.\n\n"
        "Art. 600-bis - Prostituzione minorile\nÈ punito chiunque recluta o induce alla prostituzione un minore.",
        "Art. 601\n(Tratta di persone)\nÈ punito chiunque recluta, introduce nel territorio dello Stato o trasferisce "
        "una persona.\n\nArt. 603-bis - Intermediazione illecita e sfruttamento del lavoro\n"
        "È punito chiunque recluta manodopera allo scopo di destinarla al lavoro presso terzi.",
    ]
    chunks = _chunks(make_pdf(tmp_path / "codice_penale.pdf", pages))
    assert _articles(chunks) == [
        "Article 600 – Riduzione o mantenimento in schiavitù o in servitù",
        "Article 600-bis – Prostituzione minorile",
        "Article 601 – Tratta di persone",
        "Article 603-bis – Intermediazione illecita e sfruttamento del lavoro",
    ]
    assert [chunk.page for chunk in chunks if chunk.section.startswith("Article")] == [1, 1, 2, 2]


def test_every_pdf_chunk_is_on_the_page_its_text_is_on(tmp_path: Path) -> None:
    facts = {
        1: "Fact one: the reflection period lasts at least thirty days.",
        2: "Fact two: the victim may not be removed before identification ends.",
        3: "Fact three: a child victim is presumed a child when the age is uncertain.",
    }
    pages = [
        f"Article 1\nReflection period\n{facts[1]}",
        f"{facts[2]}\n\nArticle 2\nResidence permit\nA permit may be issued for the victim's personal situation.",
        f"Article 3\nChildren\n{facts[3]}",
    ]
    chunks = _chunks(make_pdf(tmp_path / "three_pages.pdf", pages))
    for page, fact in facts.items():
        [holder] = [chunk for chunk in chunks if fact in chunk.text]
        assert holder.page == page, f"{fact!r} cited as page {holder.page}"
    assert [(chunk.section, chunk.page) for chunk in chunks] == [
        ("Article 1 – Reflection period", 1),
        ("Article 1 – Reflection period", 2),
        ("Article 2 – Residence permit", 2),
        ("Article 3 – Children", 3),
    ]
    assert chunks[1].text.startswith("Article 1 – Reflection period\n\nFact two"), "a page's part repeats its heading"
