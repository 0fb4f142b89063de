"""Claim extractor: whole claims, each resting on a verbatim span of a stored page.

Candidates are sentences of kept passages, located by character offsets in the page text,
so a claim's quote is the page slice by construction; the LLM only chooses among numbered
sentences (and may restate one). A restatement that names an entity (model, dataset,
benchmark, number) its quote does not contain is filler: it is discarded and counted
(``claims_rejected_ungrounded_entity``), and the claim keeps its quote. A restatement that is
merely not a whole sentence is replaced by the quote itself; a span that does not check out
against the stored page is discarded and counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import ask, prompt_echo, rejection_error, timed
from litsynth.schema.judgements import ClaimSelection
from litsynth.schema.records import Claim, ClaimKind, Passage, StepError, answer_claims
from litsynth.schema.state import ResearchState
from litsynth.settings import ExtractionSettings
from litsynth.text.finding_fields import answers_asked
from litsynth.text.findings import finding_score, is_boilerplate, is_own_result
from litsynth.text.grounding import (
    claim_problems,
    is_whole_sentence,
    normalize,
    ungrounded_entities,
)
from litsynth.text.sentences import run_on_parts, split_sentences
from litsynth.text.validation import PromptEcho, debris, refusal, statement_problem

if TYPE_CHECKING:
    from litsynth.vectorstore.store import PaperStore

NOT_CLAIMS = ("figure", "fig.", "table", "algorithm", "http", "arxiv", "appendix")
DUPLICATE_COSINE = 0.95
FINDING_WEIGHT = 0.25
# A sentence reporting others' results or announcing a study ranks below the source's own.
NOT_OWN_PENALTY = 0.3
# A sentence stating what the question asks for (kept or lost accuracy at the bits it names, a
# memory amount when it asks about memory, a speed-up when it asks about speed) answers it even
# in other words ("converted to Int8 ... without performance degradation" for an 8-bit question,
# which the relevance scorer rates 0.03). Offline over the gold pool, gold recall in the top 20:
# 0.311 without, 0.328 with the bits part alone, 0.443 with all three at 0.8 (0.2-0.6 gain less).
ANSWERS_ASKED_BONUS = 0.8
# A source's headline results (see ExtractionSettings.source_results) are sentences of its first
# pages with a strong finding cue (a result word plus a quantity or "we find"), not restating a
# claim already taken: abstract and introduction repeat their results, at cosine 0.9 and above.
SOURCE_RESULT_MIN_FINDING = 0.7
SOURCE_RESULT_DUPLICATE = 0.9
REFERENCE_SECTIONS = ("references", "bibliography", "acknowledg")


@dataclass
class Candidate:
    """A sentence that could become a claim."""

    passage: Passage
    start: int
    end: int
    quote: str
    relevance: float = 0.0
    rank: float = 0.0
    sub_question: str = ""
    # States what the question asks for (see ANSWERS_ASKED_BONUS); passes the relevance floor.
    answers_asked: bool = False


def claimlike(quote: str, cfg: ExtractionSettings) -> bool:
    """Prose that states something: whole sentence, sane length, mostly words."""
    text = normalize(quote)
    words = text.split()
    if not cfg.min_words <= len(words) <= cfg.max_words or not is_whole_sentence(text):
        return False
    if text.casefold().startswith(NOT_CLAIMS) or is_boilerplate(text):
        return False
    wordish = sum(1 for w in words if sum(c.isalpha() for c in w) >= max(1, len(w) // 2))
    return wordish / len(words) >= 0.7


def candidates_of(
    passage: Passage, page_text: str, cfg: ExtractionSettings, counts: Counter[str]
) -> list[Candidate]:
    """Claim-like statements of one passage, with page offsets; sentences that are not
    statements (questions, footnotes, captions, references, table debris) are counted."""
    if (passage.section or "").casefold().startswith(REFERENCE_SECTIONS):
        return []
    out = []
    for s in (part for whole in split_sentences(passage.text) for part in run_on_parts(whole)):
        start, end = passage.char_start + s.start, passage.char_start + s.end
        quote = page_text[start:end]
        if problem := statement_problem(quote, page_text[max(0, start - 16) : start]):
            counts[f"sentences_rejected_{problem.split()[0]}"] += 1
            continue
        if claimlike(quote, cfg):
            out.append(Candidate(passage, start, end, quote))
    return out


def _choose(
    ctx: Context, question: str, passage: Passage, cands: list[Candidate], limit: int
) -> tuple[list[tuple[Candidate, str]], list[StepError]]:
    """The LLM's picks as (candidate, restatement); empty when it gave nothing usable."""
    listing = "\n".join(f"[{i}] {normalize(c.quote)}" for i, c in enumerate(cands, 1))
    selection, errors = ask(
        ctx,
        "extractor",
        "extractor",
        ClaimSelection,
        question=question,
        title=passage.title,
        sentences=listing,
        max_claims=limit,
    )
    picks: list[tuple[Candidate, str]] = []
    if selection is not None:
        for sel in selection.claims:
            if 1 <= sel.sentence_id <= len(cands) and all(
                cands[sel.sentence_id - 1] is not c for c, _ in picks
            ):
                picks.append((cands[sel.sentence_id - 1], sel.claim.strip()))
    return picks[:limit], errors


