"""Structured findings from supported claims, and agreement or conflict across sources."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from litsynth.schema.records import Claim, Contradiction, Finding, Passage, SourceAgreement
from litsynth.text.finding_fields import (
    ACCURACY_DIRECTIONS,
    answers_asked,
    at_bits,
    read_fields,
    title_head,
)
from litsynth.text.findings import finding_score, is_boilerplate, is_own_result
from litsynth.text.subject import Subject, subject_of
from litsynth.text.terms import key_terms, term_stem

RESULT_CUE = 0.4
KEPT = ("no_loss", "small_loss")


def on_topic_sources(
    subject: Subject, passages: Sequence[Passage], claims: Sequence[Claim]
) -> set[str]:
    """Sources whose title, a retrieved passage or a quote names the question's subject."""
    texts: dict[str, list[str]] = defaultdict(list)
    for p in passages:
        texts[p.doc_id] += [p.title, p.text]
    for c in claims:
        texts[c.doc_id] += [c.title, c.quote]
    return {doc for doc, parts in texts.items() if subject.mentioned_in(" ".join(parts))}


def _about_question(quote: str, question: str, title: str = "") -> bool:
    # "converted to Int8 ... without performance degradation" answers an 8-bit question
    # though it shares none of its words.
    if answers_asked(quote, question, title):
        return True
    stems = {term_stem(t) for t in key_terms(question)}
    return bool(stems & {term_stem(t) for t in key_terms(quote)})


def read_finding(claim: Claim, question: str, on_topic: bool, part: str = "") -> Finding:
    """The claim's quote (or ``part`` of it) read into fields; answer-bearing when it states a
    result on the question."""
    text = part or claim.quote
    fields = read_fields(text, claim.title)
    stated = fields.direction != "none" or bool(fields.value)
    # An accuracy effect at a stated bit width is a result even when the sentence opens like a
    # method description ("In this work, we ... show that INT4 ... causes a significant drop").
    measured = fields.direction in ACCURACY_DIRECTIONS and bool(fields.weight_bits)
    bearing = (
        on_topic
        and stated
        and (measured or finding_score(claim.quote) >= RESULT_CUE)
        and not is_boilerplate(claim.quote)
        and is_own_result(claim.quote)
        and _about_question(claim.quote, question, claim.title)
    )
    return Finding(
        claim_id=claim.id,
        doc_id=claim.doc_id,
        title=claim.title,
        sub_question=claim.sub_question,
        method=fields.method,
        model=fields.model,
        weight_bits=fields.weight_bits,
        bits_text=fields.bits_text,
        activation_bits=fields.activation_bits,
        metric=fields.metric,
        value=fields.value,
        direction=fields.direction,
        compared_with=fields.compared_with,
        answer_bearing=bearing,
        span=part,
    )


_CONTRAST = re.compile(r",\s+but\s+|;\s+however,?\s+|,\s+whereas\s+")


def read_findings(claim: Claim, question: str, on_topic: bool) -> list[Finding]:
    """The claim's findings: one, or two when the quote contrasts a kept and a lost accuracy
    ("INT4 introduces no or negligible accuracy degradation for encoder-only and
    encoder-decoder models, but causes a significant accuracy drop for decoder-only models":
    read whole, the answer kept the first half and lost the failure for decoder-only models).
    The second half inherits what it leaves unsaid (method, bits) from the first."""
    m = _CONTRAST.search(claim.quote)
    if m is None:
        return _on_subject([read_finding(claim, question, on_topic)], question)
    a = read_finding(claim, question, on_topic, claim.quote[: m.start()])
    b = read_finding(claim, question, on_topic, claim.quote[m.end() :])
    sides = {a.direction in KEPT, b.direction in KEPT}
    if not {a.direction, b.direction} <= set(ACCURACY_DIRECTIONS) or sides != {True, False}:
        return _on_subject([read_finding(claim, question, on_topic)], question)
    b = b.model_copy(
        update={
            "method": b.method or a.method,
            "weight_bits": b.weight_bits or a.weight_bits,
            "bits_text": b.bits_text or a.bits_text,
            "activation_bits": b.activation_bits or a.activation_bits,
            # the same quote, and the half states an accuracy effect: as bearing as the first
            "answer_bearing": a.answer_bearing,
        }
    )
    return _on_subject([a, b], question)


