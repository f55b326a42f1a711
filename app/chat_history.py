"""A user's chat as stored: answers turned into messages (scrubbed question, citations, index generation) and back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from itertools import pairwise
from typing import Any

from app.conversations import ConversationStore, Message
from core.i18n import Message as Notice
from rag.search import Hit
from rag.types import Answer, CheckedSentence, Citation

_CITATION_FIELDS = {f.name for f in fields(Citation)}
NEAREST_SHOWN = 3  # an abstention keeps the nearest sources it showed


@dataclass(frozen=True)
class ChatTurn:
    """One question and its answer as stored, with the answer rebuilt to be shown again."""

    question: Message
    reply: Message
    answer: Answer


def answer_message(answer: Answer) -> Message:
    """The answer as a stored message: its text, its citations (an abstention's nearest sources) and how it was
    given, so that reopening the conversation shows it as it was first shown."""
    cited = answer.evidence_citations(NEAREST_SHOWN) if answer.abstained else answer.citations
    details: dict[str, Any] = {
        "abstained": answer.abstained,
        "extractive": answer.extractive,
        "stopped": answer.stopped,
        "model": answer.model,
        "role": answer.role,
        "language": answer.language,
        "removed": [sentence.text for sentence in answer.sentences if not sentence.supported],
        "notice": {"key": answer.notice.key, "values": answer.notice.values} if answer.notice else None,
    }
    return Message("assistant", answer.answer, [asdict(c) for c in cited], answer.index_generation, details)


def stored_answer(question: str, reply: Message) -> Answer:
    """The Answer a stored reply was, for the chat to show (its evidence is what its citations quote)."""
    details = reply.details
    citations = [Citation(**{k: v for k, v in c.items() if k in _CITATION_FIELDS}) for c in reply.citations]
    notice = details.get("notice")
    abstained = bool(details.get("abstained"))
    return Answer(
        question=question,
        answer=reply.content,
        citations=[] if abstained else citations,
        abstained=abstained,
        evidence=[_hit(citation) for citation in citations],
        model=str(details.get("model", "")),
        index_generation=reply.index_generation,
        role="frontline" if details.get("role") == "frontline" else "judge",
        extractive=bool(details.get("extractive")),
        sentences=[CheckedSentence(str(text), (), False, 0.0) for text in details.get("removed", [])],
        notice=Notice(str(notice["key"]), dict(notice.get("values", {}))) if isinstance(notice, dict) else None,
        language=str(details.get("language", "en")),
        stopped=bool(details.get("stopped")),
    )


def _hit(citation: Citation) -> Hit:
    return Hit(
        citation.chunk_id, citation.quote, 0.0, citation.source, citation.title, citation.doc_type,
        section=citation.section, page=citation.page,
    )  # fmt: skip


def chat_turns(messages: list[Message]) -> list[ChatTurn]:
    """Stored messages paired into turns: each question with the answer that follows it (an unanswered one is left
    out)."""
    turns: list[ChatTurn] = []
    for question, reply in pairwise(messages):
        if question.role == "user" and reply.role == "assistant":
            turns.append(ChatTurn(question, reply, stored_answer(question.content, reply)))
    return turns


def save_turn(
    store: ConversationStore, user: str, conversation: int | None, scrubbed_question: str, answer: Answer
) -> tuple[int, ChatTurn]:
    """Store a question, already scrubbed as for the audit log (``app.audit.scrub_text``), and its answer; in a new
    conversation when ``conversation`` is None. Returns the conversation's id and the stored turn."""
    if conversation is None:
        conversation = store.create(user)
    asked = Message("user", scrubbed_question)
    asked = replace(asked, id=store.append(user, conversation, asked))
    reply = answer_message(answer)
    reply = replace(reply, id=store.append(user, conversation, reply))
    return conversation, ChatTurn(asked, reply, stored_answer(asked.content, reply))
