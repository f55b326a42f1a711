"""Chat page: ask the knowledge base, watch the answer being written and checked, rate and export it; earlier
conversations in the sidebar."""

from __future__ import annotations

from typing import Literal

import streamlit as st

from app.audit import AuditLog, scrub_text, sha256
from app.auth import require_page
from app.chat_history import ChatTurn, chat_turns, save_turn
from app.conversations import TITLE_CHARS, ConversationStore
from app.feedback import FeedbackStore
from app.i18n import error_text, option_names, t, t_message
from app.index_view import jurisdictions, read_manifest
from app.render import (
    answer_markdown,
    citation_anchor,
    drafting_sources,
    link_citations,
    location,
    passage_html,
    plain_markdown,
    quote_html,
    safe_markdown,
    safe_tokens,
)
from app.resources import get_assistant, get_scrubber, get_settings
from app.viewer import open_citation
from core.errors import InputError, SafeBordersError
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
CONVERSATION_PARAM = "conversation"  # in the URL, so that a refresh reopens the conversation
PENDING_KEY = "pending_answer"  # the answer being streamed, finished as stopped if its run is cut short
DELETE_KEY = "delete_asked"  # the conversation whose deletion waits for a confirmation
VIEWER_KEY = "viewer"  # the source card whose document is open in the viewer, and the page it shows

session = require_page("chat")
settings = get_settings()
store = ConversationStore(settings.data_dir, settings.database.url)


def _open_conversation() -> tuple[int | None, list[ChatTurn]]:
    """The conversation named in the URL and its turns; None (a new one) when there is none or it is not this
    user's (one line says so)."""
    wanted = st.query_params.get(CONVERSATION_PARAM)
    if wanted is None:
        return None, []
    try:
        conversation = int(wanted)
        return conversation, chat_turns(store.messages(session["user"], conversation))
    except (ValueError, InputError):
        st.query_params.pop(CONVERSATION_PARAM, None)
        st.error(t("conversation_not_found"), icon=":material/error:")
        return None, []


def _history(current: int | None) -> None:
    """The user's earlier conversations: open one; rename, export or delete the open one."""
    st.caption(t("history"))
    title = ""
    for listed in store.list_for(session["user"]):
        label = f"{listed.title or t('untitled')} · {listed.updated_at:%Y-%m-%d}"
        kind: Literal["primary", "tertiary"] = "primary" if listed.id == current else "tertiary"
        if listed.id == current:
            title = listed.title or t("untitled")
        if st.button(plain_markdown(label), key=f"open_{listed.id}", type=kind, width="stretch"):
            st.query_params[CONVERSATION_PARAM] = str(listed.id)
            st.rerun()
    if current is not None:
        _conversation_actions(current, title)


def _conversation_actions(current: int, title: str) -> None:
    """Rename, export or delete (once confirmed) the open conversation."""
    with st.popover(t("conversation_actions"), icon=":material/more_horiz:", width="stretch"):
        title = st.text_input(t("conversation_title"), key="rename_title", max_chars=TITLE_CHARS)
        if st.button(t("rename"), key="rename", icon=":material/edit:"):
            try:
                store.rename(session["user"], current, title)
            except InputError as exc:
                st.error(str(exc))
            else:
                st.rerun()
        st.download_button(
            t("export_conversation"),
            data=store.export_markdown(session["user"], current, (t("you"), t("answer_heading"))),
            file_name=f"safeborders-conversation-{current}.md", mime="text/markdown", key="export_conversation",
            icon=":material/download:", on_click="ignore",
        )  # fmt: skip
        if st.button(t("delete_conversation"), key="delete_conversation", icon=":material/delete:"):
            st.session_state[DELETE_KEY] = current
        if st.session_state.get(DELETE_KEY) == current:
            _confirm_delete(current, title)


def _confirm_delete(current: int, title: str) -> None:
    """Ask once more before the conversation and its answers are deleted."""
    st.warning(t("delete_conversation_ask", title=plain_markdown(title)), icon=":material/warning:")
    yes, no = st.columns(2)
    if no.button(t("delete_conversation_cancel"), key="delete_conversation_cancel"):
        st.session_state.pop(DELETE_KEY, None)
        st.rerun()
    if yes.button(t("delete_conversation_yes"), key="delete_conversation_yes", type="primary"):
        st.session_state.pop(DELETE_KEY, None)
        store.delete(session["user"], current)
        st.query_params.pop(CONVERSATION_PARAM, None)
        st.rerun()


def _sidebar(current: int | None) -> tuple[str, Filters]:
    with st.sidebar:
        if st.button(t("new_conversation"), icon=":material/add_comment:", key="new_conversation"):
            st.query_params.pop(CONVERSATION_PARAM, None)
            st.rerun()
        role = PROMPT_FOR_ROLE.get(session["role"])
        if role is None:
            styles = ["judge", "frontline"]
            role = st.radio(t("answer_style"), styles, format_func=option_names("style_", styles), key="answer_style")
        doc_types = st.multiselect(
            t("filter_types"), list(DOC_TYPES), format_func=option_names("doc_", DOC_TYPES), key="filter_types"
        )
        places = st.multiselect(
            t("filter_jurisdictions"), jurisdictions(read_manifest(settings.index_dir)), key="filter_jurisdictions"
        )
        st.caption(t("filters_hint"))
        _history(current)
    return role, Filters(doc_types=tuple(doc_types), jurisdictions=tuple(places))


