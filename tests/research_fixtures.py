"""A small real corpus and scripted model answers shared by the graph, agent and API tests.

The store holds the bundled demo corpus (arXiv abstracts on LLM quantization) plus 20 SciFact
biomedical abstracts as off-topic distractors; the chat model is ``ScriptedChatModel``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from litsynth.demo import corpus_path
from litsynth.ingest.dispatch import discover, load_file
from litsynth.settings import Settings, load_settings
from litsynth.tests.fakes import ScriptedChatModel
from litsynth.text.embedding import get_embedder
from litsynth.vectorstore.store import PaperStore

QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
N_DISTRACTORS = 20


def build_store(root: Path, fixture_data: Path) -> tuple[PaperStore, set[str]]:
    """Ingest the demo corpus and SciFact distractors; return the store and distractor ids."""
    scifact = fixture_data / "scifact20.jsonl"
    settings = make_settings(root / "store")
    store = PaperStore.open(settings.store, get_embedder())
    files, errors = discover([corpus_path(), scifact])
    assert not errors
    distractors: set[str] = set()
    for f in files:
        docs = load_file(f)
        store.add_documents(docs)
        if f.path == scifact.resolve():
            distractors |= {d.doc_id for d in docs}
    return store, distractors


def make_settings(store_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests: a temp store and checkpoint file, no environment."""
    base: dict[str, Any] = {
        "store": {"path": str(store_dir)},
        "runs": {"checkpoints": str(store_dir.parent / "checkpoints.sqlite")},
    }
    for section, values in overrides.items():
        base[section] = {**base.get(section, {}), **values}
    return load_settings(overrides=base, env={})


def tool_name(tools: list[dict[str, Any]]) -> str:
    """Name of the schema the structured call asked for."""
    return str(tools[0]["function"]["name"]) if tools else ""


def good_answers(extra: dict[str, Callable[[int], Any]] | None = None) -> ScriptedChatModel:
    """A model that answers every judgement well (and restates one claim with a fake entity)."""
    answers: dict[str, Callable[[int], Any]] = {
        "Plan": lambda i: {
            "sub_questions": [
                {
                    "question": "How does 4-bit weight quantization change LLM accuracy?",
                    "queries": ["4-bit weight quantization accuracy", "quantization perplexity"],
                }
            ]
        },
        "GateJudgement": lambda i: {"relevant": True, "reason": "It studies LLM quantization."},
        "ClaimSelection": lambda i: {
            "claims": [
                {"sentence_id": 1, "claim": ""},
                {"sentence_id": 2, "claim": "Mistral-7B loses 3 points on GSM8K."},
            ]
        },
        "ReviewerComment": lambda i: {"comment": "The facts support the score.", "adjustment": 0.5},
        "SynthesisDraft": lambda i: {
            "sentences": [
                {"text": "Quantization findings are summarised here.", "claim_ids": ["C1"]},
                {"text": "Mistral-7B is unaffected by quantization.", "claim_ids": ["C1"]},
            ]
        },
    }
    answers.update(extra or {})

    def respond(messages: list[Any], index: int, tools: list[dict[str, Any]]) -> Any:
        return answers[tool_name(tools)](index)

    return ScriptedChatModel(responses=respond)
