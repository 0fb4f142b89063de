"""Claim verifiers behind one interface: embedding, trained head, LLM judge."""
