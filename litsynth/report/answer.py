"""Answer sentences drafted by templates over structured findings.

A sentence is a lead plus one clause per finding; each clause names the finding's conditions
(method, model, bits) and the result span of its quote, so the verifier can check every
clause against the one quote it cites. A sentence whose clauses come from two or more sources
is a synthesis; the lead only summarises the directions its clauses carry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from litsynth.report.evidence import (
    KEPT,
    at_asked_bits,
    bits_label,
    differing_fields,
    has_setting,
    one_per_source,
    side,
    source_label,
)
from litsynth.schema.records import Claim, Finding, SourceAgreement
from litsynth.text.finding_fields import (
    DIRECTIONS,
    asked_bits,
    asked_effects,
    asks_accuracy,
    at_bits,
)

MAX_CLAUSES = 3
MAX_SECTION_SENTENCES = 4
MAX_SPAN_WORDS = 28
# A condition that qualifies the result just before it, kept in the clause.
_CONDITION = re.compile(
    r"\s*(?:especially|particularly|notably|mainly|even|except|unless|when|if|for|on|at|"
    r"in(?! contrast| addition| comparison| summary| this))\b",
    re.I,
)
# "We show that X": the clause states X.
_REPORTING = re.compile(
    r"^(?:(?:we|our (?:\w+ )?(?:findings|results|experiments|analysis)|(?:the )?results|"
    r"(?:the )?experiments) (?:also |further |empirically )?)?(?:show|find|found|demonstrate|"
    r"observe|reveal|confirm|indicate)s? that\s+",
    re.I,
)
# "(see Appendix C.3)", "(Figure 2)": a pointer into the paper, not part of the result.
_POINTER = re.compile(
    r"\s*\((?:see )?(?:appendix|app\.|figure|fig\.|table|section|sec\.|§)[^()]*\)", re.I
)
_LEADING = re.compile(r"^(?:and|with|while|which|that|but|whereas|so|thus|,|;|:)\s+", re.I)


def _stop(text: str) -> str:
    """``text`` ending in one full stop: a clause cut short keeps its "...", not "...."."""
    return text if text.endswith(".") else text + "."


@dataclass
class Part:
    """A clause and the claim whose quote it must be supported by."""

    clause: str
    claim_id: str
    doc_id: str
    span: str = ""  # the part of the quote the clause reads, when the quote contrasts two

    def as_sentence(self) -> str:
        """The clause on its own, as the verifier reads it."""
        return _stop(self.clause[0].upper() + self.clause[1:])


@dataclass
class Draft:
    """A sentence before verification: lead and clauses.

    ``{sources}`` in the lead becomes "One source finds" / "N sources find" for the clauses
    present, so a lead stays true when a clause is dropped; a lead that compares sources needs
    ``min_parts`` clauses and is left out below that.
    """

    lead: str
    parts: list[Part] = field(default_factory=list)
    section: str = ""
    min_parts: int = 1

    def text(self) -> str:
        """The sentence: lead, then the clauses joined by semicolons."""
        n = len({p.doc_id for p in self.parts})
        lead = self.lead.replace("{sources}", "One source finds" if n == 1 else f"{n} sources find")
        if not lead or len(self.parts) < self.min_parts:
            if len(self.parts) == 1:
                return self.parts[0].as_sentence()
            return _stop("; ".join(p.clause for p in self.parts))
        return _stop(f"{lead}: {'; '.join(p.clause for p in self.parts)}")

    def claim_ids(self) -> list[str]:
        """Claims cited, in clause order."""
        return list(dict.fromkeys(p.claim_id for p in self.parts))


def result_span(quote: str) -> str:
    """The clause of the quote that carries its result, with the condition that follows it
    ("..., especially for smaller models"); the whole quote when none is found."""
    text = _POINTER.sub("", " ".join(quote.split())).rstrip(".")
    for _, pattern in DIRECTIONS:
        m = pattern.search(text)
        if m:
            start = max(text.rfind(c, 0, m.start()) for c in ",;:")
            end = _clause_end(text, m.end())
            if (cond := _CONDITION.match(text, end + 1)) is not None:
                longer = _clause_end(text, cond.end())
                if len(text[start + 1 : longer].split()) <= MAX_SPAN_WORDS:
                    end = longer
            span = _LEADING.sub("", text[start + 1 : end].strip())
            span = _REPORTING.sub("", span)
            if 4 <= len(span.split()) <= MAX_SPAN_WORDS:
                return span
            break
    words = text.split()
    return " ".join(words[:MAX_SPAN_WORDS]) + ("..." if len(words) > MAX_SPAN_WORDS else "")


def _clause_end(text: str, after: int) -> int:
    ends = [i for i in (text.find(c, after) for c in (",", ";", ": ")) if i != -1]
    return min(ends) if ends else len(text)


def conditions(f: Finding) -> str:
    """'OPT-175B, 3 or 4 bits per weight, 8-bit activations' or ''; bits as the quote words them,
    so the clause names nothing its quote does not."""
    parts = [f.model]
    if f.weight_bits:
        worded = f.bits_text or bits_label(f.weight_bits)
        if re.search(r"weight|parameter|W\d", worded):
            parts.append(worded)
        else:  # "3-4 bits" is a count ("3-4 bits per weight"), "4-bit" an adjective
            parts.append(f"{worded} per weight" if worded.endswith("bits") else f"{worded} weights")
    if f.activation_bits:
        parts.append(f"{bits_label(f.activation_bits)} activations")
    return ", ".join(p for p in parts if p)


def clause(f: Finding, claim: Claim) -> Part:
    """'GPTQ (OPT-175B, 3-4-bit weights): negligible accuracy degradation ...'."""
    cond = conditions(f)
    who = f"{source_label(f)} ({cond})" if cond else source_label(f)
    span = result_span(f.span or claim.quote)
    first = span.split(" ", 1)[0]
    if first[:1].isupper() and not any(c.isupper() for c in first[1:]):  # not "SpQR", "GPTQ"
        span = span[0].lower() + span[1:]
    return Part(clause=f"{who}: {span}", claim_id=f.claim_id, doc_id=f.doc_id, span=f.span)


def _rank(findings: Sequence[Finding], wanted_bits: set[int]) -> list[Finding]:
    """Findings on the bits the question asks about first, then those stating a condition (a
    value or a model), so a source's lead clause says at what it holds."""
    return sorted(
        findings,
        key=lambda f: (
            not (wanted_bits & set(f.weight_bits)),
            not f.weight_bits,
            not (f.value or f.model),
        ),
    )


