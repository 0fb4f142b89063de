"""The reviewers' rubrics: each criterion is measured from the run, with its figures as reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from litsynth.agents import answer_rubric
from litsynth.agents.answer_rubric import criterion as _score
from litsynth.agents.answer_rubric import ratio as _ratio
from litsynth.schema.records import CriterionScore, answer_claims
from litsynth.schema.report import statement_counts
from litsynth.schema.state import ReviewerInput
from litsynth.text.findings import finding_score
from litsynth.verification.features import QUOTED_TITLE, numbers, unit_of

RESULT_CUE = 0.4


def evidence_strength(r: ReviewerInput) -> list[CriterionScore]:
    """How much of the synthesis rests on verified statements, from how many sources.

    A verbatim quote is *quoted*, not verified: the verifier would compare it with itself. The
    verification rate counts only statements that are not verbatim (restated claims and answer
    sentences, every drafted one, so a dropped draft counts against it).
    """
    claims = r["claims"]
    sup = [c for c in answer_claims(claims) if c.verdict == "supported"]
    total, verified, quoted = statement_counts(claims, r.get("synthesis"))
    docs = {c.doc_id for c in sup}
    mean_conf = sum(c.confidence or 0.0 for c in sup) / len(sup) if sup else 0.0
    breadth = {0: 0.0, 1: 4.0, 2: 6.0, 3: 8.0}.get(len(docs), 10.0)
    results = [c for c in sup if finding_score(c.quote) >= RESULT_CUE]
    return [
        _score(
            "verified_statements",
            10 * _ratio(verified, total),
            f"{verified} of {total} statements that are not verbatim quotes are supported by "
            f"the quotes they cite; {quoted} claims are quoted verbatim (not counted as verified)",
        ),
        _score(
            "source_breadth", breadth, f"supported claims come from {len(docs)} distinct sources"
        ),
        _score(
            "verdict_confidence",
            10 * mean_conf,
            f"mean confidence of supported claims is {mean_conf:.2f}",
        ),
        _score(
            "stated_results",
            10 * _ratio(len(results), len(sup)),
            f"{len(results)} of {len(sup)} supported claims state a result "
            "(a measured effect or comparison) rather than background",
        ),
    ]


def citation_grounding(r: ReviewerInput) -> list[CriterionScore]:
    """Whether every claim quotes an exact, located span of a kept source."""
    claims = r["claims"]
    exact = sum(1 for c in claims if c.quote and c.char_end - c.char_start == len(c.quote))
    dropped = {d.doc_id for d in r["dropped_sources"]}
    leaked = sorted({c.doc_id for c in claims if c.doc_id in dropped})
    mismatch = r["counters"].get("passages_span_mismatch", 0)
    return [
        _score(
            "span_integrity",
            10 * _ratio(exact, len(claims)) - min(5, mismatch),
            f"{exact} of {len(claims)} claims carry a located quote; "
            f"{mismatch} passages failed the page-slice check and were skipped",
        ),
        _answer_numbers(r),
        _score(
            "off_topic_excluded",
            0.0 if leaked else 10.0,
            f"claims cite dropped sources: {', '.join(leaked)}"
            if leaked
            else f"no claim cites any of the {len(dropped)} dropped sources",
        ),
    ]


def _unquoted_numbers(sentence: str, quotes: str) -> list[str]:
    """Numbers with a unit ("350B", "4-bit", "15%") in ``sentence`` that ``quotes`` never state;
    counts of sources and numbers inside quoted titles are not checked."""
    stated = {n for _, n in numbers(quotes)}
    stated |= {f"{b}bit" for b in re.findall(r"\b(?:int|fp)(\d+)\b", quotes, re.I)}  # Int8
    said = numbers(QUOTED_TITLE.sub(" ", sentence))
    return [raw for raw, n in said if unit_of(n) and n not in stated]


def _answer_numbers(r: ReviewerInput) -> CriterionScore:
    """Answer sentences that state only numbers their cited quotes state. Every claim quotes its
    page, so a check of the claims could not fail; the answer's wording is what can."""
    syn = r.get("synthesis")
    quotes = {c.id: c.quote for c in r["claims"]}
    sentences = syn.sentences() if syn is not None else []
    if not sentences:
        return _score("answer_numbers", 10.0, "no answer sentence states a number to check")
    bad = [
        (s, _unquoted_numbers(s.text, " ".join(quotes.get(i, "") for i in s.claim_ids)))
        for s in sentences
    ]
    bad = [(s, nums) for s, nums in bad if nums]
    first = f"; first: {', '.join(bad[0][1][:3])} in '{bad[0][0].text[:80]}'" if bad else ""
    return _score(
        "answer_numbers",
        10 * _ratio(len(sentences) - len(bad), len(sentences)),
        f"{len(sentences) - len(bad)} of {len(sentences)} answer sentences state only numbers "
        f"(with units) that the quotes they cite state{first}",
    )


