"""Relevance gate: drop passages and whole papers that do not bear on the question.

Three tests, each leaving a reason a reader can check: embedding similarity of the paper's
best passage to the question, a lexical test (the paper shares at least one key term with
the question), and an LLM judgement that may drop a paper unless its similarity is strong.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import ask, timed
from litsynth.schema.judgements import GateJudgement
from litsynth.schema.records import DroppedSource, KeptSource, Passage, StepError
from litsynth.schema.state import ResearchState
from litsynth.text.terms import key_terms, term_stem

EXCERPT_CHARS = 700


def shared_terms(question: str, passages: list[Passage]) -> list[str]:
    """Key terms of the question (by crude stem) that occur in the passages' text."""
    text = " ".join(p.text for p in passages).lower()
    return [t for t in key_terms(question) if term_stem(t) in text]


def _drop(doc: list[Passage], reason: str, by: str, best: float) -> DroppedSource:
    return DroppedSource(
        doc_id=doc[0].doc_id,
        title=doc[0].title,
        reason=reason,
        decided_by=by,
        best_score=round(best, 4),
    )


@timed("gate")
def gate(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Decide per paper, then per passage, what the extractor may use."""
    ctx = runtime.context
    cfg = ctx.settings.gate
    question = state["question"]
    round_ = state.get("round", 1)
    kept_before = {k.doc_id for k in state.get("kept_sources", [])}
    dropped_before = {d.doc_id for d in state.get("dropped_sources", [])}
    by_doc: dict[str, list[Passage]] = defaultdict(list)
    for p in state.get("passages", []):
        if p.round == round_:
            by_doc[p.doc_id].append(p)

    kept: list[KeptSource] = []
    dropped: list[DroppedSource] = []
    errors: list[StepError] = []
    keep_docs: set[str] = set()
    for doc_id in sorted(by_doc):
        doc = sorted(by_doc[doc_id], key=lambda p: -p.question_score)
        best = doc[0].question_score
        if doc_id in dropped_before:
            continue
        if doc_id in kept_before:
            keep_docs.add(doc_id)
            continue
        if best < cfg.min_paper_similarity:
            dropped.append(
                _drop(
                    doc,
                    f"best passage similarity to the question {best:.2f} is below "
                    f"{cfg.min_paper_similarity:.2f}: off-topic",
                    "embedding",
                    best,
                )
            )
            continue
        terms = shared_terms(question, doc)
        if not terms:
            dropped.append(
                _drop(
                    doc,
                    "shares none of the question's key terms "
                    f"({', '.join(key_terms(question)[:8])})",
                    "lexical",
                    best,
                )
            )
            continue
        reason = f"similarity {best:.2f}; mentions {', '.join(terms[:5])}"
        if cfg.use_llm:
            verdict, errs = ask(
                ctx,
                "gate",
                "gate",
                GateJudgement,
                question=question,
                title=doc[0].title,
                excerpt=doc[0].text[:EXCERPT_CHARS],
            )
            errors += errs
            if verdict is not None and not verdict.relevant and best < cfg.strong_keep:
                dropped.append(_drop(doc, f"LLM judged off-topic: {verdict.reason}", "llm", best))
                continue
            if verdict is not None:
                reason += f"; LLM: {verdict.reason}"
        kept.append(KeptSource(doc_id=doc_id, title=doc[0].title, reason=reason, best_score=best))
        keep_docs.add(doc_id)

    kept_ids = [
        p.id
        for doc_id in sorted(keep_docs)
        for p in by_doc[doc_id]
        if p.question_score >= cfg.min_similarity
    ]
    dropped_passages = sum(len(v) for v in by_doc.values()) - len(kept_ids)
    return {
        "kept_sources": kept,
        "dropped_sources": dropped,
        "kept_passage_ids": kept_ids,
        "errors": errors,
        "counters": {"passages_kept": len(kept_ids), "passages_dropped": dropped_passages},
    }