def restatement_problem(restated: str, echo: PromptEcho) -> str | None:
    """Why the model's restatement is not a statement about the paper, or None."""
    for check in (echo.echo, refusal, debris, statement_problem):
        if problem := check(restated):
            return problem
    return None


def _claim_text(
    restated: str,
    quote: str,
    cfg: ExtractionSettings,
    counts: Counter[str],
    echo: PromptEcho,
    rejected: list[tuple[str, str]],
) -> str:
    """The claim's text: the restatement when it holds, else the quote. A restatement that is
    prompt text, a refusal, debris or not a statement, or that names an entity its quote lacks,
    gives way to the quote and is counted: the sentence was chosen, only the rewording failed
    (SmolLM2's restatement of SpQR's "3-4 bits ... relative accuracy losses of less than 1%"
    named something the quote does not, and the corpus's best 4-bit sentence was lost)."""
    if restated and (problem := restatement_problem(restated, echo)):
        rejected.append((restated, problem))
        restated = ""
    if restated and ungrounded_entities(restated, quote):
        counts["claims_rejected_ungrounded_entity"] += 1
        restated = ""
    if restated:
        problems = claim_problems(restated, quote, min_words=cfg.min_words, max_words=cfg.max_words)
        if not problems:
            return restated
        counts["claims_restatement_rejected"] += 1
    return normalize(quote)


def _candidates(
    passages: list[Passage],
    store: PaperStore,
    taken: set[tuple[str, int, int]],
    cfg: ExtractionSettings,
    counts: Counter[str],
) -> list[Candidate]:
    """Candidate sentences of passages whose text is still their page's slice, not yet taken."""
    cands: list[Candidate] = []
    for p in passages:
        page_text = store.page_text(p.doc_id, p.page)
        if page_text[p.char_start : p.char_end] != p.text:
            counts["passages_span_mismatch"] += 1
            continue
        for c in candidates_of(p, page_text, cfg, counts):
            key = (p.doc_id, p.page, c.start)
            if key not in taken:
                taken.add(key)
                cands.append(c)
    return cands


def _rank(
    ctx: Context, state: ResearchState, cands: list[Candidate], existing: list[Claim]
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Score candidates (relevance + finding cue), assign each its closest sub-question; the
    candidates' vectors and those of claims already kept (for duplicate checks)."""
    question = state["question"]
    plan = state.get("plan")
    subqs = [sq.question for sq in plan.sub_questions] if plan else []
    vecs = ctx.get_embedder().encode(
        [question, *subqs, *(normalize(c.quote) for c in cands), *(c.text for c in existing)]
    )
    n = 1 + len(subqs)
    cand_vecs = vecs[n : n + len(cands)]
    sims = cand_vecs @ vecs[:n].T
    relevance = ctx.get_relevance_scorer().score(question, [normalize(c.quote) for c in cands])
    for i, c in enumerate(cands):
        c.relevance = float(relevance[i])
        c.rank = c.relevance + FINDING_WEIGHT * finding_score(c.quote)
        if not is_own_result(c.quote):
            c.rank -= NOT_OWN_PENALTY
        c.answers_asked = answers_asked(normalize(c.quote), question, c.passage.title)
        if c.answers_asked:
            c.rank += ANSWERS_ASKED_BONUS
        c.sub_question = subqs[int(sims[i, 1:].argmax())] if subqs else question
    return cand_vecs, list(vecs[n + len(cands) :])


def _select(
    ctx: Context,
    question: str,
    passages: list[Passage],
    cands: list[Candidate],
    counts: Counter[str],
    errors: list[StepError],
) -> list[tuple[Candidate, str, str]]:
    """Per passage, the best candidates above the relevance floor, chosen (and restated) by the
    chat model when it is used, else by rank; (candidate, restatement, chosen by)."""
    cfg = ctx.settings.extraction
    per_passage = cfg.max_claims_per_passage
    chosen: list[tuple[Candidate, str, str]] = []
    for p in passages:
        mine = [c for c in cands if c.passage is p]
        pool = sorted(
            (c for c in mine if c.relevance >= cfg.min_relevance or c.answers_asked),
            key=lambda c: -c.rank,
        )
        counts["claims_below_relevance"] += len(mine) - len(pool)
        pool = pool[: per_passage * 2]
        if not pool:
            continue
        picks: list[tuple[Candidate, str]] = []
        if cfg.use_llm:
            picks, errs = _choose(ctx, question, p, pool, per_passage)
            errors += errs
        by = "llm" if picks else "rules"
        if not picks:
            picks = [(c, "") for c in pool[:per_passage]]
        chosen += [(c, restated, by) for c, restated in picks]
    chosen.sort(key=lambda t: -t[0].rank)
    return chosen


def _source_results(
    cands: list[Candidate],
    cand_vecs: np.ndarray,
    claims: list[Claim],
    kept_vecs: list[np.ndarray],
    cfg: ExtractionSettings,
) -> list[Candidate]:
    """Up to ``cfg.source_results`` headline results per cited source, not yet quoted: the
    source's own results on its first pages, strongest finding cue first."""
    cited = {c.doc_id for c in answer_claims(claims)}
    if not cfg.source_results or not cited:
        return []
    room = Counter(dict.fromkeys(cited, cfg.source_results))
    room.subtract(c.doc_id for c in claims if c.kind == "source_result")
    quoted = {(c.doc_id, c.page, c.char_start) for c in claims}
    scored = [
        (finding_score(c.quote), i, c)
        for i, c in enumerate(cands)
        if c.passage.doc_id in cited
        and c.passage.page <= cfg.source_result_pages
        and (c.passage.doc_id, c.passage.page, c.start) not in quoted
        and is_own_result(c.quote)
    ]
    pool = sorted(
        ((score, i, c) for score, i, c in scored if score >= SOURCE_RESULT_MIN_FINDING),
        key=lambda t: (-t[0], -t[2].relevance),
    )
    vecs = list(kept_vecs)
    out: list[Candidate] = []
    for _, i, c in pool:
        if room[c.passage.doc_id] <= 0:
            continue
        if vecs and float(np.max(np.asarray(vecs) @ cand_vecs[i])) >= SOURCE_RESULT_DUPLICATE:
            continue
        out.append(c)
        vecs.append(cand_vecs[i])
        room[c.passage.doc_id] -= 1
    return out


def _claim(
    cand: Candidate,
    text: str,
    number: int,
    round_: int,
    by: str,
    kind: ClaimKind = "answer",
) -> Claim:
    p = cand.passage
    return Claim(
        id=f"C{number}",
        text=text,
        verbatim=text == normalize(cand.quote),
        doc_id=p.doc_id,
        title=p.title,
        page=p.page,
        char_start=cand.start,
        char_end=cand.end,
        quote=cand.quote,
        passage_id=p.id,
        sub_question=cand.sub_question,
        relevance=round(cand.relevance, 4),
        round=round_,
        selected_by=by,
        kind=kind,
    )


@timed("extractor")
def extractor(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Turn the kept, not yet used passages into grounded claims."""
    ctx = runtime.context
    cfg = ctx.settings.extraction
    kept = set(state.get("kept_passage_ids", []))
    done = set(state.get("extracted_passage_ids", []))
    passages = [p for p in state.get("passages", []) if p.id in kept and p.id not in done]
    existing = state.get("claims", [])
    taken = {(c.doc_id, c.page, c.char_start) for c in existing}
    counts: Counter[str] = Counter({"claims_rejected_ungrounded_entity": 0})
    errors: list[StepError] = []
    cands = _candidates(passages, ctx.get_store(), taken, cfg, counts)
    if not cands:
        return {"extracted_passage_ids": [p.id for p in passages], "counters": dict(counts)}
    cand_vecs, kept_vecs = _rank(ctx, state, cands, existing)
    index = {id(c): i for i, c in enumerate(cands)}
    chosen = _select(ctx, state["question"], passages, cands, counts, errors)

    room = max(0, cfg.max_claims - len(existing))
    claims: list[Claim] = []
    echo = prompt_echo(ctx, "extractor")
    rejected: list[tuple[str, str]] = []
    round_ = state.get("round", 1)
    for cand, restated, by in chosen:
        if len(claims) >= room:
            counts["claims_over_budget"] += 1
            continue
        vec = cand_vecs[index[id(cand)]]
        if kept_vecs and float(np.max(np.asarray(kept_vecs) @ vec)) >= DUPLICATE_COSINE:
            counts["claims_duplicate"] += 1
            continue
        text = _claim_text(restated, cand.quote, cfg, counts, echo, rejected)
        number = len(existing) + len(claims) + 1
        claims.append(_claim(cand, text, number, round_, by))
        kept_vecs.append(vec)
    for cand in _source_results(cands, cand_vecs, [*existing, *claims], kept_vecs, cfg):
        number = len(existing) + len(claims) + 1
        text = normalize(cand.quote)
        claims.append(_claim(cand, text, number, round_, "rules", kind="source_result"))
        counts["claims_source_results"] += 1
    counts["claims_extracted"] += len(claims)
    counts["extractor_outputs_rejected"] += len(rejected)
    counts["llm_outputs_rejected"] += len(rejected)
    if rejected:
        errors.append(rejection_error("extractor", "restatements", rejected))
    return {
        "claims": claims,
        "extracted_passage_ids": [p.id for p in passages],
        "errors": errors,
        "counters": dict(counts),
    }
