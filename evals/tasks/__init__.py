"""Eval tasks: verify (gold evidence), retrieve (open setting), e2e (research claim precision)."""
