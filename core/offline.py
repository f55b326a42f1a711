"""Keeps every library off the network: models come from installed packages, never from a hub."""

from __future__ import annotations

import os

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
