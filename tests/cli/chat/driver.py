"""``litsynth chat`` with the scripted fake model and the offline embedding verifier.

The pexpect tests run this module in a pseudo-terminal as a user would run ``litsynth chat``;
only the chat model and verifier are swapped. Every planner prompt and every claim the verifier
judges is appended to JSONL files so the tests can see what a follow-up was given.

    python -m litsynth.tests.cli.chat.driver STORE_DIR LOG_DIR [--resume ID] [--json]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from litsynth.cli.chat.app import run_chat
from litsynth.schema.verdicts import EvidencePassage, Verdict
from litsynth.tests.research_fixtures import good_answers, make_settings
from litsynth.verification.embedding import EmbeddingVerifier

SLOW_WORD = "slowly"  # a question with this word keeps the planner busy until Ctrl-C
FOLLOW_UP_PLAN = {
    "sub_questions": [
        {
            "question": "How does 3-bit weight quantization change LLM accuracy?",
            "queries": ["3-bit quantization accuracy", "GPTQ 3-bit perplexity"],
        }
    ]
}


class RecordingVerifier(EmbeddingVerifier):
    """The embedding verifier, logging each claim the verifier node judges (the synthesizer's
    checks of its own answer sentences are not claim verdicts and are not logged)."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log

    def verify_many(self, items: Sequence[tuple[str, Sequence[EvidencePassage]]]) -> list[Verdict]:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller != "litsynth.agents.verifier":
            return super().verify_many(items)
        with self.log.open("a", encoding="utf-8") as f:
            for claim, evidence in items:
                if evidence and evidence[0].doc_id:  # a claim against its cited passage
                    f.write(json.dumps(claim) + "\n")
        return super().verify_many(items)


def _plan(log: Path) -> Any:
    base = good_answers().responses

    def respond(messages: list[Any], index: int, tools: list[dict[str, Any]]) -> Any:
        user = str(messages[-1].content)
        name = tools[0]["function"]["name"] if tools else ""
        if name == "Plan":
            with log.open("a", encoding="utf-8") as f:
                f.write(json.dumps(user) + "\n")
            if SLOW_WORD in user:
                time.sleep(30)
            if "Conversation so far" in user:
                return FOLLOW_UP_PLAN
        return base(messages, index, tools)

    return respond


def main(argv: list[str]) -> int:
    """Run the chat; exit code as ``litsynth chat`` gives it."""
    from litsynth.tests.fakes import ScriptedChatModel

    store_dir, log_dir = Path(argv[0]), Path(argv[1])
    resume = argv[argv.index("--resume") + 1] if "--resume" in argv else None
    settings = make_settings(store_dir, aggregator={"max_rounds": 1})
    model = ScriptedChatModel(responses=_plan(log_dir / "planner_prompts.jsonl"))
    return run_chat(
        settings,
        resume=resume,
        as_json="--json" in argv,
        chat_model=model,
        verifier=RecordingVerifier(log_dir / "verified.jsonl"),
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
