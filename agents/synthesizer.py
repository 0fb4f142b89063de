"""Synthesizer node: findings, a direct answer and a section per sub-question, each verified.

Supported claims are read into structured findings (``litsynth.report.evidence``); answer
sentences are drafted by templates over them (``litsynth.report.answer``), or, when
``report.use_llm`` is on, the direct answer is written by the LLM (prompt ``synthesis``).
Every sentence is then judged by the configured verifier against the quotes it cites: a
template sentence clause by clause (each clause against its own quote), an LLM sentence as a
whole. An unsupported LLM sentence is rewritten from templates; an unsupported clause is
dropped from its sentence. Both are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langgraph.runtime import Runtime

from litsynth.agents.context import Context
from litsynth.agents.support import ask, timed
from litsynth.report import answer, compose, evidence
from litsynth.report.answer import Draft
from litsynth.schema.judgements import SynthesisDraft
from litsynth.schema.records import Claim, Finding, StepError, answer_claims
from litsynth.schema.report import AnswerSection, AnswerSentence, ResultSentence, Synthesis
from litsynth.schema.state import ResearchState
from litsynth.schema.verdicts import EvidencePassage, Verdict
from litsynth.text.finding_fields import asked_bits
from litsynth.text.subject import subject_of

MAX_CONTEXT = 4


def _evidence(claim: Claim, span: str = "") -> EvidencePassage:
    """The claim's quote, or the part of it a clause reads (its page offsets kept): a clause on
    one half of "no loss for encoder models, but a significant drop for decoder-only models"
    read against the whole quote looks contradicted by the other half."""
    at = claim.quote.find(span) if span else -1
    start = claim.char_start + max(at, 0)
    text = span if at >= 0 else claim.quote
    return EvidencePassage(
        text=text,
        doc_id=claim.doc_id,
        page=claim.page,
        char_start=start,
        char_end=start + len(text),
        title=claim.title,
    )


def _judge_parts(
    ctx: Context, drafts: Sequence[Draft], claims: dict[str, Claim]
) -> list[list[Verdict]]:
    """One verdict per clause, each against the quote of the claim it cites."""
    items = [
        (p.as_sentence(), [_evidence(claims[p.claim_id], p.span)]) for d in drafts for p in d.parts
    ]
    flat = ctx.get_verifier().verify_many(items) if items else []
    out: list[list[Verdict]] = []
    i = 0
    for d in drafts:
        out.append(flat[i : i + len(d.parts)])
        i += len(d.parts)
    return out


def verified_templates(
    ctx: Context, drafts: Sequence[Draft], claims: dict[str, Claim], counts: dict[str, int]
) -> list[tuple[str, AnswerSentence]]:
    """(section, sentence) for each draft with a supported clause; unsupported clauses dropped."""
    out: list[tuple[str, AnswerSentence]] = []
    for d, verdicts in zip(drafts, _judge_parts(ctx, drafts, claims), strict=True):
        counts["answer_sentences_drafted"] += 1
        ok = [(p, v) for p, v in zip(d.parts, verdicts, strict=True) if v.label == "supported"]
        if len(ok) < (d.min_parts if len(d.parts) >= d.min_parts else 1):
            # none supported, or a comparison left with one side (it compares nothing)
            counts["answer_sentences_dropped"] += 1
            continue
        rewritten = len(ok) < len(d.parts)
        counts["answer_sentences_rewritten"] += rewritten
        kept = Draft(d.lead, [p for p, _ in ok], d.section, d.min_parts)
        out.append(
            (
                d.section,
                AnswerSentence(
                    text=kept.text(),
                    claim_ids=kept.claim_ids(),
                    written_by="template",
                    verdict="supported",
                    confidence=round(min(v.confidence for _, v in ok), 4),
                    rewritten=rewritten,
                ),
            )
        )
    return out


def _llm_answer(
    ctx: Context,
    question: str,
    findings: Sequence[Finding],
    claims: dict[str, Claim],
    fallback: Sequence[Draft],
    counts: dict[str, int],
) -> tuple[list[AnswerSentence], list[StepError]]:
    """The LLM's direct answer, each sentence verified against all quotes it cites."""
    listing = "\n".join(
        f"{f.claim_id} | {f.method or '-'} | {f.model or '-'} | "
        f"{evidence.bits_label(f.weight_bits) or '-'} | {f.metric or '-'} | {f.direction} | "
        f"{claims[f.claim_id].quote}"
        for f in findings
        if f.answer_bearing
    )
    draft, errors = ask(
        ctx, "synthesizer", "synthesis", SynthesisDraft, question=question, findings=listing
    )
    if draft is None:
        return [s for _, s in verified_templates(ctx, fallback, claims, counts)], errors
    checked, rejected = compose.checked_synthesis(
        [(s.text, s.claim_ids) for s in draft.sentences], list(claims.values())
    )
    sentences = [(s.text, s.claim_ids) for s in checked]
    counts["answer_sentences_rejected_ungrounded"] += rejected
    counts["answer_sentences_drafted"] += rejected
    if not sentences:
        return [s for _, s in verified_templates(ctx, fallback, claims, counts)], errors
    verdicts = ctx.get_verifier().verify_many(
        [(t, [_evidence(claims[i]) for i in ids]) for t, ids in sentences]
    )
    out: list[AnswerSentence] = []
    for (text, ids), v in zip(sentences, verdicts, strict=True):
        counts["answer_sentences_drafted"] += 1
        if v.label == "supported":
            out.append(
                AnswerSentence(
                    text=" ".join(text.split()),
                    claim_ids=ids,
                    written_by="llm",
                    verdict="supported",
                    confidence=round(v.confidence, 4),
                )
            )
            continue
        redo = [d for d in fallback if set(d.claim_ids()) & set(ids)]
        again = [s for _, s in verified_templates(ctx, redo[:1], claims, counts)]
        counts["answer_sentences_rewritten" if again else "answer_sentences_dropped"] += 1
        out += [s.model_copy(update={"rewritten": True}) for s in again]
    return out, errors