def _on_subject(findings: list[Finding], question: str) -> list[Finding]:
    """A finding stated only for a kind of model the question does not ask about (encoder-only
    and encoder-decoder models, for a question on large language models) bears no answer: the
    demo's answer had counted INT4's "no loss for encoder-only and encoder-decoder models" as
    one of "2 sources" on large language models."""
    subject = subject_of(question)
    return [
        f.model_copy(update={"answer_bearing": False})
        if f.answer_bearing and subject.only_others(f.model or "")
        else f
        for f in findings
    ]


def bits_label(bits: Sequence[int]) -> str:
    """'4-bit', '3-4-bit' or '3/4/8-bit'."""
    if not bits:
        return ""
    if len(bits) == 2 and bits[1] - bits[0] == 1:
        return f"{bits[0]}-{bits[1]}-bit"
    return "/".join(str(b) for b in bits) + "-bit"


TABLE_COLUMNS = (
    "method",
    "model",
    "weight bits",
    "activation bits",
    "metric",
    "result",
    "compared with",
)


def table_cells(f: Finding) -> list[str]:
    """A finding's evidence-table row, in :data:`TABLE_COLUMNS` order ('' for an empty cell)."""
    result = " ".join(x for x in (f.direction.replace("_", " "), f.value) if x != "none")
    return [
        f.method,
        f.model,
        bits_label(f.weight_bits),
        bits_label(f.activation_bits),
        f.metric,
        result,
        f.compared_with,
    ]


def source_label(f: Finding) -> str:
    """Who states the finding: its method ("GPTQ"), else its paper ("the SpQR paper", or the
    title's head in quotes), so a finding about prior methods is not read as the paper's own
    method losing accuracy."""
    if f.method:
        return f.method
    words = title_head(f.title).split()
    if len(words) <= 2:
        return f"the {' '.join(words)} paper"
    return f'"{" ".join(words[:6])}{"..." if len(words) > 6 else ""}"'


def _labelled(f: Finding) -> str:
    setting = ", ".join(p for p in (f.model, bits_label(f.weight_bits)) if p)
    return f"{source_label(f)} ({setting})" if setting else source_label(f)


_COMPARED_FIELDS = ("method", "model", "weight bits", "metric")


def _fields(f: Finding) -> tuple[str, ...]:
    return (f.method, f.model, bits_label(f.weight_bits), f.metric)


def differing_fields(a: Finding, b: Finding) -> list[str]:
    """'model (GPT-175B vs 1-10B-parameter models)' for each field both state differently;
    bit widths differ only when they do not overlap (3-4-bit and 4-bit share 4)."""
    overlap = bool(set(a.weight_bits) & set(b.weight_bits))
    return [
        f"{name} ({x} vs {y})"
        for name, x, y in zip(_COMPARED_FIELDS, _fields(a), _fields(b), strict=True)
        if x and y and x.casefold() != y.casefold() and not (name == "weight bits" and overlap)
    ]


def _differences(a: Finding, b: Finding) -> str:
    diffs = differing_fields(a, b)
    one_sided = [
        name
        for name, x, y in zip(_COMPARED_FIELDS, _fields(a), _fields(b), strict=True)
        if bool(x) != bool(y)
    ]
    out = f"; they differ in {', '.join(diffs)}" if diffs else ""
    if one_sided:
        out += f"; only one states the {' and '.join(one_sided)}"
    return out or "; the stated settings match"


def at_asked_bits(a: SourceAgreement, sides: Sequence[Finding], wanted: set[int]) -> bool:
    """Whether an agreement or conflict is at the bits asked about: by the one width its
    sources share when there is one, so GPTQ's "3 or 4 bits" does not carry a 4-bit conflict
    into a 3-bit answer; else by the bits its findings state (any, when none are asked)."""
    if not wanted:
        return True
    if a.width is not None:
        return a.width in wanted
    return any(at_bits(wanted, f.weight_bits) for f in sides)


