"""Render a Report as Markdown."""

from __future__ import annotations

import json

from litsynth.report.escape import escape_inline
from litsynth.report.evidence import TABLE_COLUMNS, table_cells
from litsynth.schema.report import AnswerSentence, Report, Synthesis


def _cell(text: str) -> str:
    return escape_inline(text)


def _claims_table(report: Report) -> list[str]:
    lines = [
        "| id | claim | status | confidence | source | page | span | quoted span |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report.claims:
        conf = f"{c.confidence:.2f}" if c.confidence is not None else "–"
        status: str = "quoted" if c.verbatim else (c.verdict or "pending")
        if c.kind == "source_result":
            status += " (source result)"
        lines.append(
            f"| {c.id} | {_cell(c.text)} | {status} | {conf} | "
            f"{_cell(c.title)} (`{c.doc_id}`) | {c.page} | {c.char_start}:{c.char_end} | "
            f"“{_cell(c.quote)}” |"
        )
    return lines


def _sentence(s: AnswerSentence) -> str:
    how = "" if s.written_by == "template" else " (written by the LLM)"
    return f"- {_cell(s.text)} [{', '.join(s.claim_ids)}]{how}"


def _cited(value: str, claim_id: str) -> str:
    return f"{_cell(value)} [{claim_id}]" if value else "–"


def evidence_table(syn: Synthesis) -> list[str]:
    """Method x model x bits x metric x result; every filled cell cites its claim."""
    if not syn.findings:
        return ["No supported claim states a result about the question."]
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "---|" * len(TABLE_COLUMNS)]
    for f in syn.findings:
        lines.append("| " + " | ".join(_cited(c, f.claim_id) for c in table_cells(f)) + " |")
    return lines


def _answer(syn: Synthesis) -> list[str]:
    out = ["## Answer", ""]
    out += [_sentence(s) for s in syn.answer] or [
        "No verified sentence answers the question from the supported evidence."
    ]
    return [*out, ""]


def _synthesis(syn: Synthesis) -> list[str]:
    out = ["## Results by sub-question", ""]
    for sec in syn.sections:
        out += [f"### {_cell(sec.sub_question)}", "", *[_sentence(s) for s in sec.sentences], ""]
    if not syn.sections:
        out += ["No sub-question has a verified answer sentence.", ""]
    out += ["### Evidence table", "", *evidence_table(syn), ""]
    out += ["## Agreement and conflict across sources", ""]
    shown = syn.shown_agreements()
    out += [f"- {a.kind}: {a.explanation} [{', '.join(a.claim_ids)}]" for a in shown] or [
        "No two sources report on the same setting."
    ]
    out += ["", "## Context", "", "Background and method descriptions (quoted, not results):", ""]
    out += [f"- {c.text} [{', '.join(c.claim_ids)}]" for c in syn.context] or ["None."]
    if syn.off_topic_claims:
        out += [
            "",
            f"Left out as not about '{syn.subject}': {', '.join(syn.off_topic_claims)}.",
        ]
    return out


def source_results(report: Report) -> list[str]:
    """The cited sources' other headline results, quoted and grouped by source."""
    by_doc = report.source_results()
    if not by_doc:
        return []
    out = [
        "## Other results of the cited sources",
        "",
        "Headline results each cited source states in its abstract or introduction, quoted; "
        "not part of the answer above:",
        "",
    ]
    for claims in by_doc.values():
        out.append(f"- **{_cell(claims[0].title)}**")
        out += [f"  - “{_cell(c.quote)}” [{c.id}]" for c in claims]
    return ["", *out]


def _evidence(report: Report) -> list[str]:
    lines = []
    for c in report.claims:
        if c.verdict_reason or c.evidence:
            lines.append(f"- **{c.id}** ({c.judge}): {c.verdict_reason}")
            for e in c.evidence[:2]:
                lines.append(f"  - p. {e.page}, {e.char_start}:{e.char_end}: “{_cell(e.text)}”")
    return lines


