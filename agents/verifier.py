"""Verifier node: a verdict and calibrated confidence per new claim, and cross-source conflicts.

Each claim is judged against the passage it cites (the judge is whatever implements the
``Verifier`` interface: embedding, trained head or LLM). Claims from different sources
that say nearly the same thing are then checked against each other's quotes to find
contradictions between sources.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import timed
from litsynth.errors import StoreError
from litsynth.schema.records import Claim, Contradiction, Passage
from litsynth.schema.state import ResearchState
from litsynth.schema.verdicts import EvidencePassage
from litsynth.text.sentences import whole_sentence_span

CONFLICT_SIMILARITY = 0.6
MAX_CONFLICT_PAIRS = 30


def evidence_of(passage: Passage, page_text: str | None = None) -> EvidencePassage:
    """The cited passage as verifier evidence, keeping its page offsets.

    With the page text, the passage is widened to whole sentences: a chunk boundary can fall
    mid-sentence, and evidence cut there reads (and judges) as a different statement.
    """
    start, end, text = passage.char_start, passage.char_end, passage.text
    if page_text is not None and page_text[start:end] == text:
        start, end = whole_sentence_span(page_text, start, end)
        text = page_text[start:end]
    return EvidencePassage(
        text=text,
        doc_id=passage.doc_id,
        page=passage.page,
        char_start=start,
        char_end=end,
        title=passage.title,
    )


def _page_texts(ctx: Context, passages: list[Passage]) -> dict[tuple[str, int], str]:
    """Stored page text of each cited page; a page the store cannot give is left out."""
    store = ctx.get_store()
    out: dict[tuple[str, int], str] = {}
    for p in passages:
        key = (p.doc_id, p.page)
        if key not in out:
            try:
                out[key] = store.page_text(*key)
            except StoreError:
                continue
    return out


def conflict_pairs(claims: list[Claim], vectors: np.ndarray) -> list[tuple[int, int]]:
    """Index pairs of similar claims from different documents, most similar first."""
    sims = vectors @ vectors.T
    pairs = [
        (float(sims[i, j]), i, j)
        for i in range(len(claims))
        for j in range(i + 1, len(claims))
        if claims[i].doc_id != claims[j].doc_id and sims[i, j] >= CONFLICT_SIMILARITY
    ]
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [(i, j) for _, i, j in pairs[:MAX_CONFLICT_PAIRS]]


@timed("verifier")
def verifier(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Judge unjudged claims; then look for conflicts among all judged claims."""
    ctx = runtime.context
    judge = ctx.get_verifier()
    passages = {p.id: p for p in state.get("passages", [])}
    pending = [c for c in state.get("claims", []) if c.verdict is None]
    cited = [passages[c.passage_id] for c in pending]
    pages = _page_texts(ctx, cited)
    verdicts = judge.verify_many(
        [
            (c.text, [evidence_of(p, pages.get((p.doc_id, p.page)))])
            for c, p in zip(pending, cited, strict=True)
        ]
    )
    judged = [
        c.model_copy(
            update={
                "verdict": v.label,
                "confidence": round(v.confidence, 4),
                "verdict_reason": v.reason,
                "judge": v.judge,
                "evidence": v.evidence,
            }
        )
        for c, v in zip(pending, verdicts, strict=True)
    ]
    update: dict[str, Any] = {"claims": judged}

    everything = {c.id: c for c in state.get("claims", [])} | {c.id: c for c in judged}
    claims = sorted(everything.values(), key=lambda c: int(c.id[1:]))
    known = {(x.claim_a, x.claim_b) for x in state.get("contradictions", [])}
    if len(claims) > 1 and pending:
        vectors = ctx.get_embedder().encode([c.text for c in claims])
        pairs = [
            (a, b)
            for a, b in conflict_pairs(claims, vectors)
            if (claims[a].id, claims[b].id) not in known
        ]
        checks = judge.verify_many(
            [(claims[a].text, [EvidencePassage(text=claims[b].quote)]) for a, b in pairs]
        )
        update["contradictions"] = [
            Contradiction(
                claim_a=claims[a].id,
                claim_b=claims[b].id,
                confidence=round(v.confidence, 4),
                reason=v.reason,
            )
            for (a, b), v in zip(pairs, checks, strict=True)
            if v.label == "contradicted"
        ]
    labels = [c.verdict for c in judged]
    update["counters"] = {
        "claims_quoted": sum(1 for c in judged if c.verbatim),
        "claims_supported": labels.count("supported"),
        "claims_contradicted": labels.count("contradicted"),
        "claims_unverified": labels.count("unverified"),
    }
    return update
