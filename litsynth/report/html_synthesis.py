"""The synthesis part of the HTML report: direct answer, sections, evidence table, agreement and
conflict, context. The same content as the Markdown report, escaped like the rest of the page."""

from __future__ import annotations

from litsynth.report.escape import escape_html as _e
from litsynth.report.evidence import TABLE_COLUMNS, table_cells
from litsynth.schema.report import AnswerSentence, Synthesis


def _ids(claim_ids: list[str]) -> str:
    return f" [{_e(', '.join(claim_ids))}]"


def _sentence(s: AnswerSentence) -> str:
    how = "" if s.written_by == "template" else " <em>(written by the LLM)</em>"
    return f"<li>{_e(s.text)}{_ids(s.claim_ids)}{how}</li>"


def _items(items: list[str], empty: str) -> str:
    return f"<ul>{''.join(items)}</ul>" if items else f"<p>{_e(empty)}</p>"


def answer_html(syn: Synthesis) -> str:
    """The direct answer, first on the page."""
    sentences = [_sentence(s) for s in syn.answer]
    empty = "No verified sentence answers the question from the supported evidence."
    return f'<h2>Answer</h2><div id="answer">{_items(sentences, empty)}</div>'


def _table(syn: Synthesis) -> str:
    if not syn.findings:
        return "<p>No supported claim states a result about the question.</p>"
    head = "".join(f"<th>{_e(c)}</th>" for c in TABLE_COLUMNS)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{_e(c)} [{_e(f.claim_id)}]</td>" if c else "<td>–</td>" for c in table_cells(f)
        )
        + "</tr>"
        for f in syn.findings
    )
    return f'<table id="evidence"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def synthesis_html(syn: Synthesis) -> str:
    """Sections per sub-question, the evidence table, agreement and conflict, and context."""
    out = ["<h2>Results by sub-question</h2>"]
    for sec in syn.sections:
        out.append(f"<h3>{_e(sec.sub_question)}</h3>")
        out.append(_items([_sentence(s) for s in sec.sentences], ""))
    if not syn.sections:
        out.append("<p>No sub-question has a verified answer sentence.</p>")
    out += ["<h3>Evidence table</h3>", _table(syn)]
    agreements = [
        f"<li>{_e(a.kind)}: {_e(a.explanation)}{_ids(a.claim_ids)}</li>"
        for a in syn.shown_agreements()
    ]
    out.append("<h2>Agreement and conflict across sources</h2>")
    out.append(_items(agreements, "No two sources report on the same setting."))
    out.append("<h2>Context</h2><p>Background and method descriptions (quoted, not results):</p>")
    out.append(_items([f"<li>{_e(c.text)}{_ids(c.claim_ids)}</li>" for c in syn.context], "None."))
    if syn.off_topic_claims:
        out.append(
            f"<p>Left out as not about '{_e(syn.subject)}': "
            f"{_e(', '.join(syn.off_topic_claims))}.</p>"
        )
    return "".join(out)
