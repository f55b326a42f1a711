"""Grounded answering: the role's prompt over numbered evidence, streamed from the generator, then checked."""

from __future__ import annotations

import collections.abc
import functools
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from langchain_core.embeddings import Embeddings
from langchain_core.messages import convert_to_openai_messages
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda

from core.embedders import embedder_name
from core.errors import ModelBusyError
from core.i18n import Message, translate
from core.settings import Settings
from core.text import Language, detect_language
from rag.compact import compact_evidence
from rag.cross_support import CrossSupportModel, cross_model_for
from rag.generate import Generator, PromptTooLongError, count_tokens
from rag.grounding import ground
from rag.prompts import chat_template, prompt_inputs, source_block, system_prompt
from rag.references import document_instrument, parse_references
from rag.retrieve import Retrieval
from rag.role_prior import prior_for
from rag.search import Hit
from rag.translate import translate_query
from rag.types import Answer, AnswerStream, Role, Turn

# Chat-template tokens (role headers, end-of-turn marks) and tokenizer disagreement, on top of what is counted.
_PROMPT_MARGIN = 48
_MIN_CHUNK_CHARS = 200  # below this a trimmed chunk is no longer worth citing
# Where a drafted sentence ends: its final mark with the citations that may follow it, then a space or the end; or
# the end of a line (a list item).
_SENTENCE_END = re.compile(r"[.!?…](?:\s*\[\d+(?:\s*,\s*\d+)*\])*(?=\s|$)|\n")


