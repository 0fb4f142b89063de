"""litsynth: turn a research question into a grounded, verified literature synthesis.

Heavy modules (torch, langchain, chromadb) are imported lazily so that importing
``litsynth`` and running ``litsynth --help`` stay instant.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from litsynth.api import research
    from litsynth.graph.builder import build_graph

__all__ = ["__version__", "build_graph", "research"]

_LAZY = {"research": "litsynth.api", "build_graph": "litsynth.graph.builder"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'litsynth' has no attribute {name!r}")
