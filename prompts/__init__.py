"""Prompt templates as files, validated when loaded.

Each ``*.md`` file here starts with a header naming its variables, then a ``[system]`` and a
``[user]`` section using ``str.format`` fields::

    ---
    variables: question, round
    ---
    [system]
    ...
    [user]
    Question: {question}

Unknown or missing template variables fail at load time; overrides from settings replace a
bundled prompt and must declare the same variables.
"""

from litsynth.prompts.library import Prompt, PromptLibrary, load_prompts

__all__ = ["Prompt", "PromptLibrary", "load_prompts"]