def _close_viewer() -> None:
    st.session_state.pop(VIEWER_KEY, None)


def _turn_page(page: int) -> None:
    st.session_state[VIEWER_KEY]["page"] = page


@st.dialog(t("viewer_title"), width="large", on_dismiss=_close_viewer)
def _viewer(citation: Citation) -> None:
    """The cited document at the cited page (a PDF's picture) or section (its text), the passage highlighted."""
    try:
        view = open_citation(citation, settings.index_dir, st.session_state[VIEWER_KEY]["page"])
    except SafeBordersError as exc:
        st.error(error_text(exc), icon=":material/error:")
        return
    st.markdown(f"**{plain_markdown(view.title)}**")
    where = location(citation.section, view.page, t("page"))
    st.caption(plain_markdown(" · ".join(part for part in (where, view.source) if part)))
    for notice in view.notices:
        st.info(t_message(notice), icon=":material/info:")
    if view.page is None:
        st.caption(t("viewer_section"))
    elif view.pages is not None:
        _page_turner(view.page, view.pages, view.cited_page)
    if view.picture is not None:
        caption = t("viewer_page_of", page=view.page, pages=view.pages)
        st.image(view.picture, caption=f"{caption} · {t('viewer_page_marked')}" if view.marked else caption)
    for passage in view.passages:
        st.markdown(passage_html(passage.text, passage.spans), unsafe_allow_html=True)


def _page_turner(page: int, pages: int, cited: int | None) -> None:
    """Buttons to the previous and next page of a PDF, and back to the cited page once away from it."""
    back, forward, home = st.columns(3)
    back.button(t("viewer_previous"), key="viewer_previous", icon=":material/chevron_left:", disabled=page <= 1,
                on_click=_turn_page, args=(page - 1,))  # fmt: skip
    forward.button(t("viewer_next"), key="viewer_next", icon=":material/chevron_right:", disabled=page >= pages,
                   on_click=_turn_page, args=(page + 1,))  # fmt: skip
    if cited is not None and cited != page:
        home.button(t("viewer_cited_page", page=cited), key="viewer_cited", on_click=_turn_page, args=(cited,))


def _citation_card(citation: Citation, answer_key: str, *, numbered: bool = True) -> None:
    """A bordered card for a quoted source, visibly apart from the generated text, that opens its document.

    Its heading is the target of the answer's ``[n]`` links.
    """
    with st.container(border=True):
        heading = f"[{citation.n}] " if numbered else ""
        anchor = f'<span id="{citation_anchor(answer_key, citation.n)}"></span>' if numbered else ""
        title = plain_markdown(citation.title or citation.source)
        st.markdown(f"{anchor}**{heading}{title}**", unsafe_allow_html=bool(anchor))
        badge, meta, action = st.columns([1, 3, 1], vertical_alignment="center")
        with badge:
            st.badge(
                t(f"doc_{citation.doc_type}" if citation.doc_type in DOC_TYPES else "doc_unknown"),
                color=BADGE_COLOURS.get(citation.doc_type, "gray"),
            )
        with meta:
            where = location(citation.section, citation.page, t("page"))
            st.caption(plain_markdown(" · ".join(part for part in (where, citation.source) if part)))
        with action:
            key = f"view_{answer_key}_{citation.n}_{citation.chunk_id}"
            if st.button(t("open_document"), key=key, icon=":material/open_in_new:", help=t("open_document_help")):
                st.session_state[VIEWER_KEY] = {"card": key, "page": None}
        if st.session_state.get(VIEWER_KEY, {}).get("card") == key:
            _viewer(citation)  # open until dismissed, across the reruns its page buttons cause
        st.caption(f":material/format_quote: {t('source_text')}")
        st.markdown(quote_html(citation), unsafe_allow_html=True)


def _show_answer(answer: Answer, answer_key: str) -> None:
    """The checked answer, its ``[n]`` linked to the source cards below it (``answer_key`` names their anchors)."""
    if answer.abstained:
        st.warning(f"**{t('not_covered')}**", icon=":material/search_off:")
        if answer.evidence:
            st.caption(t("nearest_sources"))
            for citation in answer.evidence_citations(3):
                _citation_card(citation, answer_key, numbered=False)
        return
    numbers = {citation.n for citation in answer.citations}
    dropped = [sentence for sentence in answer.sentences if not sentence.supported]
    if answer.stopped:
        st.caption(f":material/stop_circle: {t('stopped_label')}")
    if answer.extractive:
        # Verbatim quotations, not generated text: say so, and show them as a quote block.
        st.info(t("extractive_label"), icon=":material/format_quote:")
        quoted = link_citations(safe_markdown(answer.answer), answer_key, numbers)
        st.markdown("> " + "  \n> ".join(quoted.splitlines()))
    else:
        st.caption(f":material/smart_toy: {t('generated_label')}")
        st.markdown(link_citations(safe_markdown(answer.answer), answer_key, numbers).replace("\n", "  \n"))
        if dropped:
            with st.expander(t("removed_sentences", n=len(dropped))):
                for sentence in dropped:
                    st.markdown(f"~~{plain_markdown(sentence.text)}~~")
        elif answer.notice:
            st.caption(plain_markdown(t_message(answer.notice, answer.language)))
    if answer.citations:
        st.markdown(f"**{t('sources')}**")
        for citation in answer.citations:
            _citation_card(citation, answer_key)


