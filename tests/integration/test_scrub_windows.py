"""The real scrubber on pages longer than spaCy's max_length: analysed in windows, every name replaced."""

from __future__ import annotations

import pytest

from core.settings import ScrubbingSettings
from ingestion.scrub import PresidioScrubber

pytestmark = pytest.mark.slow


def test_a_page_longer_than_spacys_limit_is_scrubbed_in_full() -> None:
    scrubber = PresidioScrubber(ScrubbingSettings())
    scrubber.warm_up()
    nlp = scrubber._analyzer.nlp_engine.nlp["en"]  # type: ignore[union-attr]
    nlp.max_length = 3000  # stands in for spaCy's 1,000,000 characters, so that the test stays quick
    paragraph = "The witness said that Maria Rossi was taken to the farm by Marco Bianchi in the night. " * 4
    text = "".join(f"{paragraph}Call +39 333 123 4567 for paragraph {n}.\n\n" for n in range(60))
    assert len(text) > 6 * nlp.max_length
    result = scrubber.scrub([text])
    scrubbed = result.texts[0]
    assert "Rossi" not in scrubbed and "Bianchi" not in scrubbed and "333 123 4567" not in scrubbed
    assert scrubbed.count("<PERSON_1>") == 240 and scrubbed.count("<PERSON_2>") == 240
    assert scrubbed.count("paragraph 59") == 1  # nothing lost or doubled where windows overlap
