"""The reader's rubric: is the answer about the question's subject, does it answer, combine
sources and show their conflicts. Each criterion can fail: an off-topic source or no answer
scores low here, and the aggregator caps the quality score on them."""

from __future__ import annotations

from collections import defaultdict

from litsynth.report.evidence import at_asked_bits, bits_label, side
from litsynth.schema.records import CriterionScore, Finding, answer_claims
from litsynth.schema.report import AnswerSentence
from litsynth.schema.state import ReviewerInput
from litsynth.text.finding_fields import ACCURACY_DIRECTIONS, asked_bits, asks_accuracy, at_bits
from litsynth.text.subject import subject_of

ANSWERS = "answers_question"
RELEVANCE = "relevance"


def ratio(n: int, d: int) -> float:
    """n / d, 0 when d is 0."""
    return n / d if d else 0.0


def criterion(criterion: str, value: float, reason: str) -> CriterionScore:
    """A criterion's score clipped to [0, 10], rounded, with its reason."""
    return CriterionScore(
        criterion=criterion, score=round(min(10.0, max(0.0, value)), 2), reason=reason
    )


def relevance(r: ReviewerInput) -> CriterionScore:
    """Share of listed sources and claims about the question's subject (the lower of the two)."""
    claims = r["claims"]
    syn = r.get("synthesis")
    subject = subject_of(r["question"])
    on_topic = set(syn.on_topic_sources) if syn else set()
    if syn is None or not subject.name:
        on_topic = {c.doc_id for c in claims}
    sources = {c.doc_id for c in claims}
    good_sources = sources & on_topic
    good_claims = [c for c in claims if c.doc_id in on_topic]
    off = sorted(sources - on_topic)
    share = min(ratio(len(good_sources), len(sources)), ratio(len(good_claims), len(claims)))
    about = f"'{subject.name}'" if subject.name else "the question (no subject named)"
    return criterion(
        RELEVANCE,
        10 * share,
        f"{len(good_sources)} of {len(sources)} cited sources and {len(good_claims)} of "
        f"{len(claims)} claims are about {about}"
        + (f"; off-topic: {', '.join(off)}" if off else ""),
    )


def answer_bearing(r: ReviewerInput) -> CriterionScore:
    """Share of supported claims that state a result about the question."""
    sup = [c for c in answer_claims(r["claims"]) if c.verdict == "supported"]
    syn = r.get("synthesis")
    bearing = len(syn.findings) if syn else 0
    return criterion(
        "answer_bearing_share",
        10 * ratio(bearing, len(sup)),
        f"{bearing} of {len(sup)} supported claims state a result about the question; the "
        "rest are background, method description or off-topic",
    )


def facet_coverage(r: ReviewerInput) -> CriterionScore:
    """Answered facets count 1, partial ones 1/2."""
    cov = r.get("coverage") or []
    if not cov:
        return criterion("facet_coverage", 5.0, "no facets were found in the question")
    answered = sum(1 for c in cov if c.status == "answered")
    partial = sum(1 for c in cov if c.status == "partial")
    return criterion(
        "facet_coverage",
        10 * (answered + partial / 2) / len(cov),
        f"{answered} of {len(cov)} facets answered, {partial} partial",
    )


def _cited(r: ReviewerInput) -> dict[str, list[Finding]]:
    """Findings of the evidence table by claim id."""
    syn = r.get("synthesis")
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in syn.findings if syn else []:
        out[f.claim_id].append(f)
    return out