class Answerer:
    """Answers a retrieval with the generator, then keeps only what the evidence supports."""

    def __init__(self, generator: Generator, embedder: Embeddings, settings: Settings) -> None:
        self.generator = generator
        self.embedder = embedder
        self.settings = settings
        self._chains: dict[Role, Runnable[dict[str, str], str]] = {}
        self._chains_lock = threading.Lock()

    @functools.cached_property
    def cross_model(self) -> CrossSupportModel | None:
        """The learned check of sentences written in another language than their source, if trained for this
        embedder (``rag/support_model.json``)."""
        return cross_model_for(embedder_name(self.embedder))

    def warm_up(self, role: Role = "judge") -> None:
        """Load the generator and let it read the role's system prompt, which every question's prompt starts with."""
        self.chain(role)
        warm = getattr(self.generator, "warm_up", None)
        if callable(warm):
            warm(self._messages(role, prompt_inputs("", [], "en")))

    def chain(self, role: Role) -> Runnable[dict[str, str], str]:
        """The LangChain runnable for a role: prompt template → OpenAI-style messages → streamed reply text.

        Built once per role: LangChain reads a function's source with ``ast.parse`` when it wraps it.
        """
        with self._chains_lock:
            if role not in self._chains:
                steps = chat_template(role) | RunnableLambda(_to_messages) | RunnableGenerator(self._generate)
                self._chains[role] = steps
            return self._chains[role]

    def _generate(self, inputs: Iterator[list[dict[str, str]]]) -> Iterator[str]:
        llm = self.settings.llm
        for messages in inputs:
            yield from self.generator.stream(messages, max_tokens=llm.reply_tokens, temperature=llm.temperature)

    def stream(
        self,
        retrieval: Retrieval,
        *,
        role: Role = "judge",
        history: Sequence[Turn] = (),
        index_generation: str = "",
    ) -> AnswerStream:
        """Stream the draft's tokens; the stream's ``result`` is the checked Answer once iteration ends.

        Nothing is generated when the retrieval does not cover the question: the answer is a fixed abstention.
        """
        language = detect_language(retrieval.question)
        if not retrieval.covered or not retrieval.hits:
            abstention = self._abstain(retrieval, role, language, index_generation)
            return AnswerStream(_no_tokens(abstention), lambda _drafted: abstention)
        plan = _Plan(
            self.fit_evidence(
                retrieval.question,
                named_articles(retrieval.hits, retrieval.search_query) or evidence_order(retrieval.hits, role),
                role,
                language,
                history,
                focus=_focus(retrieval.search_query),
            )
        )

        def check_partial(drafted: str) -> Answer:
            return self._check(_Draft(complete_sentences(drafted), plan.shown, {}), retrieval, role, index_generation)

        answer = self._answer_tokens(retrieval, plan, role, language, history, index_generation)
        return AnswerStream(answer, check_partial, _full(retrieval.hits, plan.shown))

    def _answer_tokens(
        self,
        retrieval: Retrieval,
        plan: _Plan,
        role: Role,
        language: Language,
        history: Sequence[Turn],
        index_generation: str,
    ) -> collections.abc.Generator[str, None, Answer]:
        """The draft's tokens, then (as the generator's return value) the Answer checked against its sources."""
        draft = yield from self._draft(retrieval.question, plan, role, language, history)
        return self._check(draft, retrieval, role, index_generation)

    def answer(
        self,
        retrieval: Retrieval,
        *,
        role: Role = "judge",
        history: Sequence[Turn] = (),
        index_generation: str = "",
    ) -> Answer:
        """The checked Answer, without streaming."""
        stream = self.stream(retrieval, role=role, history=history, index_generation=index_generation)
        for _ in stream:
            pass
        assert stream.result is not None  # set by AnswerStream when iteration ends
        return stream.result

    def fit_evidence(
        self,
        question: str,
        hits: Sequence[Hit],
        role: Role,
        language: Language,
        history: Sequence[Turn] = (),
        *,
        focus: str = "",
    ) -> list[Hit]:
        """The sources as the prompt shows them: the best hits whose numbered blocks fit the context left after the
        reply and the rest of the prompt (``context_tokens - reply_tokens - overhead``), a first hit too long on its
        own trimmed; with an evidence budget (small models), the sentences of the hits that bear on ``focus``
        (default: the question).

        Raises:
            PromptTooLongError: when not even a trimmed first hit fits.
        """
        llm = self.settings.llm
        skeleton = self._messages(role, prompt_inputs(question, [], language, history))
        overhead = sum(count_tokens(self.generator, m["content"]) for m in skeleton) + _PROMPT_MARGIN
        budget = llm.context_tokens - llm.reply_tokens - overhead
        if llm.evidence_budget is not None and budget > 0:
            budget = min(budget, llm.evidence_budget)
            full_cost = sum(count_tokens(self.generator, source_block(n, h) + "\n\n") for n, h in enumerate(hits, 1))
            if full_cost > budget:
                compacted = compact_evidence(
                    hits,
                    focus or question,
                    budget,
                    lambda text: count_tokens(self.generator, text),
                    lambda n, hit: count_tokens(self.generator, source_block(n, replace(hit, text="")) + "\n\n"),
                )
                if compacted:
                    return compacted  # else (no sentence fits) the first hit, trimmed, as below
        chosen: list[Hit] = []
        used = 0
        for n, hit in enumerate(hits, start=1):
            cost = count_tokens(self.generator, source_block(n, hit) + "\n\n")
            if used + cost <= budget:
                chosen.append(hit)
                used += cost
                continue
            if not chosen:
                trimmed = self._trim(hit, budget)
                if trimmed is not None:
                    chosen.append(trimmed)
            break
        if not chosen:
            raise PromptTooLongError(
                f"the model's context ({llm.context_tokens} tokens) leaves no room for sources after the question "
                "and the reply; shorten the question or set a lower llm.max_tokens"
            )
        return chosen

    def _trim(self, hit: Hit, budget: int) -> Hit | None:
        """The hit cut at a word boundary so that its block fits ``budget`` tokens, or None if too little is left."""
        text = hit.text
        while len(text) >= _MIN_CHUNK_CHARS:
            candidate = replace(hit, text=text)
            if count_tokens(self.generator, source_block(1, candidate) + "\n\n") <= budget:
                return candidate
            text = text[: int(len(text) * 0.8)].rsplit(" ", 1)[0] + " …"
        return None

    def _messages(self, role: Role, inputs: dict[str, str]) -> list[dict[str, str]]:
        return _to_messages(chat_template(role).invoke(inputs))

    def _draft(
        self, question: str, plan: _Plan, role: Role, language: Language, history: Sequence[Turn]
    ) -> collections.abc.Generator[str, None, _Draft]:
        """The reply's tokens; if the prompt still overflows the context, retry with less evidence (``plan.shown``
        is then what the draft is written from). A draft that used the whole reply budget ends at its last finished
        sentence (one token per streamed piece, as llama.cpp streams). A model server with every slot and its queue
        taken refuses at once: the draft is then empty and marked ``busy``, and the answer quotes the sources."""
        started = time.perf_counter()
        while True:
            tokens: list[str] = []
            timings: dict[str, float] = {}
            try:
                for token in self.chain(role).stream(prompt_inputs(question, plan.shown, language, history)):
                    if not tokens:
                        timings["first_token"] = time.perf_counter() - started
                    tokens.append(token)
                    yield token
                timings["generation"] = time.perf_counter() - started
                text = "".join(tokens)
                if len(tokens) >= self.settings.llm.reply_tokens:  # stopped by the budget, likely mid-sentence
                    text = complete_sentences(text)
                return _Draft(text, plan.shown, timings)
            except ModelBusyError:
                if tokens:
                    raise
                return _Draft("", plan.shown, {"busy": time.perf_counter() - started}, busy=True)
            except PromptTooLongError:
                if tokens:
                    raise
                plan.shown = _shrink(plan.shown)
                if not plan.shown:
                    raise

    def _check(self, draft: _Draft, retrieval: Retrieval, role: Role, index_generation: str) -> Answer:
        """Check the draft against the sources as the prompt showed them; the answer carries the whole chunks."""
        started = time.perf_counter()
        language = detect_language(retrieval.question)
        evidence = _full(retrieval.hits, draft.shown)
        checked = ground(
            draft.text,
            evidence,
            question=retrieval.question,
            embedder=self.embedder,
            threshold=self.settings.retrieval.support_threshold,
            semantic_floor=self.settings.calibration.for_embedder(embedder_name(self.embedder)).semantic_floor,
            query=retrieval.search_query,
            instructions=system_prompt(role),
            shown=[hit.text for hit in draft.shown],
            quotes_prefix="answer_busy_prefix" if draft.busy else "answer_extractive_prefix",
            cross_model=self.cross_model,
        )
        grounding = time.perf_counter() - started
        if draft.busy:
            notice: Message | None = Message("notice_model_busy")
        elif checked.extractive:
            notice = Message("notice_quoted")
        elif checked.dropped:
            notice = Message("notice_removed", {"n": checked.dropped})
        else:
            notice = None
        return Answer(
            question=retrieval.question,
            answer=checked.answer,
            citations=checked.citations,
            abstained=False,
            evidence=evidence,
            model="" if draft.busy else self.generator.name,  # nothing was generated
            index_generation=index_generation,
            role=role,
            extractive=checked.extractive,
            sentences=checked.sentences,
            notice=notice,
            timings={**draft.timings, "grounding": grounding},
            language=language,
        )

    def _abstain(self, retrieval: Retrieval, role: Role, language: Language, index_generation: str) -> Answer:
        nearest = "; ".join(_label(hit) for hit in retrieval.hits[:3])
        return Answer(
            question=retrieval.question,
            answer=translate("answer_abstention", language),
            citations=[],
            abstained=True,
            evidence=list(retrieval.hits),
            model="",  # nothing was generated
            index_generation=index_generation,
            role=role,
            notice=Message("notice_nearest", {"sources": nearest}) if nearest else None,
            language=language,
        )