def _coverage_table(report: Report) -> list[str]:
    if not report.coverage:
        return ["No facets were recorded for this run."]
    lines = [
        "| facet | kind | status | claims | closest evidence |",
        "|---|---|---|---|---|",
    ]
    for c in report.coverage:
        lines.append(
            f"| {_cell(c.facet.name)} | {c.facet.kind} | {c.status} | "
            f"{', '.join(c.claim_ids) or '–'} | {_cell(c.closest) or '–'} |"
        )
    return lines


def render_markdown(report: Report) -> str:
    """The whole report as one Markdown document."""
    agg = report.panel.aggregate
    out = [f"# {report.title}", ""]
    out += [
        f"**Quality** {report.quality_score:.1f}/10 · **tier** {report.quality_tier} · "
        f"**gate verdict** {report.gate_verdict}",
        "",
        *(_answer(report.synthesis) if report.synthesis is not None else []),
        "## Abstract",
        "",
        report.abstract,
        "",
        "## Introduction",
        "",
        report.introduction,
        "",
        "## Methodology",
        "",
        report.methodology,
        "",
    ]
    if report.synthesis is not None:
        out += _synthesis(report.synthesis)
    else:
        out += ["## Results", ""]
        out += [f"- {_cell(s.text)} [{', '.join(s.claim_ids)}]" for s in report.results] or [
            "No claim was supported by its cited evidence; there are no results to report."
        ]
    out += source_results(report)
    out += ["", "## Coverage", "", *_coverage_table(report)]
    out += ["", "## Limitations", ""] + [f"- {line}" for line in report.limitations]
    out += ["", "## Claims", "", *_claims_table(report)]
    evidence = _evidence(report)
    if evidence:
        out += ["", "### Verifier evidence", "", *evidence]
    out += ["", "## Contradictions between sources", ""]
    if report.contradictions:
        out += [
            f"- {x.claim_a} vs {x.claim_b} (confidence {x.confidence:.2f}): {x.reason}"
            for x in report.contradictions
        ]
    else:
        out.append("None found among similar claims from different sources.")
    out += ["", "## References", ""]
    for i, r in enumerate(report.references, 1):
        who = ", ".join(r.authors[:3]) + (" et al." if len(r.authors) > 3 else "")
        year = f" ({r.year})" if r.year else ""
        out.append(
            f"{i}. {_cell(who)}{'. ' if who else ''}{_cell(r.title)}{year}. `{r.doc_id}` — "
            f"cited by {', '.join(r.claim_ids)}"
        )
    if not report.references:
        out.append("No source was cited.")
    out += ["", "## Sources kept and dropped by the relevance gate", ""]
    out += [f"- kept `{k.doc_id}` {_cell(k.title)}: {_cell(k.reason)}" for k in report.kept_sources]
    out += [
        f"- dropped `{d.doc_id}` {_cell(d.title)} ({d.decided_by}): {_cell(d.reason)}"
        for d in report.dropped_sources
    ]
    out += ["", "## Reviewer panel", ""]
    for rv in report.panel.reviews:
        out.append(f"### {rv.reviewer}: {rv.score:.1f}/10 ({rv.source})")
        out += [f"- {c.criterion}: {c.score:.1f} — {c.reason}" for c in rv.criteria]
        out.append("")
    out += [
        f"Panel mean {agg.mean:.2f}, spread {agg.spread:.2f}, agreement {agg.agreement:.2f}.",
        "",
    ]
    out += [f"- {rule}" for rule in agg.rules]
    if report.errors:
        out += ["", "## Errors recorded during the run", ""]
        out += [f"- {e.node} / {e.kind}: {e.message}" for e in report.errors]
    out += [
        "",
        "## Provenance manifest",
        "",
        "```json",
        json.dumps(report.manifest.model_dump(mode="json", exclude={"config"}), indent=2),
        "```",
        "",
    ]
    return "\n".join(out)
