"""What users type reaches the audit log and the feedback store only through the real scrubber, lower case and all."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import AuditLog, scrub_text
from app.feedback import FeedbackStore
from core.settings import ScrubbingSettings
from ingestion.scrub import PresidioScrubber

pytestmark = pytest.mark.slow

# Questions and comments as people type them: lower-case names, a surname met earlier in the same text, possessives,
# a lower-case fiscal code and street.
TYPED = (
    "what happened to mario rossi after the hearing in catania?",
    "Maria Bianchi was recruited in Lagos; did bianchi report the madam?",
    "is the girl's statement about giuseppe verdi's debt credible?",
    "codice fiscale rssmra85t10a562s, abita in via garibaldi 5 a palermo",
    "il numero di joy era 347 123 4567, la sua mail joy.e@ngo.local",
)
LEAKS = ("mario", "rossi", "bianchi", "giuseppe", "verdi", "rssmra85t10a562s", "garibaldi", "joy", "347 123 4567")


def test_typed_personal_data_never_reaches_audit_or_feedback(tmp_path: Path) -> None:
    scrubber = PresidioScrubber(ScrubbingSettings())
    audit, feedback = AuditLog(tmp_path / "audit.jsonl"), FeedbackStore(tmp_path / "feedback.jsonl")
    for text in TYPED:
        scrubbed = scrub_text(text, scrubber)
        audit.question(
            "anna", "editor", scrubbed, sources=[], answer_text="a", model="m", index_generation="g", abstained=False
        )
        feedback.add(user="anna", rating="up", scrubbed_question=scrubbed, answer_text="a", scrubbed_comment=scrubbed)
    written = (str(audit.read()) + str(feedback.entries())).lower()
    on_disk = (tmp_path / "safeborders.db").read_bytes().decode("utf-8", errors="replace").lower()
    for leak in LEAKS:
        assert leak not in written and leak not in on_disk, leak
    assert "girl's statement" in written  # a possessive keeps its "'s"
    assert "<PERSON_1>'s debt".lower() in written
    for kept in ("catania", "lagos", "palermo", "the madam", "the hearing"):
        assert kept in written, kept


def test_the_formats_that_reached_the_index_are_scrubbed_in_documents() -> None:
    page = (
        "Gloria Bassey was born in Benin City, Nigeria, on 12 April 1979. Her madam used the mobile 347 219 5566 "
        "and wrote from g.bassey@comunita-accoglienza.lan; the account was ES21 2100 4418 7102 0005 1332."
    )
    scrubbed = PresidioScrubber(ScrubbingSettings()).scrub([page]).texts[0]
    for leak in ("Bassey", "bassey", "12 April 1979", "347 219 5566", "4418", "1332"):
        assert leak not in scrubbed, (leak, scrubbed)
    assert "Benin City, Nigeria" in scrubbed and "<IBAN_1>" in scrubbed and "<PHONE_" not in scrubbed.split("<IBAN")[1]
