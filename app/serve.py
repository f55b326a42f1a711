"""``python -m app.serve [streamlit options]``: the app as `make run` starts it.

Streamlit runs the app's script only when a browser connects; started this way, the index and the models begin
loading with the server instead (the same process-wide objects the pages use), so the first question does not
wait for them. Options are Streamlit's, e.g. ``--server.port 8501``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().with_name("streamlit_app.py")


def main(argv: Sequence[str]) -> int:
    from streamlit.web import cli

    from app.resources import start_warm_up

    start_warm_up()  # in the background: the server need not wait for it
    sys.argv = ["streamlit", "run", str(APP), *argv]
    return int(cli.main() or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