@timed("synthesizer")
def synthesizer(state: ResearchState, *, runtime: Runtime[Context]) -> dict[str, Any]:
    """Structured findings, agreements and verified answer sentences from supported claims."""
    ctx = runtime.context
    question = state["question"]
    subject = subject_of(question)
    supported = sorted(
        (c for c in answer_claims(state.get("claims", [])) if c.verdict == "supported"),
        key=lambda c: int(c.id[1:]),
    )
    on_topic = evidence.on_topic_sources(subject, state.get("passages", []), supported)
    findings = [
        f for c in supported for f in evidence.read_findings(c, question, c.doc_id in on_topic)
    ]
    agree = evidence.agreements(findings) + evidence.verifier_conflicts(
        state.get("contradictions", []), supported, findings
    )
    claims = {c.id: c for c in supported if c.doc_id in on_topic}
    wanted = asked_bits(question)
    counts = dict.fromkeys(
        (
            "answer_sentences_drafted",
            "answer_sentences_rewritten",
            "answer_sentences_dropped",
            "answer_sentences_rejected_ungrounded",
        ),
        0,
    )
    direct = answer.direct_answer(findings, claims, agree, subject.name, wanted, question)
    errors: list[StepError] = []
    if ctx.settings.report.use_llm and any(f.answer_bearing for f in findings):
        answer_sentences, errors = _llm_answer(ctx, question, findings, claims, direct, counts)
    else:
        answer_sentences = [s for _, s in verified_templates(ctx, direct, claims, counts)]
    subs = list(dict.fromkeys(f.sub_question for f in findings if f.answer_bearing))
    drafts = [
        d
        for sq in subs
        for d in answer.section(sq, [f for f in findings if f.sub_question == sq], claims, agree)
    ]
    by_section: dict[str, list[AnswerSentence]] = {}
    for sq, s in verified_templates(ctx, drafts, claims, counts):
        by_section.setdefault(sq, []).append(s)
    # Setting-less results ("quantization trades accuracy for memory") that no answer sentence
    # cites read as background, so they join the context.
    cited = {i for s in answer_sentences for i in s.claim_ids}
    cited |= {i for ss in by_section.values() for s in ss for i in s.claim_ids}
    bearing = {
        f.claim_id
        for f in findings
        if f.answer_bearing and (evidence.has_setting(f) or f.claim_id in cited)
    }
    synthesis = Synthesis(
        subject=subject.name,
        answer=answer_sentences,
        sections=[
            AnswerSection(sub_question=sq or "Other findings", sentences=by_section[sq])
            for sq in subs
            if sq in by_section
        ],
        findings=[f for f in findings if f.answer_bearing and evidence.has_setting(f)],
        agreements=agree,
        context=[
            ResultSentence(text=c.text, claim_ids=[c.id])
            for c in supported
            if c.id not in bearing and c.doc_id in on_topic
        ][:MAX_CONTEXT],
        off_topic_claims=[c.id for c in supported if c.doc_id not in on_topic],
        on_topic_sources=sorted(on_topic),
        counts=counts,
    )
    return {"synthesis": synthesis, "errors": errors}