def _topic(question: str, wanted_bits: set[int], on_bits: bool) -> str:
    """What the leads say is studied: the bits asked about, weight quantization, or '' when the
    question is not about quantization (the leads then name only the effect)."""
    if question and "quantiz" not in question.casefold():
        return ""
    return f"{bits_label(sorted(wanted_bits))} weight quantization" if on_bits else "quantization"


def direct_answer(
    findings: Sequence[Finding],
    claims: dict[str, Claim],
    agreements: Sequence[SourceAgreement],
    subject: str,
    wanted_bits: set[int],
    question: str = "",
) -> list[Draft]:
    """The effect, when it fails, other effects, and conflicts: a few sentences. A question that
    does not ask about accuracy (memory, speed, how to finetune) gets the other effects first."""
    bearing = _rank([f for f in findings if f.answer_bearing], wanted_bits)
    on_bits = [f for f in bearing if wanted_bits & set(f.weight_bits)]
    accuracy = on_bits if on_bits else bearing
    kept = one_per_source([f for f in accuracy if f.direction in KEPT], MAX_CLAUSES)
    lost = one_per_source([f for f in accuracy if f.direction == "loss"], MAX_CLAUSES)
    # Other effects at bits the question does not ask about (INT8 speedups for a 4-bit
    # question) do not answer it; nor does a speed-up a memory question did not ask for.
    effects = asked_effects(question) or ("speedup", "memory_saving", "gain")
    other = one_per_source(
        [
            f
            for f in bearing
            if f.direction in effects
            and has_setting(f)
            and (not f.weight_bits or at_bits(wanted_bits, f.weight_bits))
        ],
        2,
    )
    what = _topic(question, wanted_bits, bool(on_bits))
    of = f" of {subject}" if subject else ""
    by_id = {f.claim_id: f for f in findings}
    conflicts = _conflicts(agreements, by_id, claims, wanted_bits)
    # A conflict whose sides the answer already states (see ``evidence.side``) is named in the
    # loss sentence's lead, not re-quoted: the demo's answer had said each of GPTQ's and INT4's
    # clauses three times.
    stated = {side(f) for f in (*kept, *lost)}
    named = [
        (a, pair)
        for a, pair in conflicts
        if all(side(f) in stated for f in pair) and any(f.direction == "loss" for f in pair)
    ]
    drafts: list[Draft] = []
    if kept:
        drafts.append(
            Draft(
                f"{{sources}} that {what}{of} costs little or no accuracy"
                if what
                else "{sources} little or no loss of accuracy",
                [clause(f, claims[f.claim_id]) for f in kept],
            )
        )
    if lost:
        lead = (
            # with no differing field named, each clause carries its own condition
            "Accuracy is lost under other conditions"
            + (
                f", so the sources conflict at {_where(named)}"
                if named
                else (f" ({differ})" if (differ := _differing(kept, lost)) else "")
            )
            if kept
            else f"{{sources}} that {what}{of} loses accuracy"
            if what
            else "{sources} a loss of accuracy"
        )
        drafts.append(Draft(lead, [clause(f, claims[f.claim_id]) for f in lost]))
    if other:
        asks = not question or asks_accuracy(question)
        others = Draft(
            "The sources also report" if asks else "{sources}",
            [clause(f, claims[f.claim_id]) for f in other],
        )
        drafts.insert(len(drafts) if asks else 0, others)
    for a, pair in [c for c in conflicts if c not in named][:2]:
        diffs = differing_fields(*pair)
        drafts.append(
            Draft(
                f"At {a.setting.split(',')[0]} the sources differ"
                + (f" by {', '.join(diffs)}" if diffs else ""),
                [clause(f, claims[f.claim_id]) for f in pair],
                min_parts=2,
            )
        )
    return drafts


