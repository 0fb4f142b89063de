"""e2e beyond claims: answer-sentence support, off-topic sources, and the naive search baseline.

An *answer sentence* is a report results sentence with the quotes of the claims it cites. It
is supported when it matches a gold claim of a paper it cites (MiniLM cosine at least
``MATCH_THRESHOLD``), otherwise when the judge (not the verifier that wrote-checked it, by
default the ``llm`` judge) confirms it against the quotes and the pages they are on.

The naive baseline is the 20 sentences of ``search`` closest to the question: the top chunks
for the question, cut into sentences, ranked by MiniLM cosine to it. No LLM, no graph. Each
baseline sentence is its own quote, so its support is 1.0 by construction (recorded as such,
not judged); its gold recall is scored by the same matching as the report's claims.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from litsynth.evals.tasks.judge import Judge, JudgeItem
from litsynth.text.grounding import normalize
from litsynth.text.sentences import split_sentences
from litsynth.text.subject import subject_of

BASELINE_SENTENCES = 20
BASELINE_CHUNKS = 20
MIN_SENTENCE_WORDS = 6


@dataclass(frozen=True)
class Quoted:
    """A sentence as a claim that quotes itself (the baseline's unit)."""

    id: str
    text: str
    quote: str
    doc_id: str
    page: int
    title: str = ""


def baseline_sentences(store: Any, question: str, embedder: Any) -> list[Quoted]:
    """The ``BASELINE_SENTENCES`` sentences of the top chunks closest to the question."""
    hits = store.search(question, BASELINE_CHUNKS)
    cands: list[Quoted] = []
    for h in hits:
        for s in split_sentences(h.text):
            text = " ".join(s.text.split())
            if len(text.split()) >= MIN_SENTENCE_WORDS:
                cands.append(Quoted(f"S{len(cands) + 1}", text, text, h.doc_id, h.page, h.title))
    if not cands:
        return []
    vec = embedder.encode([question, *(c.text for c in cands)])
    sims = vec[1:] @ vec[0]
    order = np.argsort(-sims, kind="stable")[:BASELINE_SENTENCES]
    return [cands[i] for i in order]


def answer_items(report: Any) -> list[tuple[str, list[Any]]]:
    """(sentence, cited claims) for each results sentence of a report."""
    claims = {c.id: c for c in report.claims}
    out = []
    for s in report.results:
        cited = [claims[i] for i in s.claim_ids if i in claims]
        if cited:
            out.append((s.text, cited))
    return out


def off_topic_cited(report: Any, question: str) -> list[str]:
    """Sources the report cites whose title and cited quotes never name the question's subject."""
    subject = subject_of(question)
    quotes: dict[str, list[str]] = {}
    for c in report.claims:
        quotes.setdefault(c.doc_id, []).extend([c.title, c.quote])
    return [
        r.doc_id
        for r in report.references
        if not subject.mentioned_in(" ".join([r.title, *quotes.get(r.doc_id, [])]))
    ]


_CITATION = re.compile(r"\s*\[C\d+(?:,\s*C\d+)*\]\s*$")


def statements(sentence: str) -> list[str]:
    """The statements an answer sentence makes: its '; '-separated clauses, without the lead
    ("2 sources find that X:"). A sentence-level judge reading three clauses against three
    concatenated quotes truncates and averages; each clause is judged instead."""
    body = _CITATION.sub("", sentence).strip().rstrip(".")
    parts = [part.strip() for part in body.split("; ") if part.strip()]
    if parts and parts[0].count(": ") >= 2:
        # "2 sources find that X: GPTQ (...): span": the lead counts the clauses' sources and
        # names their common direction; the product verifies each clause without it, and so
        # does this judge ("3 sources" beside a quote's "3 or 4 bits" reads as a number clash)
        parts[0] = parts[0].split(": ", 1)[1]
    return [part + "." for part in parts] or [sentence]


def _with_quotes(parts: list[str], cited: list[Any]) -> list[tuple[str, list[Any]]]:
    """Each statement with the claims it rests on: clause i cites claim i when the counts agree
    (the product drafts one clause per cited quote and verifies it against that quote), else
    every cited claim."""
    if len(parts) == len(cited):
        return [(part, [c]) for part, c in zip(parts, cited, strict=True)]
    return [(part, cited) for part in parts]


@dataclass(frozen=True)
class Statement:
    """One statement of an answer sentence: its text, the claims it rests on, the sentence
    (index) and report it belongs to, and whether it matched a gold claim of a cited paper."""

    text: str
    cited: list[Any]
    sentence: int
    report: str = ""
    gold: bool = False


def answer_statements(
    items: Sequence[tuple[str, list[Any]]],
    match: Callable[[Sequence[Any]], list[tuple[int, float]]],
    threshold: float,
    reports: Sequence[str] | None = None,
) -> list[Statement]:
    """Every statement of every answer sentence, each matched against the gold claims."""
    parts = [
        (k, part, own)
        for k, (text, cited) in enumerate(items)
        for part, own in _with_quotes(statements(text), cited)
    ]
    # one match call for every (statement, cited paper) pair: each call encodes the gold set
    tries = [Quoted("x", part, part, c.doc_id, c.page) for _, part, cited in parts for c in cited]
    hits = iter(best >= threshold for _, best in match(tries))
    return [
        Statement(part, cited, k, reports[k] if reports else "", any([next(hits) for _ in cited]))
        for k, part, cited in parts
    ]


def judge_item(text: str, cited: Sequence[Any], cited_page: Callable[[str, int], str]) -> JudgeItem:
    """What the judge reads for a statement: the quotes it cites and the pages they are on."""
    return JudgeItem(
        claim=text,
        quote=" ".join(normalize(c.quote) for c in cited),
        page_text=" ".join(cited_page(c.doc_id, c.page) for c in cited),
        doc_id=cited[0].doc_id,
        page=cited[0].page,
    )


def statement_support(
    found: Sequence[Statement],
    n_sentences: int,
    cited_page: Callable[[str, int], str],
    judge: Judge,
) -> tuple[int, int, dict[str, int]]:
    """(supported, total, counts): a sentence is supported when each of its statements matches a
    gold claim of a paper it cites, or else the judge confirms it against the cited quotes."""
    if not n_sentences:
        return 0, 0, {"gold": 0, "judged": 0, "confirmed": 0, "failures": 0, "statements": 0}
    to_judge = [(s.sentence, judge_item(s.text, s.cited, cited_page)) for s in found if not s.gold]
    judged = judge.judge_many([item for _, item in to_judge]) if to_judge else []
    failed = {k for (k, _), j in zip(to_judge, judged, strict=True) if not j.confirmed}
    counts = {
        "gold": sum(s.gold for s in found),
        "judged": len(to_judge),
        "confirmed": sum(1 for j in judged if j.confirmed),
        "failures": sum(1 for j in judged if j.failed),
        "statements": len(found),
    }
    return n_sentences - len(failed), n_sentences, counts


def sentence_support(
    items: Sequence[tuple[str, list[Any]]],
    match: Callable[[Sequence[Any]], list[tuple[int, float]]],
    threshold: float,
    cited_page: Callable[[str, int], str],
    judge: Judge,
) -> tuple[int, int, dict[str, int]]:
    """:func:`answer_statements` then :func:`statement_support` over ``items``."""
    found = answer_statements(items, match, threshold)
    return statement_support(found, len(items), cited_page, judge)
