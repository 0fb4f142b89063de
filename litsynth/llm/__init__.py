"""The LLM layer: chat model factory, structured calls, usage accounting, endpoint resolution.

Submodules import LangChain lazily; import them directly, e.g.
``from litsynth.llm.structured import invoke_structured``.
"""
