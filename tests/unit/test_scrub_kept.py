"""What scrubbing keeps: helplines, register numbers, citations, courts and offices with their seat, case names."""

from __future__ import annotations

import pytest

from ingestion.scrub_policy import _keep_spans


def test_helplines_and_freephone_numbers_are_kept() -> None:
    text = "Call the Anti-Slavery Hotline 0808 800 0123 or the Linea Verde 331 222 3333."
    kept = [text[start:end] for start, end in _keep_spans(text)]
    assert any("0808 800 0123" in value for value in kept)
    assert any("331 222 3333" in value for value in kept)


def test_register_numbers_citations_and_court_localities_are_kept() -> None:
    text = (
        "Corte d'Appello, Sent. n. 88/2023, R.G.N.R. 10442/2020, 7731/21 RGNR, RIT 502/22; "
        "[2023] EWCA Crim 1010; Youth Court at Highbury; Ufficio del Giudice per le Indagini Preliminari"
    )
    kept = [text[start:end] for start, end in _keep_spans(text)]
    for value in ("Sent. n. 88/2023", "R.G.N.R. 10442/2020", "7731/21 RGNR", "RIT 502/22", "[2023] EWCA Crim 1010"):
        assert any(value in span for span in kept), value
    assert any("Court at Highbury" in span for span in kept)
    assert any(span.endswith("Indagini Preliminari") for span in kept)


@pytest.mark.parametrize(
    "court",
    [
        "Corte d'Assise di Ravenna",
        "Corte d'Assise d'Appello di Bologna",
        "Corte d'appello dell'Aquila",
        "Tribunale per i minorenni di Catania",
        "Cour d'appel de Rennes",
        "Tribunal judiciaire de Nanterre",
        "Court of Appeal of Paris",
        "Landgericht Bielefeld",
        "Rechtbank Gelderland",
        "Audiencia Provincial de Albacete",
        "Jugendamt",
        "Bundesamt für Migration und Flüchtlinge",
    ],
)
def test_a_court_or_an_office_is_kept_with_its_kind_and_its_seat(court: str) -> None:
    text = f"The {court} ruled on 3 May 2023 that Maria Rossi was a victim."
    kept = [text[start:end] for start, end in _keep_spans(text)]
    assert court in kept  # the seat ends the court's name; the person after it stays outside


def test_published_case_names_are_kept() -> None:
    text = "See Darboe and Camara v. Italy, Chowdury and Others v. Greece and S.M. v. Croatia."
    kept = [text[start:end] for start, end in _keep_spans(text)]
    for name in ("Darboe and Camara v. Italy", "Chowdury and Others v. Greece", "S.M. v. Croatia"):
        assert any(name in span for span in kept), name


def test_published_case_names_are_kept_in_the_courts_other_languages() -> None:
    text = "In Darboe e Camara c. Italia, in Chowdury et autres c. Grèce, in Rantsev c. Chipre y Rusia la Corte decide."
    kept = [text[start:end] for start, end in _keep_spans(text)]
    for name in ("Darboe e Camara c. Italia", "Chowdury et autres c. Grèce", "Rantsev c. Chipre y Rusia"):
        assert any(name in span for span in kept), name
    assert not _keep_spans("Mario Rossi contro Luigi Bianchi")  # prose, not a case title
