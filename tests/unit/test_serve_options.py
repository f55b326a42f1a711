"""``python -m app.serve`` gives Streamlit the upload limit of the settings, rounded up to whole MB."""

from __future__ import annotations

from app.serve import streamlit_options, upload_limit_mb
from core.settings import Settings


def test_the_upload_limit_comes_from_the_settings_unless_given() -> None:
    settings = Settings.model_validate({"app": {"upload_max_mb": 20}})
    assert upload_limit_mb(settings) == 20
    assert upload_limit_mb(Settings.model_validate({"app": {"upload_max_mb": 0.5}})) == 1
    options = streamlit_options(["--server.port", "8501"], "127.0.0.1", upload_limit_mb(settings))
    assert options == ["--server.address", "127.0.0.1", "--server.maxUploadSize", "20", "--server.port", "8501"]
    given = streamlit_options(["--server.maxUploadSize=5"], "127.0.0.1", 20)
    assert given == ["--server.address", "127.0.0.1", "--server.maxUploadSize=5"]
