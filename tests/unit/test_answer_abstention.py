"""The Answerer abstains without calling the model when the knowledge base does not cover the question."""

from __future__ import annotations

from core.i18n import translate
from tests.unit.conftest import ARTICLE_3, ARTICLE_6, answerer, retrieval


def test_uncovered_question_abstains_without_calling_the_generator() -> None:
    bot = answerer()
    stream = bot.stream(retrieval(covered=False))
    assert list(stream) == []
    answer = stream.result
    assert answer is not None and answer.abstained
    assert answer.answer == translate("answer_abstention", "en") == "The knowledge base does not cover this question."
    assert bot.generator.calls == 0
    assert answer.evidence == [ARTICLE_3, ARTICLE_6]
    assert answer.notice is not None and answer.notice.key == "notice_nearest"
    assert answer.notice.text(answer.language) == "Nearest sources: Palermo Protocol — Article 3 — Use of terms; " + (
        "Palermo Protocol — Article 6 — Assistance to victims"
    )


def test_italian_question_gets_the_italian_abstention() -> None:
    answer = answerer().answer(retrieval("Quali obblighi ha lo Stato verso le vittime minori?", covered=False))
    assert answer.answer == "La base di conoscenza non copre questa domanda."
    assert answer.language == "it" and answer.notice is not None
    assert answer.notice.text(answer.language).startswith("Fonti più vicine: Palermo Protocol")
