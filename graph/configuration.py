"""The graph's run-time configuration: the nodes' ``Context``, defined beside the nodes."""

from litsynth.agents.context import Context

__all__ = ["Context"]
