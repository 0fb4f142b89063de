"""Tab completion: slash commands, export formats, and file paths where a command takes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from litsynth.cli.chat.commands import COMMANDS, EXPORT_FORMATS

if TYPE_CHECKING:
    from prompt_toolkit.completion import CompleteEvent, Completer, Completion
    from prompt_toolkit.document import Document


def make_completer() -> Completer:
    """A prompt_toolkit completer for the chat prompt."""
    from prompt_toolkit.completion import Completer, Completion, PathCompleter
    from prompt_toolkit.document import Document

    paths = PathCompleter(expanduser=True)

    class ChatCompleter(Completer):
        def get_completions(
            self, document: Document, complete_event: CompleteEvent
        ) -> Iterable[Completion]:
            text = document.text_before_cursor
            if not text.startswith("/"):
                return
            words = text[1:].split(" ")
            if len(words) == 1:
                for name in COMMANDS:
                    if name.startswith(words[0].lower()):
                        yield Completion(f"/{name}", start_position=-len(text))
                return
            command = COMMANDS.get(words[0].lower())
            if command is None or not command.paths:
                return
            word = words[-1]
            if words[0].lower() == "export" and len(words) == 2:
                for fmt in EXPORT_FORMATS:
                    if fmt.startswith(word):
                        yield Completion(fmt, start_position=-len(word))
                return
            sub = Document(word, len(word))
            yield from paths.get_completions(sub, complete_event)

    return ChatCompleter()