def answers_question(r: ReviewerInput) -> CriterionScore:
    """Whether the direct answer answers what was asked: its lead sentence states the kind of
    effect asked about (accuracy, or any effect) at the bits the question names, and how many
    of its sentences state such an effect. Verified sentences about something else (a scaling
    trend for "how to quantize to 8-bit", a 4-bit conflict for an 8-bit question) score low."""
    syn = r.get("synthesis")
    answer = syn.answer if syn else []
    if not answer:
        return criterion(ANSWERS, 0.0, "no verified sentence answers the question")
    by_claim = _cited(r)
    question = r["question"]
    accuracy, wanted = asks_accuracy(question), asked_bits(question)
    kind = "an accuracy effect" if accuracy else "an effect"

    def findings(s: AnswerSentence) -> list[Finding]:
        return [f for i in s.claim_ids for f in by_claim.get(i, [])]

    def effect(s: AnswerSentence) -> bool:
        if accuracy:
            return any(f.direction in ACCURACY_DIRECTIONS for f in findings(s))
        return any(f.direction != "none" for f in findings(s))

    lead = answer[0]
    checks = [effect(lead)]
    reason = f"the lead sentence {'states' if checks[0] else 'does not state'} {kind}"
    if wanted:
        on_bits = any(at_bits(wanted, f.weight_bits) for f in findings(lead))
        checks.append(on_bits)
        reason += f", {'at' if on_bits else 'not at'} the {bits_label(sorted(wanted))} asked about"
    stating = sum(1 for s in answer if effect(s))
    value = 10 * (sum(checks) + ratio(stating, len(answer))) / (len(checks) + 1)
    return criterion(
        ANSWERS, value, f"{reason}; {stating} of {len(answer)} answer sentences state {kind}"
    )


def synthesis(r: ReviewerInput) -> CriterionScore:
    """Share of direct-answer sentences that combine two or more sources."""
    syn = r.get("synthesis")
    doc = {c.id: c.doc_id for c in r["claims"]}
    answer = syn.answer if syn else []
    combined = sum(1 for s in answer if len({doc.get(i, i) for i in s.claim_ids}) >= 2)
    every = syn.sentences() if syn else []
    combined_all = sum(1 for s in every if len({doc.get(i, i) for i in s.claim_ids}) >= 2)
    return criterion(
        "synthesis",
        10 * ratio(combined, len(answer)),
        f"{combined} of {len(answer)} direct-answer sentences ({combined_all} of {len(every)} "
        "answer sentences overall) combine two or more sources",
    )


def conflicts_shown(r: ReviewerInput) -> CriterionScore:
    """Conflicts across sources that the answer shows, of those found."""
    syn = r.get("synthesis")
    conflicts = [a for a in syn.agreements if a.kind == "conflict"] if syn else []
    wanted, by_claim = asked_bits(r["question"]), _cited(r)
    if wanted:  # a conflict at other bits than those asked about is not the answer's to show
        conflicts = [
            a
            for a in conflicts
            if at_asked_bits(a, [f for i in a.claim_ids for f in by_claim.get(i, [])], wanted)
        ]
    cited = {i for s in syn.sentences() for i in s.claim_ids} if syn else set()
    sources = {c.doc_id for c in r["claims"] if c.verdict == "supported"}
    at = f" at {bits_label(sorted(wanted))}" if wanted else ""
    if not conflicts:
        value = 10.0 if len(sources) > 1 else 5.0
        return criterion(
            "conflicts_shown",
            value,
            f"no conflict found{at} among {len(sources)} supported sources"
            + ("" if len(sources) > 1 else "; one source cannot be cross-checked"),
        )
    # a side is shown by its own claim, or by a cited claim of the same source and side
    sides = {side(f) for i in cited for f in by_claim.get(i, [])}
    shown = sum(
        1
        for a in conflicts
        if all(
            i in cited
            or any(
                side(f) in sides for f in by_claim.get(i, []) if f.direction in ACCURACY_DIRECTIONS
            )
            for i in a.claim_ids
        )
    )
    return criterion(
        "conflicts_shown",
        10 * ratio(shown, len(conflicts)),
        f"{shown} of {len(conflicts)} conflicts between sources are shown in the answer",
    )


def measure(r: ReviewerInput) -> list[CriterionScore]:
    """All of the reader's criteria."""
    return [
        answers_question(r),
        relevance(r),
        answer_bearing(r),
        facet_coverage(r),
        synthesis(r),
        conflicts_shown(r),
    ]
