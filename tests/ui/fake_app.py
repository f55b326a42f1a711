"""The app on the test fakes: builders for app.resources, and a launcher serving the app with them.

AppTest runs the app in the test process, so a fixture installs the builders with ``monkeypatch.setattr``. The
browser test needs a real server: ``python -m tests.ui.fake_app REPLIES_JSON [streamlit options]`` installs them
and then starts the app as ``python -m app.serve`` does, in the same process. With ``real`` in place of the replies
file, the answers come from the real generator the settings name (the shipped SmolLM2), on the same fake embedder.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app import resources
from core.settings import Settings
from tests.fakes import HashEmbedder, KeywordScrubber, ReplayGenerator

if TYPE_CHECKING:
    from rag.service import Assistant


def install_fakes(replies: Sequence[str] | None, patch: Callable[[object, str, object], None] = setattr) -> None:
    """Make app.resources build a hash-embedder Assistant replaying ``replies`` and a keyword scrubber.

    Args:
        replies: what the fake generator answers, in turn; None for the real generator of the settings.
        patch: how to replace a builder (``monkeypatch.setattr`` in a test, so that it is undone afterwards).
    """

    def build_assistant(settings: Settings) -> Assistant:
        from core.store import ChromaStore
        from rag.generate import make_generator
        from rag.service import Assistant

        generator = make_generator(settings.llm) if replies is None else ReplayGenerator(list(replies))
        store = ChromaStore(settings.vector_store)
        return Assistant(settings, embedder=HashEmbedder(), generator=generator, store=store)

    patch(resources, "build_assistant", build_assistant)
    patch(resources, "build_scrubber", lambda settings: KeywordScrubber())


def main(argv: Sequence[str]) -> int:
    """Serve the app on the fakes; ``argv`` is the replies file (a JSON list) or ``real``, then Streamlit's options."""
    from app import serve

    install_fakes(None if argv[0] == "real" else json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    return serve.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
