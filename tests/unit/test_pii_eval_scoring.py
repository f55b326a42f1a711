"""How pii_eval scores detections against gold spans (no scrubber: the detections are written by hand)."""

from __future__ import annotations

from evaluation.pii_eval import Passage, evaluate
from ingestion.scrub import Detection


def _address(text: str, labelled: str, redacted: str) -> float:
    start = text.index(labelled)
    passage = Passage("p", "it", text, [{"start": start, "end": start + len(labelled), "type": "ADDRESS"}], [])
    at = text.index(redacted)
    return evaluate([passage], [[Detection(at, at + len(redacted), "ADDRESS")]]).recall["ADDRESS"]


def test_a_kept_city_closing_an_address_label_is_not_needed() -> None:
    text = "Doveva raggiungere via Padova 231, Milano, presso tale persona."
    assert _address(text, "via Padova 231, Milano", "via Padova 231") == 1.0
    assert _address(text, "via Padova 231, Milano", "via Padova") == 0.0  # the house number is still needed


def test_a_town_that_is_no_kept_place_stays_part_of_the_address() -> None:
    text = "Abitava in via Roma 12, Vignate con la zia."
    assert _address(text, "via Roma 12, Vignate", "via Roma 12") == 0.0
    assert _address(text, "via Roma 12, Vignate", "via Roma 12, Vignate") == 1.0
