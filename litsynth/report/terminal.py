"""The answer of a turn as chat and ``ask`` show it: short Markdown drawn from the report.

The answer is the report's synthesis cut to what a terminal can show: the verdict line, the
direct answer (the abstract when there is none), the key supported claims with ``[n]``
citations into a numbered source list, and the gaps coverage found. The full report stays one
command away (``/export``, ``--out``).
"""

from __future__ import annotations

from litsynth.schema.records import Claim, answer_claims
from litsynth.schema.report import Reference, Report

KEY_CLAIMS = 5


def citation_numbers(report: Report) -> dict[str, int]:
    """Document id -> its 1-based number in the report's reference list."""
    return {r.doc_id: i for i, r in enumerate(report.references, 1)}


def key_claims(report: Report, limit: int = KEY_CLAIMS) -> list[Claim]:
    """The supported claims the results cite first, then the most confident others."""
    by_id = {c.id: c for c in answer_claims(report.supported_claims())}
    ids = [i for s in report.results for i in s.claim_ids if i in by_id]
    ids += [c.id for c in sorted(by_id.values(), key=lambda c: -(c.confidence or 0.0))]
    return [by_id[i] for i in dict.fromkeys(ids)][:limit]


def verdict_line(report: Report) -> str:
    """Gate verdict, quality and claim counts in one line."""
    return (
        f"**{report.gate_verdict}** · quality {report.quality_score:.1f}/10 "
        f"({report.quality_tier}) · {report.verification_line()}"
    )


def _reference_line(n: int, ref: Reference) -> str:
    year = f" ({ref.year})" if ref.year else ""
    return f"[{n}] {ref.title}{year}, `{ref.doc_id}`"


def gaps(report: Report) -> list[str]:
    """One line per facet the supported evidence does not answer."""
    out = []
    for cov in report.coverage:
        if cov.status == "gap":
            out.append(f"{cov.facet.name}: no evidence in the corpus")
        elif cov.status == "partial":
            out.append(f"{cov.facet.name}: partial ({cov.closest})")
    return out


def direct_answer(report: Report) -> list[str]:
    """The report's answer sentences with the claims they cite; none when the synthesis drafted
    none (the abstract then says why)."""
    answer = report.synthesis.answer if report.synthesis is not None else []
    return [f"{s.text} [{', '.join(s.claim_ids)}]" for s in answer]


def answer_markdown(report: Report) -> str:
    """The turn's answer as Markdown (render with rich, or print as is when piped)."""
    numbers = citation_numbers(report)
    sentences = direct_answer(report)
    lines = [verdict_line(report), ""]
    if sentences:
        lines += ["**Answer**", ""] + [f"- {s}" for s in sentences] + [""]
    else:
        lines += [report.abstract, ""]
    claims = key_claims(report)
    if claims:
        lines += ["**Key supported claims**", ""]
        lines += [
            f"- {c.text} [{numbers.get(c.doc_id, '?')}] ({c.id}, {c.confidence or 0.0:.2f})"
            for c in claims
        ]
        lines.append("")
    missing = gaps(report)
    if missing:
        lines += ["**Gaps**", ""] + [f"- {g}" for g in missing] + [""]
    cited = {numbers[c.doc_id] for c in claims if c.doc_id in numbers}
    refs = [_reference_line(n, r) for n, r in enumerate(report.references, 1) if n in cited]
    if refs:
        lines += ["**Sources**", ""] + [f"- {r}" for r in refs]
    return "\n".join(lines).rstrip() + "\n"