def agreements(findings: Sequence[Finding]) -> list[SourceAgreement]:
    """Per weight bit width, sources that agree on the accuracy effect, and those that conflict."""
    by_bits: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.answer_bearing and f.direction in ACCURACY_DIRECTIONS:
            for width in f.weight_bits:
                by_bits[width].append(f)
    out: list[SourceAgreement] = []
    for bits in sorted(by_bits):
        group = by_bits[bits]
        kept = one_per_source([f for f in group if f.direction in KEPT])
        lost = one_per_source([f for f in group if f.direction == "loss"])
        setting = f"{bits}-bit weights, accuracy"
        for agreeing, word in ((kept, "little or no accuracy loss"), (lost, "an accuracy loss")):
            if len(agreeing) >= 2:
                out.append(
                    SourceAgreement(
                        kind="agreement",
                        setting=setting,
                        width=bits,
                        claim_ids=[f.claim_id for f in agreeing],
                        doc_ids=[f.doc_id for f in agreeing],
                        explanation=f"{len(agreeing)} sources report {word} at {bits}-bit "
                        f"weights ({'; '.join(_labelled(f) for f in agreeing)}).",
                    )
                )
        if kept and lost:
            a = kept[0]
            b = next((f for f in lost if f.doc_id != a.doc_id), None)
            shown = {tuple(x.claim_ids) for x in out if x.kind == "conflict"}
            if b is not None and (a.claim_id, b.claim_id) not in shown:
                out.append(
                    SourceAgreement(
                        kind="conflict",
                        setting=setting,
                        width=bits,
                        claim_ids=[a.claim_id, b.claim_id],
                        doc_ids=[a.doc_id, b.doc_id],
                        explanation=f"At {bits}-bit weights, {_labelled(a)} keeps accuracy while "
                        f"{_labelled(b)} loses it{_differences(a, b)}.",
                    )
                )
    return out


def has_setting(f: Finding) -> bool:
    """Whether a finding names what it is about (method, model or bits): an evidence-table row
    of only a metric and a direction tells the reader nothing they can compare."""
    return bool(f.method or f.model or f.weight_bits)


def shared_setting(a: Finding, b: Finding) -> str:
    """What two findings are both about (bits, model, method, metric), or '' when nothing: a
    contradiction between findings about different settings is not a conflict a reader can use."""
    parts = []
    bits = sorted(set(a.weight_bits) & set(b.weight_bits))
    if bits:
        parts.append(f"{bits_label(bits)} weights")
    for field in ("model", "method"):
        x, y = getattr(a, field), getattr(b, field)
        if x and x.casefold() == y.casefold():
            parts.append(x)
    if parts and a.metric and a.metric == b.metric:
        parts.append(a.metric)
    return ", ".join(parts)


def verifier_conflicts(
    contradictions: Sequence[Contradiction],
    claims: Sequence[Claim],
    findings: Sequence[Finding],
) -> list[SourceAgreement]:
    """The verifier's cross-source contradictions as conflicts, when the two findings state
    results (answer-bearing) and share a setting (bits, model or method): two claims that
    merely share words are not a conflict, nor is a result against a setup sentence (the chat
    had SpQR's losses "conflict" with k-bit scaling's "we run more than 35,000 experiments")."""
    doc = {c.id: c.doc_id for c in claims}
    by_id = {f.claim_id: f for f in findings}
    out = []
    for x in contradictions:
        if x.claim_a not in doc or x.claim_b not in doc or doc[x.claim_a] == doc[x.claim_b]:
            continue
        a, b = by_id.get(x.claim_a), by_id.get(x.claim_b)
        bearing = a is not None and b is not None and a.answer_bearing and b.answer_bearing
        setting = shared_setting(a, b) if a and b and bearing else ""
        if not setting:
            continue
        shared = set(a.weight_bits) & set(b.weight_bits) if a and b else set()
        out.append(
            SourceAgreement(
                kind="conflict",
                setting=setting,
                width=next(iter(shared)) if len(shared) == 1 else None,
                claim_ids=[x.claim_a, x.claim_b],
                doc_ids=[doc[x.claim_a], doc[x.claim_b]],
                explanation=f"The verifier finds {x.claim_a} contradicted by {x.claim_b}'s quote "
                f"({x.reason}).",
            )
        )
    return out


def side(f: Finding) -> tuple[str, bool]:
    """(source, keeps accuracy): what an answer clause stands for. The answer gives one clause
    per source and side, so GPTQ on OPT-175B stands for GPTQ on BLOOM-176B in a conflict too."""
    return f.doc_id, f.direction in KEPT


def one_per_source(findings: Sequence[Finding], limit: int | None = None) -> list[Finding]:
    """The first finding of each source, in order, at most ``limit``."""
    seen: dict[str, Finding] = {}
    for f in findings:
        seen.setdefault(f.doc_id, f)
    return list(seen.values())[:limit]
