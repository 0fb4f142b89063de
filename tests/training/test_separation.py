"""Training sits on top of the product: the runtime verifier imports nothing from training or
evals, and nothing in the product imports scikit-learn or matplotlib (the ``[train]`` and
``[eval]`` extras)."""

from __future__ import annotations

import ast
from pathlib import Path

import litsynth

PACKAGE = Path(litsynth.__file__).parent
OPTIONAL = ("sklearn", "matplotlib")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_the_runtime_verifier_imports_neither_training_nor_evals() -> None:
    for path in sorted((PACKAGE / "verification").glob("*.py")):
        bad = {
            m
            for m in imported_modules(path)
            if m.startswith(("litsynth.training", "litsynth.evals", *OPTIONAL))
        }
        assert not bad, f"{path.name} imports {sorted(bad)}"


def product_files() -> list[Path]:
    """The product's sources: ``litsynth/`` without training, and the top-level packages that
    install under it (agents, graph, prompts, vectorstore); evals is not product."""
    root = PACKAGE.parent
    files = [p for p in PACKAGE.rglob("*.py") if "training" not in p.relative_to(PACKAGE).parts]
    for name in ("agents", "graph", "prompts", "vectorstore"):
        files += (root / name).rglob("*.py")
    return sorted(files)


def test_only_training_and_evals_use_the_optional_extras() -> None:
    files = product_files()
    assert any(p.parent.name == "agents" for p in files)
    for path in files:
        bad = {m for m in imported_modules(path) if m.split(".")[0] in OPTIONAL}
        assert not bad, f"{path} imports {sorted(bad)}"


def test_trainers_import_no_private_helpers_of_each_other() -> None:
    for path in sorted((PACKAGE / "training").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("litsynth"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
