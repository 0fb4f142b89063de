"""``litsynth chat``: REPL, slash commands, live progress, completion and history."""
