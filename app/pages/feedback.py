"""Feedback page (editors): users' ratings of answers, newest first, to find weak spots in the knowledge base."""

from __future__ import annotations

import streamlit as st

from app.auth import require_page
from app.feedback import FeedbackStore
from app.i18n import t
from app.resources import get_settings

require_page("feedback")
settings = get_settings()

st.title(t("fb_title"))
entries = FeedbackStore.in_folder(settings.data_dir, settings.database.url).entries()
if not entries:
    st.info(t("fb_empty"))
    st.stop()

up = sum(1 for entry in entries if entry.rating == "up")
st.write(t("fb_summary", up=up, down=len(entries) - up))
st.dataframe(
    [
        {
            t("col_time"): entry.time,
            t("col_user"): entry.user,
            t("col_rating"): "👍" if entry.rating == "up" else "👎",
            t("col_question"): entry.question,
            t("col_comment"): entry.comment,
            t("col_answer_hash"): entry.answer_sha256[:12],
        }
        for entry in entries
    ],
    hide_index=True,
    key="feedback_table",
)
