"""``python -m app.serve [streamlit options]``: the app as `make run` starts it.

Streamlit runs the app's script only when a browser connects; started this way, the index and the models begin
loading with the server instead (the same process-wide objects the pages use), so the first question does not
wait for them. Options are Streamlit's, e.g. ``--server.port 8501``. The server listens on ``app.address`` of the
settings (the loopback unless configured otherwise) when no ``--server.address`` is given, with uploads limited to
``app.upload_max_mb`` (``--server.maxUploadSize``), and when no account
exists yet it prints the one-time setup token for creating the administrator from another machine. The database
is migrated first (``app.db``).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from core.errors import SafeBordersError
from core.settings import LLMSettings, Settings

APP = Path(__file__).resolve().with_name("streamlit_app.py")


def upload_limit_mb(settings: Settings) -> int:
    """The upload limit the server and every uploader apply, in whole MB (Streamlit counts whole megabytes).

    It is ``app.upload_max_mb`` rounded up; the exact figure is checked again on the bytes received.
    """
    return max(1, math.ceil(settings.app.upload_max_mb))


def _given(argv: Sequence[str], option: str) -> bool:
    return any(arg == option or arg.startswith(f"{option}=") for arg in argv)


def streamlit_options(argv: Sequence[str], address: str, upload_mb: int | None = None) -> list[str]:
    """Streamlit's options as given, with ``--server.address`` (and ``--server.maxUploadSize`` when ``upload_mb``
    is given) from the settings unless the command line names them."""
    options = [] if _given(argv, "--server.address") else ["--server.address", address]
    if upload_mb is not None and not _given(argv, "--server.maxUploadSize"):
        options += ["--server.maxUploadSize", str(upload_mb)]
    return [*options, *argv]


def main(argv: Sequence[str]) -> int:
    from streamlit.web import cli

    from app.accounts import UserStore, announce_setup_token
    from app.db.connect import open_database
    from app.resources import start_warm_up
    from core.settings import load_settings

    try:
        settings = load_settings()
        open_database(settings.database.url, settings.data_dir)  # migrations and the one-time import, before serving
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    announce_setup_token(UserStore.in_folder(settings.data_dir, settings.database.url))
    with _model_server(settings.llm, settings.data_dir) as started:
        if started is False:
            return 2
        start_warm_up()  # in the background: the server need not wait for it
        sys.argv = [
            "streamlit",
            "run",
            str(APP),
            *streamlit_options(argv, settings.app.address, upload_limit_mb(settings)),
        ]
        return int(cli.main() or 0)


@contextmanager
def _model_server(settings: LLMSettings, data_dir: Path) -> Iterator[bool | None]:
    """llama-server for the app's lifetime when ``llm.server.start`` asks for it (None: not asked, False: failed)."""
    if not settings.server.start:
        yield None
        return
    from rag.llm_server import ModelServer

    server = ModelServer(settings, log=data_dir / "llama-server.log")
    try:
        server.start()
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        yield False
        return
    print(f"model server: {settings.server.parallel} slots on {settings.server.url}", flush=True)
    try:
        yield True
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
