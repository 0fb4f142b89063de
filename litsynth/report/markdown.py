"""Render a Report as Markdown."""

from __future__ import annotations

import json

from litsynth.report.escape import escape_inline
from litsynth.schema.report import Report


def _cell(text: str) -> str:
    return escape_inline(text)


def _claims_table(report: Report) -> list[str]:
    lines = [
        "| id | claim | verdict | confidence | source | page | span | quoted span |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in report.claims:
        conf = f"{c.confidence:.2f}" if c.confidence is not None else "–"
        lines.append(
            f"| {c.id} | {_cell(c.text)} | {c.verdict or 'pending'} | {conf} | "
            f"{_cell(c.title)} (`{c.doc_id}`) | {c.page} | {c.char_start}:{c.char_end} | "
            f"“{_cell(c.quote)}” |"
        )
    return lines


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
        "## Results",
        "",
    ]
    if report.results:
        out += [f"- {_cell(s.text)} [{', '.join(s.claim_ids)}]" for s in report.results]
    else:
        out.append("No claim was supported by its cited evidence; there are no results to report.")
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
