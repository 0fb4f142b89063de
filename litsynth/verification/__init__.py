"""Runtime claim verifiers behind one interface: embedding, trained head, cross-encoder stack.

Their trainers live in ``litsynth.training``; nothing here imports them.
"""

from litsynth.verification.factory import make_verifier

__all__ = ["make_verifier"]
