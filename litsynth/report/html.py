"""Render a Report as one self-contained HTML file: inline CSS, no scripts, no network.

Every piece of text from a source or a model goes through ``html.escape``: a paper's text is
shown, never executed. Quoted spans are ``<details>`` elements, collapsible without scripts.
"""

from __future__ import annotations

import json

from litsynth.report.escape import escape_html as _e
from litsynth.report.html_synthesis import answer_html, synthesis_html
from litsynth.report.terminal import citation_numbers
from litsynth.schema.records import Claim
from litsynth.schema.report import Report

_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:72rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem;
margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}
tr.supported td.verdict{background:#d9f2dd;color:#155724}
tr.contradicted td.verdict{background:#f8d7da;color:#721c24}
tr.unverified td.verdict{background:#fff3cd;color:#856404}
tr.pending td.verdict{background:#eee}
td.gap{background:#f8d7da}td.partial{background:#fff3cd}td.answered{background:#d9f2dd}
details summary{cursor:pointer;color:#0645ad}
blockquote{margin:.3rem 0;padding:.3rem .6rem;border-left:3px solid #aaa;background:#fafafa}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;background:#eef;
margin-right:.4rem}
pre{background:#f6f8fa;padding:.8rem;overflow:auto;font-size:.8rem}
"""


def _claim_row(c: Claim, number: int | None) -> str:
    verdict = c.verdict or "pending"
    conf = f"{c.confidence:.2f}" if c.confidence is not None else "–"
    evidence = "".join(
        f"<blockquote>p. {e.page}, {e.char_start}:{e.char_end}: {_e(e.text)}</blockquote>"
        for e in c.evidence[:3]
    )
    reason = f"<p>{_e(c.judge)}: {_e(c.verdict_reason)}</p>" if c.verdict_reason else ""
    cite = f"[{number}] " if number else ""
    return (
        f'<tr class="{_e(verdict)}" id="claim-{_e(c.id)}"><td>{_e(c.id)}</td>'
        f'<td>{_e(c.text)}</td><td class="verdict">{_e(verdict)}</td><td>{conf}</td>'
        f"<td>{cite}{_e(c.title)}<br><code>{_e(c.doc_id)}</code></td><td>{c.page}</td>"
        f"<td><details><summary>p. {c.page}, chars {c.char_start}:{c.char_end}</summary>"
        f"<blockquote>{_e(c.quote)}</blockquote>{reason}{evidence}</details></td></tr>"
    )


def _claims(report: Report) -> str:
    numbers = citation_numbers(report)
    rows = "".join(_claim_row(c, numbers.get(c.doc_id)) for c in report.claims)
    return (
        '<table id="claims"><thead><tr><th>id</th><th>claim</th><th>verdict</th>'
        "<th>confidence</th><th>source</th><th>page</th><th>quoted span</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _source_results(report: Report) -> str:
    by_doc = report.source_results()
    if not by_doc:
        return ""
    items = "".join(
        f"<li><strong>{_e(cs[0].title)}</strong>{_list([f'“{c.quote}” [{c.id}]' for c in cs])}</li>"
        for cs in by_doc.values()
    )
    return (
        "<h2>Other results of the cited sources</h2><p>Headline results each cited source "
        "states in its abstract or introduction, quoted; not part of the answer above.</p>"
        f"<ul>{items}</ul>"
    )


def _coverage(report: Report) -> str:
    if not report.coverage:
        return "<p>No facets were recorded for this run.</p>"
    rows = "".join(
        f"<tr><td>{_e(c.facet.name)}</td><td>{_e(c.facet.kind)}</td>"
        f'<td class="{_e(c.status)}">{_e(c.status)}</td><td>{_e(", ".join(c.claim_ids))}</td>'
        f"<td>{_e(c.closest)}</td></tr>"
        for c in report.coverage
    )
    return (
        '<table id="coverage"><thead><tr><th>facet</th><th>kind</th><th>status</th>'
        f"<th>claims</th><th>closest evidence</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _panel(report: Report) -> str:
    agg = report.panel.aggregate
    parts = []
    for rv in report.panel.reviews:
        crit = "".join(
            f"<tr><td>{_e(c.criterion)}</td><td>{c.score:.1f}</td><td>{_e(c.reason)}</td></tr>"
            for c in rv.criteria
        )
        parts.append(
            f"<h3>{_e(rv.reviewer)}: {rv.score:.1f}/10 ({_e(rv.source)})</h3>"
            f"<p>{_e(rv.comment)}</p><table><thead><tr><th>criterion</th><th>score</th>"
            f"<th>reason</th></tr></thead><tbody>{crit}</tbody></table>"
        )
    rules = "".join(f"<li>{_e(r)}</li>" for r in agg.rules)
    parts.append(
        f"<p>Panel mean {agg.mean:.2f}, spread {agg.spread:.2f}, agreement "
        f"{agg.agreement:.2f}.</p><ul>{rules}</ul>"
    )
    return '<section id="panel">' + "".join(parts) + "</section>"


def _sources(report: Report) -> str:
    kept = "".join(
        f"<li>kept <code>{_e(k.doc_id)}</code> {_e(k.title)}: {_e(k.reason)}</li>"
        for k in report.kept_sources
    )
    dropped = "".join(
        f"<li>dropped <code>{_e(d.doc_id)}</code> {_e(d.title)} ({_e(d.decided_by)}): "
        f"{_e(d.reason)}</li>"
        for d in report.dropped_sources
    )
    return f"<ul>{kept}{dropped}</ul>"


def _references(report: Report) -> str:
    items = "".join(
        f'<li id="ref-{i}">{_e(", ".join(r.authors[:3]))}{" et al." if len(r.authors) > 3 else ""}'
        f"{'. ' if r.authors else ''}{_e(r.title)}{f' ({r.year})' if r.year else ''}. "
        f"<code>{_e(r.doc_id)}</code>, cited by {_e(', '.join(r.claim_ids))}</li>"
        for i, r in enumerate(report.references, 1)
    )
    return f"<ol>{items}</ol>" if items else "<p>No source was cited.</p>"


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"


def render_html(report: Report) -> str:
    """The whole report as one HTML document that needs nothing else to display."""
    results = (
        _list([f"{s.text} [{', '.join(s.claim_ids)}]" for s in report.results])
        if report.results
        else "<p>No claim was supported by its cited evidence.</p>"
    )
    contradictions = (
        _list(
            [
                f"{x.claim_a} vs {x.claim_b} (confidence {x.confidence:.2f}): {x.reason}"
                for x in report.contradictions
            ]
        )
        if report.contradictions
        else "<p>None found among similar claims from different sources.</p>"
    )
    errors = _list([f"{e.node} / {e.kind}: {e.message}" for e in report.errors])
    manifest = json.dumps(report.manifest.model_dump(mode="json"), indent=2)
    body = [
        f"<h1>{_e(report.title)}</h1>",
        f'<p><span class="badge">{_e(report.gate_verdict)}</span>'
        f'<span class="badge">quality {report.quality_score:.1f}/10 '
        f"({_e(report.quality_tier)})</span></p>",
        answer_html(report.synthesis) if report.synthesis is not None else "",
        f"<h2>Abstract</h2><p>{_e(report.abstract)}</p>",
        f"<h2>Introduction</h2><p>{_e(report.introduction)}</p>",
        f"<h2>Methodology</h2><p>{_e(report.methodology)}</p>",
        synthesis_html(report.synthesis)
        if report.synthesis is not None
        else f"<h2>Results</h2>{results}",
        _source_results(report),
        f"<h2>Coverage</h2>{_coverage(report)}",
        f"<h2>Limitations</h2>{_list(report.limitations)}",
        f"<h2>Claims</h2>{_claims(report)}",
        f"<h2>Contradictions between sources</h2>{contradictions}",
        f"<h2>References</h2>{_references(report)}",
        f"<h2>Sources kept and dropped</h2>{_sources(report)}",
        f"<h2>Reviewer panel</h2>{_panel(report)}",
        f"<h2>Errors</h2>{errors}" if report.errors else "",
        f'<h2>Provenance manifest</h2><pre id="manifest">{_e(manifest)}</pre>',
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">"
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(b for b in body if b)
        + "</body></html>\n"
    )
