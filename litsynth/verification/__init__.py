"""Claim verifiers behind one interface: embedding, trained head, LLM judge."""

from litsynth.verification.factory import make_verifier

__all__ = ["make_verifier"]