def _conflicts(
    agreements: Sequence[SourceAgreement],
    by_id: dict[str, Finding],
    claims: dict[str, Claim],
    wanted_bits: set[int],
) -> list[tuple[SourceAgreement, list[Finding]]]:
    """Conflicts with both findings in the answer; when the question names bits, only those at
    them: a conflict at other bits does not answer it."""
    out = []
    for a in agreements:
        pair = [by_id[i] for i in a.claim_ids if i in by_id and i in claims]
        if a.kind == "conflict" and len(pair) == 2 and at_asked_bits(a, pair, wanted_bits):
            out.append((a, pair))
    return out


def _where(conflicts: Sequence[tuple[SourceAgreement, list[Finding]]]) -> str:
    """'3-bit weights, where they differ by model (GPT-175B vs 1-10B parameter models), and
    4-bit weights, ...': each setting once, with what differs between its two sources."""
    out: dict[str, str] = {}
    for a, pair in conflicts:
        at = a.setting.split(",")[0]
        if at not in out:
            diffs = differing_fields(*pair)
            out[at] = at + (f", where they differ by {' and '.join(diffs)}" if diffs else "")
    return ", and at ".join(out.values())


def _differing(kept: Sequence[Finding], lost: Sequence[Finding]) -> str:
    conds: list[str] = []
    low = min((b for f in kept for b in f.weight_bits), default=None)
    lost_bits = sorted({b for f in lost for b in f.weight_bits})
    if low is not None and lost_bits and lost_bits[0] < low:
        conds.append(f"down to {lost_bits[0]}-bit weights")
    methods = {f.method for f in lost if f.method} - {f.method for f in kept if f.method}
    if methods:
        conds.append("with " + ", ".join(sorted(methods)))
    models = {f.model for f in lost if f.model} - {f.model for f in kept if f.model}
    if models:
        conds.append("on " + ", ".join(sorted(models)))
    return ", ".join(conds)  # "; " separates statements


def section(
    sub_question: str,
    findings: Sequence[Finding],
    claims: dict[str, Claim],
    agreements: Sequence[SourceAgreement],
) -> list[Draft]:
    """A sub-question's answer: one sentence per agreement, those at the bits it asks about
    first, then one per remaining finding. (The demo's 4-bit section said "Sources agree on
    little or no accuracy loss at 3-bit weights": GPTQ's and SpQR's "3-4 bits" agree at both
    widths, and the 3-bit agreement came first and took both claims.)"""
    mine = {f.claim_id: f for f in findings if f.answer_bearing}
    drafts: list[Draft] = []
    used: set[str] = set()
    wanted = asked_bits(sub_question)
    for a in sorted(agreements, key=lambda a: a.width is not None and a.width not in wanted):
        if a.kind != "agreement":
            continue
        ids = [i for i in a.claim_ids if i in mine and i not in used]
        sides = _agreeing_side(findings, ids)
        if len(ids) >= 2 and sides is not None:
            kept, picked = sides
            effect = "little or no accuracy loss" if kept else "an accuracy loss"
            drafts.append(
                Draft(
                    f"Sources agree on {effect} at {a.setting.split(',')[0]}",
                    [clause(picked[i], claims[i]) for i in ids],
                    sub_question,
                    min_parts=2,
                )
            )
            used.update(ids)
    for f in mine.values():
        if f.claim_id not in used and has_setting(f) and len(drafts) < MAX_SECTION_SENTENCES:
            drafts.append(Draft("", [clause(f, claims[f.claim_id])], sub_question))
            used.add(f.claim_id)
    return drafts


def _agreeing_side(
    findings: Sequence[Finding], ids: Sequence[str]
) -> tuple[bool, dict[str, Finding]] | None:
    """The side (kept: True, lost: False) that every claim in ``ids`` has a finding on, with
    that finding per claim; kept first. A quote contrasting a kept and a lost accuracy has one
    finding on each side, and the agreement is about only one of them."""
    for kept in (True, False):
        picked = {
            f.claim_id: f
            for f in findings
            if f.answer_bearing
            and f.claim_id in ids
            and (f.direction in KEPT if kept else f.direction == "loss")
        }
        if len(picked) == len(ids):
            return kept, picked
    return None