def _feedback(turn: ChatTurn) -> None:
    answer = turn.answer
    key = turn.reply.id
    saved: set[int] = st.session_state.setdefault("feedback_saved", set())
    if key in saved:
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
            scrubbed_question=turn.question.content,
            answer_text=answer.answer,
            scrubbed_comment=scrub_text(comment, scrubber),
            index_generation=answer.index_generation,
        )
        AuditLog.in_folder(settings.data_dir, settings.database.url).record(
            "feedback", session["user"], session["role"], rating="up" if rating == 1 else "down",
            answer_sha256=sha256(answer.answer),
        )  # fmt: skip
        saved.add(key)
        st.rerun()


def _show_entry(turn: ChatTurn, number: int) -> None:
    with st.chat_message("user"):
        st.markdown(plain_markdown(turn.question.content))
    with st.chat_message("assistant"):
        _show_reply(turn, number)


def _show_reply(turn: ChatTurn, number: int) -> None:
    """The checked answer with its sources, its rating and its export (inside the assistant's chat message)."""
    _show_answer(turn.answer, str(turn.reply.id))
    _feedback(turn)
    st.download_button(
        t("export"),
        data=answer_markdown(turn.answer, t),
        file_name=f"safeborders-answer-{number}.md",
        mime="text/markdown",
        key=f"export_{turn.reply.id}",
        icon=":material/download:",
        on_click="ignore",
    )


def _ask(question: str, role: str, filters: Filters, turns: list[ChatTurn]) -> Answer | None:
    """Sources first, then the draft's tokens as they come, with a stop button; returns the checked answer (None
    after an error is shown).

    Pressing stop reruns the page, which cuts this run short: the stream is left in the session for ``_stopped``.
    """
    history = [Turn(turn.question.content, turn.answer.answer) for turn in turns[-HISTORY_TURNS:]]
    try:
        with st.status(t("searching"), expanded=False) as status:
            stream = get_assistant().ask_stream(question, role=role, filters=filters, history=history)  # type: ignore[arg-type]
            status.update(label=t("found_sources", n=len(stream.evidence)), state="complete")
        if stream.evidence:
            st.caption(t("drafting_from"))
            st.caption(drafting_sources(stream.evidence, t("page")))
        stop = st.empty()
        stop.button(t("stop"), key="stop_answer", icon=":material/stop_circle:")
        st.session_state[PENDING_KEY] = {"stream": stream, "question": question}
        draft = st.empty()
        with draft.container():
            st.write_stream(safe_tokens(stream))
        st.session_state.pop(PENDING_KEY, None)
        stop.empty()
        draft.empty()  # the checked answer, which may differ from the draft, replaces it below
        answer = stream.result
        if answer is None:  # the stream was not read to its end
            raise SafeBordersError(t("answer_interrupted"))
    except SafeBordersError as exc:
        st.session_state.pop(PENDING_KEY, None)
        st.error(error_text(exc), icon=":material/error:")
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


def _keep(question: str, answer: Answer, conversation: int | None) -> ChatTurn:
    """Log the question and store the turn, both with the question scrubbed; the URL names the conversation."""
    scrubbed = scrub_text(question, get_scrubber(), answer.language)
    _record(answer, scrubbed)
    conversation, turn = save_turn(store, session["user"], conversation, scrubbed, answer)
    st.query_params[CONVERSATION_PARAM] = str(conversation)
    return turn


def _stopped(conversation: int | None) -> bool:
    """Keep what was checked of an answer whose run was cut short (its stop button, or any click while it streamed);
    whether there was one."""
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is None:
        return False
    try:
        answer = pending["stream"].stop()
    except SafeBordersError as exc:
        st.error(str(exc), icon=":material/error:")
        return False
    _keep(pending["question"], answer, conversation)
    return True


current, turns = _open_conversation()
if _stopped(current):
    current, turns = _open_conversation()  # with the stopped answer (in a new conversation, if it started one)
role, filters = _sidebar(current)
st.title(t("chat_title"))
st.caption(t("chat_caption"))

for number, turn in enumerate(turns, start=1):
    _show_entry(turn, number)

if question := st.chat_input(t("chat_placeholder")):
    with st.chat_message("user"):
        st.markdown(plain_markdown(question))
    with st.chat_message("assistant"):
        answer = _ask(question, role, filters, turns)
        if answer is not None:
            turn = _keep(question, answer, current)
            if current is None:
                st.rerun()  # a new conversation: the sidebar lists it and offers its actions
            # Drawn here, below the draft's status box, as the loop above draws it from the next run on.
            _show_reply(turn, len(turns) + 1)
