"""Relevance gate: drop whole papers, then passages, that do not bear on the question.

A paper is judged on its best sentences, each scored against the question by the relevance
scorer (``Context.get_relevance_scorer``). Tests, each leaving a reason a reader can check:
the paper must name the question's subject (a phrase or a listed variant: "large language
models", LLM, GPT, OPT, LLaMA, ...), its best sentence must reach ``gate.min_relevance``, and,
when ``gate.use_llm`` is on, the LLM may drop a paper whose relevance is below
``gate.strong_keep``. A reason shown beside a decision never contradicts it: an LLM reason that
does, or that copies the prompt, is not shown and is counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import ask, prompt_echo, rejection_error, timed
from litsynth.schema.judgements import GateJudgement
from litsynth.schema.records import DroppedSource, KeptSource, Passage, StepError
from litsynth.schema.relevance import RelevanceScorer
from litsynth.schema.state import ResearchState
from litsynth.settings import GateSettings
from litsynth.text.findings import is_boilerplate
from litsynth.text.grounding import normalize
from litsynth.text.sentences import split_sentences
from litsynth.text.subject import Subject, find_subject
from litsynth.text.validation import reason_problem

EXCERPT_CHARS = 700
QUOTE_CHARS = 110


@dataclass
class PaperEvidence:
    """One paper's retrieved passages, each sentence scored against the question."""

    passages: list[Passage]
    sentences: list[tuple[Passage, str, float]]

    @property
    def best(self) -> float:
        """The paper's best sentence relevance (0 when it has no sentence)."""
        return max((s for _, _, s in self.sentences), default=0.0)

    def best_sentence(self) -> str:
        """The sentence with the highest relevance."""
        return max(self.sentences, key=lambda t: t[2])[1] if self.sentences else ""

    def passage_score(self, passage: Passage) -> float:
        """A passage's best sentence relevance."""
        return max((s for p, _, s in self.sentences if p is passage), default=0.0)


def score_papers(
    scorer: RelevanceScorer, question: str, by_doc: dict[str, list[Passage]]
) -> dict[str, PaperEvidence]:
    """Every sentence of every paper's passages scored in one call to the scorer."""
    # A reference entry or affiliation line shares the question's words but is no evidence.
    pairs = [
        (doc_id, p, normalize(s.text))
        for doc_id in sorted(by_doc)
        for p in by_doc[doc_id]
        for s in split_sentences(p.text)
        if s.text.strip() and not is_boilerplate(s.text)
    ]
    scores = scorer.score(question, [text for _, _, text in pairs])
    out = {doc_id: PaperEvidence(by_doc[doc_id], []) for doc_id in by_doc}
    for (doc_id, p, text), score in zip(pairs, scores, strict=True):
        out[doc_id].sentences.append((p, text, float(score)))
    return out


@dataclass
class Decision:
    """The gate's verdict on one paper, before any LLM judgement."""

    keep: bool
    reason: str
    decided_by: str = ""
    ask_llm: bool = False


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def decide(
    evidence: PaperEvidence, title: str, subject: Subject | None, cfg: GateSettings
) -> Decision:
    """Subject test, then relevance threshold; whether the LLM may still be asked."""
    best = evidence.best
    if subject is not None and cfg.require_subject:
        named = subject.mentions(" ".join([title, *(p.text for p in evidence.passages)]))
        if not named:
            variants = ", ".join(subject.variants[:6])
            return Decision(
                False,
                f"never names the question's subject, {subject.name} (nor {variants}); "
                f"best sentence relevance {best:.2f}",
                "subject",
            )
    if best < cfg.min_relevance:
        return Decision(
            False,
            f"best sentence relevance {best:.2f} is below {cfg.min_relevance:.2f}: off-topic",
            "relevance",
        )
    reason = f"best sentence relevance {best:.2f}: “{_quote(evidence.best_sentence())}”"
    if subject is not None:
        named = subject.mentions(" ".join([title, *(p.text for p in evidence.passages)]))
        reason += f"; names {', '.join(named[:3])}"
    return Decision(True, reason, ask_llm=cfg.use_llm and best < cfg.strong_keep)


def _drop(doc: list[Passage], reason: str, by: str, best: float) -> DroppedSource:
    return DroppedSource(
        doc_id=doc[0].doc_id,
        title=doc[0].title,
        reason=reason,
        decided_by=by,
        best_score=round(best, 4),
    )


def llm_verdict(
    ctx: Context, question: str, doc: Sequence[Passage], decision: Decision
) -> tuple[Decision, list[StepError], int]:
    """Ask the LLM about a paper; its reason is shown only when it agrees with its verdict."""
    best = max(doc, key=lambda p: p.question_score)
    verdict, errors = ask(
        ctx,
        "gate",
        "gate",
        GateJudgement,
        question=question,
        title=doc[0].title,
        excerpt=best.text[:EXCERPT_CHARS],
    )
    if verdict is None:
        return decision, errors, 0
    problem = reason_problem(verdict.reason, keep=verdict.relevant, echo=prompt_echo(ctx, "gate"))
    shown = f": {normalize(verdict.reason)}" if problem is None else ""
    rejected = int(problem is not None)
    if problem is not None:
        errors = [*errors, rejection_error("gate", "LLM reason", [(verdict.reason, problem)])]
    if not verdict.relevant:
        return Decision(False, f"LLM judged off-topic{shown}", "llm"), errors, rejected
    reason = decision.reason + (f"; LLM agrees{shown}" if shown else "")
    return Decision(True, reason), errors, rejected


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
        if p.round == round_ and p.doc_id not in dropped_before:
            by_doc[p.doc_id].append(p)
    evidence = score_papers(ctx.get_relevance_scorer(), question, by_doc)
    subject = find_subject(question)

    kept: list[KeptSource] = []
    dropped: list[DroppedSource] = []
    errors: list[StepError] = []
    rejected = 0
    keep_docs: set[str] = set()
    for doc_id in sorted(by_doc):
        doc, ev = by_doc[doc_id], evidence[doc_id]
        if doc_id in kept_before:
            keep_docs.add(doc_id)
            continue
        decision = decide(ev, doc[0].title, subject, cfg)
        if decision.ask_llm:
            decision, errs, n = llm_verdict(ctx, question, doc, decision)
            errors += errs
            rejected += n
        if not decision.keep:
            dropped.append(_drop(doc, decision.reason, decision.decided_by, ev.best))
            continue
        kept.append(
            KeptSource(
                doc_id=doc_id, title=doc[0].title, reason=decision.reason, best_score=ev.best
            )
        )
        keep_docs.add(doc_id)

    kept_ids = [
        p.id
        for doc_id in sorted(keep_docs)
        for p in by_doc[doc_id]
        if evidence[doc_id].passage_score(p) >= cfg.min_passage_relevance
    ]
    dropped_passages = sum(len(v) for v in by_doc.values()) - len(kept_ids)
    return {
        "kept_sources": kept,
        "dropped_sources": dropped,
        "kept_passage_ids": kept_ids,
        "errors": errors,
        "counters": {
            "passages_kept": len(kept_ids),
            "passages_dropped": dropped_passages,
            "gate_reasons_rejected": rejected,
            "llm_outputs_rejected": rejected,
        },
    }