@dataclass
class _Plan:
    """The sources the draft is written from: fitted to the context, fewer after an overflow."""

    shown: list[Hit]


@dataclass(frozen=True)
class _Draft:
    """The generated reply and the evidence its prompt showed (less than planned after a context overflow)."""

    text: str
    shown: list[Hit]
    timings: dict[str, float]  # seconds from the prompt to the first token and to the last
    busy: bool = False  # the model server refused the prompt: no slot and no place in its queue


def evidence_order(hits: Sequence[Hit], role: Role) -> list[Hit]:
    """The retrieved hits in the order the answer numbers them: retrieval's rank (already the role's choice of
    sources, ``rag.role_prior``) less the places the role's ``evidence_shift`` moves each document type; ties keep
    retrieval's order."""
    prior = prior_for(role).evidence_shift
    ranked = sorted(enumerate(hits), key=lambda item: (item[0] - prior.get(item[1].doc_type, 0.0), item[0]))
    return [hit for _, hit in ranked]


def named_articles(hits: Sequence[Hit], query: str) -> list[Hit]:
    """The hits that are an article the question names of an instrument it names ("Article 4 of the Council of
    Europe Convention"), in retrieval's order: the answer is written from these alone, so that it says what that
    article says rather than what its neighbours do. Empty when the question names no such article."""
    refs = parse_references(query)
    if not refs.instruments or not refs.articles:
        return []
    return [
        hit
        for hit in hits
        if document_instrument(hit.source, hit.title, hit.doc_type) in refs.instruments
        and any(article.matches_section(hit.section) for article in refs.articles)
    ]


def complete_sentences(draft: str) -> str:
    """A draft cut where it was stopped, up to its last finished sentence: half a sentence may say the opposite of
    the whole one ("… is" before "not relevant"), so it is never checked as if it were complete."""
    ends = list(_SENTENCE_END.finditer(draft))
    return draft[: ends[-1].end()] if ends else ""


def _no_tokens(answer: Answer) -> collections.abc.Generator[str, None, Answer]:
    """A stream that drafts nothing: the answer is known before any token."""
    yield from ()
    return answer


def _to_messages(prompt: PromptValue) -> list[dict[str, str]]:
    return [{"role": m["role"], "content": str(m["content"])} for m in convert_to_openai_messages(prompt.to_messages())]


def _focus(search_query: str) -> str:
    """The words that pick a source's sentences for the prompt: the question, and its English glossary rendering
    when it is Italian (most sources are English)."""
    if detect_language(search_query) == "it":
        return f"{search_query} {translate_query(search_query) or ''}"
    return search_query


def _full(hits: Sequence[Hit], shown: Sequence[Hit]) -> list[Hit]:
    """The retrieved chunks behind the sources the prompt shows (which may be cut down), in the prompt's order."""
    by_id = {hit.id: hit for hit in hits}
    return [by_id.get(hit.id, hit) for hit in shown]


def _shrink(evidence: list[Hit]) -> list[Hit]:
    """Less evidence after an overflow: drop the last hit, or halve the only one."""
    if len(evidence) > 1:
        return evidence[:-1]
    if evidence and len(evidence[0].text) >= 2 * _MIN_CHUNK_CHARS:
        text = evidence[0].text
        return [replace(evidence[0], text=text[: len(text) // 2].rsplit(" ", 1)[0] + " …")]
    return []


def _label(hit: Hit) -> str:
    return " — ".join(part for part in (hit.title or hit.source, hit.section) if part)
