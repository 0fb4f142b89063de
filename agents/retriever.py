"""Retriever: run this round's queries against the store, dedup, and diversify with MMR."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import timed
from litsynth.schema.records import Passage
from litsynth.schema.state import ResearchState

if TYPE_CHECKING:
    from litsynth.vectorstore.models import Hit


def mmr(relevance: np.ndarray, vectors: np.ndarray, k: int, lam: float) -> list[int]:
    """Maximal marginal relevance: indices of ``k`` items trading relevance for novelty."""
    chosen: list[int] = []
    remaining = list(range(len(relevance)))
    while remaining and len(chosen) < k:
        if chosen:
            redundancy = (vectors[remaining] @ vectors[chosen].T).max(axis=1)
        else:
            redundancy = np.zeros(len(remaining))
        scores = lam * relevance[remaining] - (1.0 - lam) * redundancy
        best = remaining[int(np.argmax(scores))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def best_hits(queries: list[str], hits: list[list[Hit]], seen: set[str]) -> list[tuple[Hit, str]]:
    """One entry per chunk (its best-scoring query), leaving out chunks seen in earlier rounds."""
    best: dict[str, tuple[Hit, str]] = {}
    for query, results in zip(queries, hits, strict=True):
        for hit in results:
            if hit.chunk_id in seen:
                continue
            if hit.chunk_id not in best or hit.score > best[hit.chunk_id][0].score:
                best[hit.chunk_id] = (hit, query)
    return sorted(best.values(), key=lambda hq: (-hq[0].score, hq[0].chunk_id))


def passage_of(hit: Hit, query: str, question_score: float, round_: int) -> Passage:
    """The state's record of one retrieved chunk."""
    return Passage(
        id=hit.chunk_id,
        doc_id=hit.doc_id,
        title=hit.title,
        authors=list(hit.authors),
        year=hit.year,
        source_path=hit.source_path,
        page=hit.page,
        char_start=hit.char_start,
        char_end=hit.char_end,
        text=hit.text,
        section=hit.section,
        query=query,
        retrieval_score=round(float(hit.score), 4),
        question_score=round(question_score, 4),
        round=round_,
    )


@timed("retriever")
def retriever(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Fetch passages for the round's queries and keep a diverse, relevant subset."""
    ctx = runtime.context
    cfg = ctx.settings.retrieval
    queries = state.get("round_queries", [])
    if not queries:
        return {"counters": {"retrieval_empty_rounds": 1}}
    hits = ctx.get_store().search_many(queries, k=cfg.k_per_query, with_embeddings=True)
    seen = {p.id for p in state.get("passages", [])}
    candidates = best_hits(queries, hits, seen)
    if not candidates:
        return {"counters": {"retrieval_empty_rounds": 1}}
    qvec = ctx.get_embedder().encode([state["question"]])[0]
    vectors = np.asarray([h.embedding for h, _ in candidates], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    to_question = vectors @ qvec
    relevance = np.maximum(to_question, [h.score for h, _ in candidates])
    picked = mmr(relevance, vectors, cfg.max_passages, cfg.mmr_lambda)
    round_ = state.get("round", 1)
    passages = [
        passage_of(h, q, float(to_question[i]), round_)
        for i, (h, q) in ((i, candidates[i]) for i in sorted(picked))
    ]
    taken = seen | {p.id for p in passages}
    lead = lead_passages(ctx, state["question"], [h for h, _ in candidates], taken, qvec)
    return {
        "passages": passages + [passage_of(h, state["question"], s, round_) for h, s in lead],
        "counters": {
            "passages_retrieved": len(passages) + len(lead),
            "passages_from_lead_pages": len(lead),
            "hits_seen": len(candidates),
        },
    }


def is_abstract(hit: Hit) -> bool:
    """Whether the chunk is in the paper's abstract section."""
    return (hit.section or "").strip().casefold().startswith("abstract")


def lead_passages(
    ctx: Context, question: str, ranked: list[Hit], taken: set[str], qvec: np.ndarray
) -> list[tuple[Hit, float]]:
    """Abstract and introduction passages of the best retrieved papers, with their cosine to
    the question: a paper's headline findings rarely echo the question's words, so chunk search
    alone misses them."""
    cfg = ctx.settings.retrieval
    if cfg.lead_pages < 1 or cfg.lead_papers < 1:
        return []
    papers = list(dict.fromkeys(h.doc_id for h in ranked))[: cfg.lead_papers]
    hits = [
        h
        for h in ctx.get_store().lead_chunks(papers, cfg.lead_pages)
        if h.chunk_id not in taken and h.embedding is not None
    ]
    if not hits:
        return []
    vectors = np.asarray([h.embedding for h in hits], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
    sims = vectors @ qvec
    per_paper: dict[str, int] = {}
    out: list[tuple[Hit, float]] = []
    for i in np.argsort(-sims, kind="stable"):
        h = hits[int(i)]
        if cfg.whole_abstract and is_abstract(h):
            out.append((h, float(sims[i])))
        elif per_paper.get(h.doc_id, 0) < cfg.lead_passages_per_paper:
            per_paper[h.doc_id] = per_paper.get(h.doc_id, 0) + 1
            out.append((h, float(sims[i])))
    return sorted(out, key=lambda hs: (hs[0].doc_id, hs[0].page, hs[0].char_start))
