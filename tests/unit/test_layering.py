"""Layering of the product packages, read from their source: who may import whom, no cycles, short functions."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

PACKAGES = ("core", "rag", "ingestion", "analysis", "app", "evaluation", "benchmarks")
MAX_FUNCTION_LINES = 60


@dataclass(frozen=True)
class Module:
    """One product module: its dotted name, its file and its parsed source."""

    name: str
    path: Path
    tree: ast.Module


@cache
def product_modules() -> tuple[Module, ...]:
    """Every .py file of the product packages, parsed."""
    modules = []
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules.append(Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path))))
    return tuple(modules)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports anywhere in ``node`` (functions included) except those only run for type checkers."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child):
            for branch in child.orelse:
                yield from _import_nodes(ast.Module(body=[branch], type_ignores=[]))
        else:
            yield from _import_nodes(child)


def imported_names(module: Module) -> set[str]:
    """The dotted names ``module`` imports, resolved against the product modules (``from a import b`` gives a.b
    where a.b is a module, else a)."""
    known = {m.name for m in product_modules()}
    package = module.name if module.path.name == "__init__.py" else module.name.rpartition(".")[0]
    names: set[str] = set()
    for node in _import_nodes(module.tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            names.add(candidate if candidate in known else base)
    return names


def top_package(name: str) -> str:
    return name.split(".")[0]


def test_no_product_module_imports_tests() -> None:
    offenders = [
        f"{m.name} imports {name}"
        for m in product_modules()
        for name in imported_names(m)
        if top_package(name) == "tests"
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("rag", {"ingestion", "analysis", "app"}),
        ("ingestion", {"rag", "analysis", "app"}),
        ("analysis", {"app"}),
        ("core", {"rag", "ingestion", "analysis", "app"}),
    ],
)
def test_lower_layers_do_not_import_higher_ones(package: str, forbidden: set[str]) -> None:
    offenders = [
        f"{m.name} imports {name}"
        for m in product_modules()
        if top_package(m.name) == package
        for name in imported_names(m)
        if top_package(name) in forbidden
    ]
    assert offenders == []


def import_graph() -> dict[str, set[str]]:
    """Product module -> the product modules it imports (a package's own ``__init__`` is not counted)."""
    known = {m.name for m in product_modules()}
    return {
        m.name: {name for name in imported_names(m) if name in known and name != m.name and name not in PACKAGES}
        for m in product_modules()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` as the list of its modules (the first repeated at the end), or []."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str]:
        path.append(node)
        on_path.add(node)
        for target in sorted(graph.get(node, ())):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done:
                cycle = visit(target)
                if cycle:
                    return cycle
        on_path.discard(path.pop())
        done.add(node)
        return []

    for start in sorted(graph):
        if start not in done:
            cycle = visit(start)
            if cycle:
                return cycle
    return []


def test_find_cycle_finds_one_and_only_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_between_product_modules() -> None:
    assert find_cycle(import_graph()) == []


def test_no_product_function_is_longer_than_the_limit() -> None:
    long = [
        f"{m.name}.{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for m in product_modules()
        for node in ast.walk(m.tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []
