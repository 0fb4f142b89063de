"""The report's prose parts, written from the run's records by stated templates."""

from __future__ import annotations

from collections.abc import Sequence

from litsynth.schema.records import (
    Claim,
    DroppedSource,
    FacetCoverage,
    KeptSource,
    PanelAggregate,
    answer_claims,
)
from litsynth.schema.report import ResultSentence, Synthesis
from litsynth.text.grounding import is_whole_sentence, ungrounded_entities

TOP_FINDINGS = 2


def _count(claims: Sequence[Claim], label: str) -> int:
    return sum(1 for c in claims if c.verdict == label)


def gap_sentence(cov: FacetCoverage) -> str:
    """One plain sentence for a facet the corpus holds nothing on."""
    return f"The corpus holds no evidence on {cov.facet.name}."


def partial_sentence(cov: FacetCoverage) -> str:
    """One plain sentence for a facet covered only by a near neighbour."""
    return (
        f"Evidence on {cov.facet.name} is partial ({cov.closest}; "
        f"{', '.join(cov.claim_ids)}), not on {cov.facet.name} itself."
    )


def abstention(coverage: Sequence[FacetCoverage]) -> str | None:
    """The up-front statement when no facet of the question is answered; else None."""
    if not coverage or any(c.status == "answered" for c in coverage):
        return None
    return (
        "The corpus does not answer this question: none of its "
        f"{len(coverage)} facets ({', '.join(c.facet.name for c in coverage)}) is answered by "
        "a supported claim."
    )


def abstract(
    question: str,
    claims: Sequence[Claim],
    kept: Sequence[KeptSource],
    dropped: Sequence[DroppedSource],
    agg: PanelAggregate,
    coverage: Sequence[FacetCoverage] = (),
    synthesis: Synthesis | None = None,
) -> str:
    """The direct answer first; then what was found, what the corpus cannot answer, how far to
    trust it. Verbatim quotes are counted as quoted, not as verified."""
    sup = sorted(
        (c for c in answer_claims(claims) if c.verdict == "supported"), key=lambda c: -c.relevance
    )
    parts = [f"This synthesis asks: {question}"]
    up_front = abstention(coverage)
    if up_front:
        parts.append(up_front)
    answer = synthesis.answer if synthesis is not None else []
    if answer:  # the lead only: the Answer section above gives the rest
        lead = answer[0]
        rest = len(answer) - 1
        more = f" ({rest} more answer sentence{'s' if rest > 1 else ''} above)" if rest else ""
        parts.append(f"In short: {lead.text} [{', '.join(lead.claim_ids)}]{more}.")
    parts.append(
        f"The relevance gate kept {len(kept)} sources and dropped {len(dropped)} as off-topic."
    )
    if not claims:
        parts.append("No claim could be grounded in the kept sources.")
    else:
        restated = [c for c in claims if not c.verbatim]
        how = (
            f"{len(restated)} restated ({_count(restated, 'supported')} of them supported by "
            "their cited spans)"
            if restated
            else "none restated"
        )
        extra = len(claims) - len(answer_claims(claims))
        apart = (
            f" ({extra} of them other headline results of the cited sources, listed apart from "
            "the answer)"
            if extra
            else ""
        )
        parts.append(
            f"{len(claims)} claims were taken from them{apart}: "
            f"{len(claims) - len(restated)} quoted verbatim (located on their pages; a quote is "
            f"not verified against itself), {how}; "
            f"{_count(claims, 'unverified')} unverified and {_count(claims, 'contradicted')} "
            "contradicted in all."
        )
    if synthesis is not None:
        n = synthesis.counts
        parts.append(
            f"Of {n.get('answer_sentences_drafted', 0)} answer sentences drafted, "
            f"{len(synthesis.sentences())} were verified against the quotes they cite "
            f"({n.get('answer_sentences_rewritten', 0)} rewritten, "
            f"{n.get('answer_sentences_dropped', 0)} dropped)."
        )
    if not answer:
        for c in sup[:TOP_FINDINGS]:
            parts.append(f'{c.title} reports: "{c.text}" [{c.id}]')
    if coverage:
        answered = [c.facet.name for c in coverage if c.status == "answered"]
        if answered:
            parts.append(f"Supported evidence answers: {', '.join(answered)}.")
        parts += [partial_sentence(c) for c in coverage if c.status == "partial"]
        parts += [gap_sentence(c) for c in coverage if c.status == "gap"]
    if agg.gate_verdict == "insufficient_evidence" and not up_front:
        parts.append("The corpus holds no supported evidence on this question.")
    parts.append(
        f"Quality {agg.quality_score:.1f}/10 ({agg.tier} tier); gate verdict: {agg.gate_verdict}."
    )
    return " ".join(parts)


def results_from_claims(claims: Sequence[Claim], limit: int) -> list[ResultSentence]:
    """One results sentence per supported claim, most relevant first, grouped by sub-question."""
    sup = [c for c in claims if c.verdict == "supported"]
    order = {q: i for i, q in enumerate(dict.fromkeys(c.sub_question for c in sup))}
    sup.sort(key=lambda c: (order[c.sub_question], -c.relevance))
    return [ResultSentence(text=c.text, claim_ids=[c.id]) for c in sup[:limit]]


def checked_synthesis(
    drafted: Sequence[tuple[str, list[str]]], claims: Sequence[Claim]
) -> tuple[list[ResultSentence], int]:
    """Keep drafted sentences that cite supported claims and say nothing beyond them."""
    supported = {c.id: c for c in claims if c.verdict == "supported"}
    kept: list[ResultSentence] = []
    rejected = 0
    for text, ids in drafted:
        cited = [supported[i] for i in dict.fromkeys(ids) if i in supported]
        basis = " ".join(f"{c.text} {c.quote}" for c in cited)
        if not cited or not is_whole_sentence(text) or ungrounded_entities(text, basis):
            rejected += 1
            continue
        kept.append(ResultSentence(text=" ".join(text.split()), claim_ids=[c.id for c in cited]))
    return kept, rejected


def limitations(
    claims: Sequence[Claim],
    kept: Sequence[KeptSource],
    n_documents: int,
    judge: str,
    llm_failures: int,
    min_supported: int,
    coverage: Sequence[FacetCoverage] = (),
) -> list[str]:
    """What the evidence does not establish, in plain sentences."""
    out = [gap_sentence(c) for c in coverage if c.status == "gap"]
    out += [partial_sentence(c) for c in coverage if c.status == "partial"]
    sup = _count(claims, "supported")
    unv = _count(claims, "unverified")
    con = _count(claims, "contradicted")
    if sup < min_supported:
        out.append(
            f"Only {sup} claims are supported, fewer than the {min_supported} this product asks "
            "for before it trusts a synthesis."
        )
    if unv:
        out.append(
            f"{unv} claims could not be verified against their cited span; they are listed but "
            "not used in the results."
        )
    if con:
        out.append(f"{con} claims are contradicted by their own cited passage and are not used.")
    if len({c.doc_id for c in claims}) == 1:
        out.append("All claims come from a single source, so no finding is corroborated.")
    out.append(
        f"Evidence is limited to the {n_documents} documents in the store; the gate kept "
        f"{len(kept)} of them for this question. Work outside the store was not searched."
    )
    out.append(
        f"Verdicts come from an automatic verifier ({judge}); its confidences are probabilities "
        "calibrated on benchmark data, not guarantees."
    )
    if llm_failures:
        out.append(
            f"The chat model's answer was unusable {llm_failures} times; rule-based fallbacks "
            "were used there (see Errors)."
        )
    return out
