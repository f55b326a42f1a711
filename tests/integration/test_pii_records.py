"""What users type reaches the audit log and the feedback store only through the real scrubber, lower case and all."""

from __future__ import annotations

import logging
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
    "is rossi guilty of trafficking?",  # a surname alone, in lower case, that the tagger reads as an adjective
    "is the girl's statement about giuseppe verdi's debt credible?",
    "codice fiscale rssmra85t10a562s, abita in via garibaldi 5 a palermo",
    "il numero di joy era 347 123 4567, la sua mail joy.e@ngo.local",
)
LEAKS = (
    "mario",
    "rossi",
    "bianchi",
    "esposito",
    "giuseppe",
    "verdi",
    "rssmra85t10a562s",
    "garibaldi",
    "joy",
    "347 123 4567",
)


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


def test_a_stored_analysis_and_the_logs_hold_no_form_of_the_names(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from analysis.case import CaseAnalyzer
    from analysis.catalogue import parse_catalogue
    from app.case_analyses import CaseAnalysisStore
    from app.case_upload import analyse_upload
    from tests.fakes import HashEmbedder
    from tests.unit.test_case_analysis import RULES_ONLY, TINY

    case = (
        b"Statement of Maria Bianchi, recruited in Lagos. bianchi's passport was taken by the madam; "
        b"BIANCHI said that Bianchi's debt was 30,000 euro. Her brother lives at via Garibaldi 5."
    )
    scrubber = PresidioScrubber(ScrubbingSettings())
    analyzer = CaseAnalyzer(parse_catalogue(TINY), HashEmbedder(), scrubber, None, RULES_ONLY)
    with caplog.at_level(logging.DEBUG):
        result = analyse_upload(analyzer, "maria_bianchi_statement.txt", case, scrubber=scrubber, max_bytes=100_000)
        kept = {**result.to_json(), "scrubbed_text": result.scrubbed_text}  # as the Case analysis page keeps it
        CaseAnalysisStore(tmp_path / "data").save("judy", result.source, kept)
        scrub_text("did bianchi's brother giuseppe verdi pay rossi?", scrubber)
    # Every byte the database wrote (its file and any journal), searched as the leak test does
    written = b"".join(path.read_bytes() for path in (tmp_path / "data").rglob("*") if path.is_file())
    written = written.decode("utf-8", "replace").lower()
    for leak in ("maria", "bianchi", "giuseppe", "verdi", "garibaldi", "rossi"):
        assert leak not in written, leak
        assert leak not in caplog.text.lower(), leak
    assert "lagos" in written and "'s passport" in written


def test_a_case_file_filed_as_legislation_is_refused_by_the_real_scrubber(tmp_path: Path) -> None:
    from core.settings import load_settings
    from ingestion.knowledge_base import KnowledgeBase
    from ingestion.uploads import Metadata, UploadRejectedError
    from tests.conftest import TEST_CONFIG

    settings = load_settings(TEST_CONFIG, paths={"data": tmp_path / "data", "knowledge_base": tmp_path / "kb"})
    kb = KnowledgeBase(settings, PresidioScrubber(ScrubbingSettings()), lambda: None)  # type: ignore[arg-type,return-value]
    case = b"Gloria Bassey, born in Benin City on 12 April 1979, phone 347 219 5566, lives at via Roma 12, Catania."
    with pytest.raises(UploadRejectedError, match=r"^statement\.txt: filed as legislation"):
        kb.add("statement.txt", case, Metadata("legislation", title="Statement"))
    law = (
        b"Article 2. Member States shall ensure that trafficking in human beings is punishable (Directive 2011/36/EU)."
    )
    assert not kb.preview("law.txt", law, "legislation", "en").scrubbed  # real legislation passes
