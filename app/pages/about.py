"""About page: what the assistant is for and not for, and the model and index in use."""

from __future__ import annotations

import streamlit as st

from app.auth import require_page
from app.i18n import t
from app.resources import get_assistant
from core.errors import SafeBordersError
from core.settings import DOC_TYPES

require_page("about")

st.title(t("about_title"))
st.markdown(t("about_for"))
st.warning(t("about_not_for"), icon=":material/gavel:")
st.markdown(t("about_privacy"))

st.subheader(t("about_in_use"))
assistant = get_assistant()
try:
    info = assistant.index_info()
except SafeBordersError as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

left, right = st.columns(2)
left.metric(t("about_documents"), info["documents"])
right.metric(t("about_chunks"), info["chunks"])
by_type = info.get("by_type", {})
columns = st.columns(len(DOC_TYPES))
for column, doc_type in zip(columns, DOC_TYPES, strict=True):
    column.metric(t(f"doc_{doc_type}"), by_type.get(doc_type, 0))
st.markdown(
    f"- **{t('about_model')}:** `{assistant.model_name}`\n"
    f"- **{t('about_embedder')}:** `{info.get('embedder', '')}`\n"
    f"- **{t('about_generation')}:** {info.get('created_at', '')} (`{info.get('generation', '')}`)"
)
