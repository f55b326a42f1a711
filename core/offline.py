"""Keeps every library off the network: models come from installed packages, never from a hub."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",  # Chroma
    "TOKENIZERS_PARALLELISM": "false",
}


def force_offline() -> None:
    """Set the variables that make Hugging Face, Chroma and tokenizers stay local (idempotent, cheap)."""
    for key, value in _OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


# Held while a package is hidden (below) and while the torch stack is imported, so that one thread never finds
# torch or transformers missing because another thread is hiding them.
TORCH_STACK_IMPORT = threading.Lock()
TORCH_STACK = ("torch", "transformers")


@contextmanager
def torch_stack_hidden() -> Iterator[None]:
    """Import code that only optionally uses torch and transformers without them (when not loaded yet).

    spaCy (through thinc) and Presidio (for its transformers NLP engine) import both if installed: about 7 s and
    300 MB on two cores, for nothing when the small spaCy model finds the names. Inside this block those imports
    fail with ImportError, which both libraries treat as "not installed"; afterwards the packages import normally.
    """
    with TORCH_STACK_IMPORT:
        hidden = [name for name in TORCH_STACK if name not in sys.modules]
        for name in hidden:
            sys.modules[name] = None  # type: ignore[assignment]
        try:
            yield
        finally:
            for name in hidden:
                if sys.modules.get(name, "") is None:
                    del sys.modules[name]
