"""``python -m app.serve [streamlit options]``: the app as `make run` starts it.

Streamlit runs the app's script only when a browser connects; started this way, the index and the models begin
loading with the server instead (the same process-wide objects the pages use), so the first question does not
wait for them. Options are Streamlit's, e.g. ``--server.port 8501``. The server listens on ``app.address`` of the
settings (the loopback unless configured otherwise) when no ``--server.address`` is given, and when no account
exists yet it prints the one-time setup token for creating the administrator from another machine. The database
is migrated first (``app.db``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from core.errors import SafeBordersError
from core.settings import LLMSettings

APP = Path(__file__).resolve().with_name("streamlit_app.py")


def streamlit_options(argv: Sequence[str], address: str) -> list[str]:
    """Streamlit's options as given, with ``--server.address`` from the settings unless one is given."""
    given = any(arg == "--server.address" or arg.startswith("--server.address=") for arg in argv)
    return list(argv) if given else ["--server.address", address, *argv]


def main(argv: Sequence[str]) -> int:
    from streamlit.web import cli

    from app.auth import UserStore, announce_setup_token
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
        sys.argv = ["streamlit", "run", str(APP), *streamlit_options(argv, settings.app.address)]
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
