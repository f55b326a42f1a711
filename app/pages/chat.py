"""Chat page: ask the knowledge base, see the checked answer with its quoted sources, rate and export it."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import streamlit as st

from app.audit import AuditLog, scrub_text, sha256
from app.auth import require_page
from app.feedback import FeedbackStore
from app.i18n import t, t_message
from app.index_view import jurisdictions, read_manifest
from app.render import (
    answer_markdown,
    drafting_sources,
    location,
    plain_markdown,
    quote_html,
    safe_markdown,
    safe_tokens,
)
from app.resources import get_assistant, get_scrubber, get_settings
from core.errors import SafeBordersError
from core.settings import DOC_TYPES
from rag.search import Filters
from rag.types import Answer, Citation, Turn

HISTORY_TURNS = 3  # earlier exchanges passed along to resolve follow-up questions
BADGE_COLOURS: dict[str, Literal["blue", "green", "violet", "gray"]] = {
    "legislation": "blue",
    "handbook": "green",
    "case_law": "violet",
}
PROMPT_FOR_ROLE = {"judge": "judge", "frontline": "frontline"}  # editors and admins choose in the sidebar

session = require_page("chat")
settings = get_settings()
conversation: list[dict[str, Any]] = st.session_state.setdefault("conversation", [])


def _sidebar() -> tuple[str, Filters]:
    with st.sidebar:
        if st.button(t("new_conversation"), icon=":material/add_comment:", key="new_conversation"):
            conversation.clear()
        role = PROMPT_FOR_ROLE.get(session["role"])
        if role is None:
            role = st.radio(
                t("answer_style"), ["judge", "frontline"], format_func=lambda r: t(f"style_{r}"), key="answer_style"
            )
        doc_types = st.multiselect(
            t("filter_types"), list(DOC_TYPES), format_func=lambda d: t(f"doc_{d}"), key="filter_types"
        )
        places = st.multiselect(
            t("filter_jurisdictions"), jurisdictions(read_manifest(settings.index_dir)), key="filter_jurisdictions"
        )
        st.caption(t("filters_hint"))
    return role, Filters(doc_types=tuple(doc_types), jurisdictions=tuple(places))


def _citation_card(citation: Citation, *, numbered: bool = True) -> None:
    """A bordered card for a quoted source, visibly apart from the generated text."""
    with st.container(border=True):
        heading = f"[{citation.n}] " if numbered else ""
        st.markdown(f"**{heading}{plain_markdown(citation.title or citation.source)}**")
        badge, meta = st.columns([1, 3], vertical_alignment="center")
        with badge:
            st.badge(
                t(f"doc_{citation.doc_type}" if citation.doc_type in DOC_TYPES else "doc_unknown"),
                color=BADGE_COLOURS.get(citation.doc_type, "gray"),
            )
        with meta:
            where = location(citation.section, citation.page, t("page"))
            st.caption(plain_markdown(" · ".join(part for part in (where, citation.source) if part)))
        st.caption(f":material/format_quote: {t('source_text')}")
        st.markdown(quote_html(citation), unsafe_allow_html=True)


def _show_answer(answer: Answer) -> None:
    if answer.abstained:
        st.warning(f"**{t('not_covered')}**", icon=":material/search_off:")
        if answer.evidence:
            st.caption(t("nearest_sources"))
            for citation in answer.evidence_citations(3):
                _citation_card(citation, numbered=False)
        return
    dropped = [sentence for sentence in answer.sentences if not sentence.supported]
    if answer.extractive:
        # Verbatim quotations, not generated text: say so, and show them as a quote block.
        st.info(t("extractive_label"), icon=":material/format_quote:")
        st.markdown("> " + "  \n> ".join(safe_markdown(answer.answer).splitlines()))
    else:
        st.caption(f":material/smart_toy: {t('generated_label')}")
        st.markdown(safe_markdown(answer.answer).replace("\n", "  \n"))
        if dropped:
            with st.expander(t("removed_sentences", n=len(dropped))):
                for sentence in dropped:
                    st.markdown(f"~~{plain_markdown(sentence.text)}~~")
        elif answer.notice:
            st.caption(plain_markdown(t_message(answer.notice, answer.language)))
    if answer.citations:
        st.markdown(f"**{t('sources')}**")
        for citation in answer.citations:
            _citation_card(citation)


def _feedback(entry: dict[str, Any]) -> None:
    answer: Answer = entry["answer"]
    key = entry["id"]
    if entry.get("feedback_saved"):
        st.caption(f":material/check: {t('feedback_saved')}")
        return
    st.caption(t("feedback_prompt"))
    rating = st.feedback("thumbs", key=f"rating_{key}")
    if rating is None:
        return
    comment = st.text_input(t("feedback_comment"), key=f"comment_{key}")
    if st.button(t("feedback_send"), key=f"send_{key}"):
        scrubber = get_scrubber()
        FeedbackStore.in_folder(settings.data_dir, settings.database.url).add(
            user=session["user"],
            rating="up" if rating == 1 else "down",
            scrubbed_question=entry["scrubbed_question"],
            answer_text=answer.answer,
            scrubbed_comment=scrub_text(comment, scrubber),
            index_generation=answer.index_generation,
        )
        AuditLog.in_folder(settings.data_dir, settings.database.url).record(
            "feedback", session["user"], session["role"], rating="up" if rating == 1 else "down",
            answer_sha256=sha256(answer.answer),
        )  # fmt: skip
        entry["feedback_saved"] = True
        st.rerun()


def _show_entry(entry: dict[str, Any], number: int) -> None:
    with st.chat_message("user"):
        st.markdown(plain_markdown(entry["answer"].question))
    with st.chat_message("assistant"):
        _show_reply(entry, number)


def _show_reply(entry: dict[str, Any], number: int) -> None:
    """The checked answer with its sources, its rating and its export (inside the assistant's chat message)."""
    answer: Answer = entry["answer"]
    _show_answer(answer)
    _feedback(entry)
    st.download_button(
        t("export"),
        data=answer_markdown(answer, t),
        file_name=f"safeborders-answer-{number}.md",
        mime="text/markdown",
        key=f"export_{entry['id']}",
        icon=":material/download:",
        on_click="ignore",
    )


def _ask(question: str, role: str, filters: Filters) -> Answer | None:
    """Stream the draft inside a status box, then return the checked answer (None after an error is shown)."""
    history = [Turn(e["answer"].question, e["answer"].answer) for e in conversation[-HISTORY_TURNS:]]
    try:
        with st.status(t("searching"), expanded=True) as status:
            stream = get_assistant().ask_stream(question, role=role, filters=filters, history=history)  # type: ignore[arg-type]
            status.update(label=t("drafting"))
            if stream.evidence:
                # Retrieval is done in a fraction of a second, the model's draft takes longer: show what it reads.
                st.caption(t("drafting_from"))
                st.caption(drafting_sources(stream.evidence, t("page")))
            draft = st.empty()
            with draft.container():
                st.write_stream(safe_tokens(stream))
            draft.empty()  # the checked answer, which may differ from the draft, replaces it below
            answer = stream.result
            if answer is None:  # the stream was not read to its end
                raise SafeBordersError(t("answer_interrupted"))
            status.update(label=t("checked_status", n=len(answer.evidence)), state="complete", expanded=False)
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return None
    return answer


def _record(answer: Answer, scrubbed_question: str) -> None:
    AuditLog.in_folder(settings.data_dir, settings.database.url).question(
        session["user"],
        session["role"],
        scrubbed_question,
        sources=[{"source": hit.source, "section": hit.section, "chunk_id": hit.id} for hit in answer.evidence],
        answer_text=answer.answer,
        model=answer.model,
        index_generation=answer.index_generation,
        abstained=answer.abstained,
    )


role, filters = _sidebar()
st.title(t("chat_title"))
st.caption(t("chat_caption"))

for number, entry in enumerate(conversation, start=1):
    _show_entry(entry, number)

if question := st.chat_input(t("chat_placeholder")):
    with st.chat_message("user"):
        st.markdown(plain_markdown(question))
    with st.chat_message("assistant"):
        answer = _ask(question, role, filters)
        if answer is not None:
            scrubbed = scrub_text(question, get_scrubber())
            _record(answer, scrubbed)
            entry = {"id": uuid.uuid4().hex[:12], "answer": answer, "scrubbed_question": scrubbed}
            conversation.append(entry)
            # Drawn here, below the draft's status box, as the loop above draws it from the next run on.
            _show_reply(entry, len(conversation))
