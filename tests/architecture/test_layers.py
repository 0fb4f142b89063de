"""Imports point one way: every module imports only its own layer and the layers below it.

schema ← text ← {vectorstore, verification, llm, prompts, report} ← {ingest, relevance} ← agents
← graph ← api ← cli, with evals and training on top; the product never imports them. (The
relevance scorer is built on the verifier's cross-encoder machinery, hence one layer up.)
Lazy imports inside functions count: a cycle hidden in a function body is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Where each top-level unit of ``litsynth.*`` lives on disk (pyproject's package-dir).
PACKAGE_DIRS = {
    "agents": ROOT / "agents",
    "graph": ROOT / "graph",
    "prompts": ROOT / "prompts",
    "vectorstore": ROOT / "vectorstore",
    "evals": ROOT / "evals",
}

# Rank of each unit: a module may import units of its own rank or lower, never higher.
LAYERS: dict[str, int] = {
    "errors": 0,
    "settings": 0,
    "schema": 0,
    "text": 1,
    "vectorstore": 2,
    "verification": 2,
    "llm": 2,
    "prompts": 2,
    "report": 2,
    "ingest": 3,
    "relevance": 3,
    "agents": 4,
    "graph": 5,
    "api": 6,
    "demo": 6,
    "cli": 7,
    "__main__": 7,
    "evals": 8,
    "training": 8,
}
# Peers of one rank that must not import each other either (they are independent).
INDEPENDENT = {"vectorstore", "verification", "llm", "prompts", "report"}


def _unit_of_path(path: Path) -> str:
    for unit, folder in PACKAGE_DIRS.items():
        if path.is_relative_to(folder):
            return unit
    rel = path.relative_to(ROOT / "litsynth")
    return rel.parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    files = [p for p in (ROOT / "litsynth").rglob("*.py")]
    for folder in PACKAGE_DIRS.values():
        files.extend(folder.rglob("*.py"))
    return sorted(p for p in files if "__pycache__" not in p.parts)


def _imported_units(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    units: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "litsynth":
                names = [f"litsynth.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "litsynth" and len(parts) > 1:
                units.add(parts[1])
    return units


def _violations() -> list[str]:
    found = []
    for path in _modules():
        unit = _unit_of_path(path)
        if unit == "__init__":  # the lazy façade (`from litsynth import research`)
            continue
        rank = LAYERS[unit]
        for imported in _imported_units(path) - {unit, "__version__"}:
            if imported not in LAYERS:
                found.append(f"{path.relative_to(ROOT)}: unknown unit litsynth.{imported}")
            elif LAYERS[imported] > rank:
                found.append(f"{path.relative_to(ROOT)} ({unit}) imports upward: {imported}")
            elif unit in INDEPENDENT and imported in INDEPENDENT:
                found.append(f"{path.relative_to(ROOT)} ({unit}) imports its peer {imported}")
    return found


def test_every_unit_has_a_layer() -> None:
    units = {_unit_of_path(p) for p in _modules()} - {"__init__"}
    assert units <= set(LAYERS), sorted(units - set(LAYERS))


def test_no_upward_or_peer_imports() -> None:
    assert _violations() == []


@pytest.mark.parametrize("source", ["from litsynth.agents.gate import gate\n"])
def test_the_checker_sees_an_upward_import(tmp_path: Path, source: str) -> None:
    module = tmp_path / "m.py"
    module.write_text(source)
    assert _imported_units(module) == {"agents"}