def uncertainty(r: ReviewerInput) -> list[CriterionScore]:
    """Whether doubt is shown: verdicts on every claim, conflicts checked, failures recorded."""
    claims = r["claims"]
    judged = sum(1 for c in claims if c.verdict is not None and c.confidence is not None)
    sources = {c.doc_id for c in claims}
    n_conf = len(r["contradictions"])
    errors = r["errors"]
    conflict_score = 10.0 if len(sources) > 1 else 6.0
    return [
        _score(
            "verdict_coverage",
            10 * _ratio(judged, len(claims)),
            f"{judged} of {len(claims)} claims show a verdict and a confidence",
        ),
        _score(
            "conflicts_checked",
            conflict_score,
            f"{n_conf} contradictions found among claims from {len(sources)} sources"
            + ("" if len(sources) > 1 else "; one source cannot be cross-checked"),
        ),
        _score(
            "run_failures",
            10.0 - 1.0 * len(errors),
            f"{len(errors)} failures recorded during the run"
            + (f" (first: {errors[0].kind} in {errors[0].node})" if errors else ""),
        ),
    ]


def reproducibility(r: ReviewerInput) -> list[CriterionScore]:
    """Whether a reader can find every quote again and rerun the synthesis."""
    claims = r["claims"]
    located = sum(1 for c in claims if c.doc_id and c.page >= 1 and c.char_end > c.char_start)
    cited = {c.doc_id: c for c in claims}
    kept = {k.doc_id for k in r["kept_sources"]}
    known = sum(1 for d in cited if d in kept)
    seeded = r["llm_seed"] is not None and r["llm_temperature"] == 0.0
    return [
        _score(
            "locatable_quotes",
            10 * _ratio(located, len(claims)),
            f"{located} of {len(claims)} claims give document, page and character span",
        ),
        _score(
            "sources_screened",
            10 * _ratio(known, len(cited)),
            f"{known} of {len(cited)} cited sources passed the relevance gate with a stated reason",
        ),
        _score(
            "deterministic_run",
            10.0 if seeded else 5.0,
            f"temperature {r['llm_temperature']}, seed {r['llm_seed']}",
        ),
    ]


@dataclass(frozen=True)
class Rubric:
    """A reviewer's rubric: what it checks, in words and as measurements."""

    name: str
    description: str
    measure: Callable[[ReviewerInput], list[CriterionScore]]


RUBRICS: dict[str, Rubric] = {
    r.name: r
    for r in (
        Rubric(
            "answer",
            "Judge whether the report answers the question: sources and claims about its "
            "subject, claims stating results, facets covered, answer sentences combining "
            "sources, conflicts shown.",
            answer_rubric.measure,
        ),
        Rubric(
            "evidence_strength",
            "Judge how strongly the cited evidence supports the synthesis: share of verified "
            "statements (verbatim quotes do not count), independent sources, confidence.",
            evidence_strength,
        ),
        Rubric(
            "citation_grounding",
            "Judge whether every claim quotes the exact passage it rests on and no off-topic "
            "source is cited.",
            citation_grounding,
        ),
        Rubric(
            "uncertainty",
            "Judge whether the synthesis discloses uncertainty: verdicts and confidences shown, "
            "conflicts between sources checked, failures recorded.",
            uncertainty,
        ),
        Rubric(
            "reproducibility",
            "Judge whether a reader can find every quote again and rerun the synthesis.",
            reproducibility,
        ),
    )
}
