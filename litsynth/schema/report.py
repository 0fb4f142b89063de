"""The report the graph returns; ``Report.model_dump_json()`` is its JSON rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from litsynth.schema.records import (
    Claim,
    Contradiction,
    DroppedSource,
    FacetCoverage,
    Finding,
    KeptSource,
    PanelAggregate,
    Review,
    SourceAgreement,
    StepError,
)
from litsynth.schema.verdicts import VerdictLabel


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ResultSentence(_Part):
    """A results sentence and the supported claims it rests on."""

    text: str = Field(description="The sentence.")
    claim_ids: list[str] = Field(min_length=1, description="Supported claims it cites.")


class AnswerSentence(_Part):
    """A sentence of the answer: a claim of its own, citing the quotes it rests on."""

    text: str = Field(description="The sentence.")
    claim_ids: list[str] = Field(
        min_length=1, description="Supported claims whose quotes it cites."
    )
    written_by: Literal["template", "llm"] = Field(description="Who wrote it.")
    verdict: VerdictLabel = Field(description="Verifier label against the cited quotes.")
    confidence: float = Field(ge=0.0, le=1.0, description="Verifier probability.")
    rewritten: bool = Field(False, description="True when a first draft failed and was rewritten.")


class AnswerSection(_Part):
    """The answer to one sub-question."""

    sub_question: str = Field(description="The sub-question.")
    sentences: list[AnswerSentence] = Field(description="Verified answer sentences.")


class Synthesis(_Part):
    """The answer built from the supported claims: direct answer, sections, table, context."""

    subject: str = Field("", description="The question's subject as matched ('' if none).")
    answer: list[AnswerSentence] = Field(description="The direct answer, a few sentences.")
    sections: list[AnswerSection] = Field(description="One section per sub-question.")
    findings: list[Finding] = Field(description="Structured findings (the evidence table).")
    agreements: list[SourceAgreement] = Field(description="Agreement and conflict across sources.")
    context: list[ResultSentence] = Field(description="Background and method descriptions.")
    off_topic_claims: list[str] = Field(
        default_factory=list, description="Supported claims left out: not about the subject."
    )
    on_topic_sources: list[str] = Field(
        default_factory=list, description="Sources whose passages name the question's subject."
    )
    counts: dict[str, int] = Field(
        default_factory=dict, description="drafted, supported, rewritten, dropped sentences."
    )

    def sentences(self) -> list[AnswerSentence]:
        """Every answer sentence: the direct answer, then each section's."""
        return [*self.answer, *(s for sec in self.sections for s in sec.sentences)]

    def shown_agreements(self) -> list[SourceAgreement]:
        """The agreements and conflicts a reader sees: one line per (kind, claims). Findings
        about "3-4 bits" agree at 3-bit and again at 4-bit; that is one agreement, shown once
        "at 3- and 4-bit weights"."""
        widths: dict[tuple[str, tuple[str, ...]], list[int]] = {}
        first: dict[tuple[str, tuple[str, ...]], SourceAgreement] = {}
        for a in self.agreements:
            key: tuple[str, tuple[str, ...]] = (a.kind, tuple(a.claim_ids))
            first.setdefault(key, a)
            if a.width is not None:
                widths.setdefault(key, []).append(a.width)
        out = []
        for key, a in first.items():
            ws = sorted(set(widths.get(key, [])))
            if len(ws) > 1 and f"{a.width}-bit weights" in a.explanation:
                named = ", ".join(f"{w}-" for w in ws[:-1]) + f" and {ws[-1]}-bit weights"
                text = a.explanation.replace(f"{a.width}-bit weights", named, 1)
                a = a.model_copy(update={"explanation": text, "width": None})
            out.append(a)
        return out

    def cited_claim_ids(self) -> list[str]:
        """Claims the answer, sections or context cite, in first-citation order."""
        ids = [i for s in self.sentences() for i in s.claim_ids]
        ids += [i for r in self.context for i in r.claim_ids]
        return list(dict.fromkeys(ids))


def statement_counts(claims: Sequence[Claim], synthesis: Synthesis | None) -> tuple[int, int, int]:
    """(statements that are not verbatim quotes, how many of them are supported, quotes).

    Statements are restated claims and answer sentences, every drafted one, so a dropped draft
    counts against the rate; a verbatim quote is compared with itself and is never counted.
    """
    restated = [c for c in claims if not c.verbatim]
    sentences = len(synthesis.sentences()) if synthesis else 0
    drafted = synthesis.counts.get("answer_sentences_drafted", 0) if synthesis else 0
    total = len(restated) + max(drafted, sentences)
    verified = sum(1 for c in restated if c.verdict == "supported") + sentences
    return total, verified, len(claims) - len(restated)


class Reference(_Part):
    """A source actually cited by at least one claim."""

    doc_id: str = Field(description="Document id.")
    title: str = Field(description="Title.")
    authors: list[str] = Field(default_factory=list, description="Authors, when known.")
    year: int | None = Field(None, description="Year, when known.")
    source_path: str = Field("", description="Where it was ingested from.")
    claim_ids: list[str] = Field(description="Claims citing it.")


class Panel(_Part):
    """The reviewer panel's reviews and their aggregate."""

    reviews: list[Review] = Field(description="One review per reviewer agent.")
    aggregate: PanelAggregate = Field(description="Mean, spread, agreement and decisions.")


class Manifest(_Part):
    """Provenance: enough to know how the report was made and to reproduce it."""

    litsynth_version: str = Field(description="litsynth version.")
    models: dict[str, dict[str, str]] = Field(
        description="Role -> {name, endpoint/version}: chat model, embedder, verifier."
    )
    prompt_hashes: dict[str, str] = Field(description="Prompt name -> sha256 of its template.")
    config: dict[str, Any] = Field(description="The effective settings.")
    corpus: dict[str, Any] = Field(description="Store location, collection and fingerprint.")
    started_at: str = Field(description="UTC start time, ISO 8601.")
    finished_at: str = Field(description="UTC finish time, ISO 8601.")
    token_usage: dict[str, int] = Field(description="Prompt/completion/total tokens and calls.")
    rounds: int = Field(description="Planner rounds run.")
    queries: list[str] = Field(description="Every search query sent to the store.")
    counters: dict[str, int] = Field(description="Counts: passages, rejected claims by reason...")
    timings_s: dict[str, float] = Field(description="Seconds spent per node.")
    thread_id: str | None = Field(None, description="Checkpointer thread, for --resume.")
    coverage: dict[str, Any] = Field(
        default_factory=dict,
        description="Facets per status (answered/partial/gap) and each facet's status.",
    )


class Report(_Part):
    """A grounded, verified literature synthesis."""

    title: str = Field(description="Title.")
    question: str = Field(description="The research question.")
    abstract: str = Field(description="Short summary of what the evidence shows.")
    introduction: str = Field(description="The question and how it was broken down.")
    methodology: str = Field(
        description="What was searched, kept, dropped and how claims were checked."
    )
    results: list[ResultSentence] = Field(
        description="Every answer sentence (direct answer and sections) with the claims it cites."
    )
    synthesis: Synthesis | None = Field(
        None, description="Direct answer, sections, evidence table, agreements, context."
    )
    coverage: list[FacetCoverage] = Field(
        default_factory=list,
        description="Per facet of the question: answered, partial or gap, with the claims.",
    )
    limitations: list[str] = Field(description="What the evidence does not establish.")
    claims: list[Claim] = Field(description="Every claim with verdict, confidence and quote.")
    contradictions: list[Contradiction] = Field(description="Conflicts between sources.")
    references: list[Reference] = Field(description="Sources actually cited.")
    kept_sources: list[KeptSource] = Field(description="Sources the gate let through.")
    dropped_sources: list[DroppedSource] = Field(description="Sources dropped, with reasons.")
    panel: Panel = Field(description="Reviewer panel.")
    quality_score: float = Field(ge=0.0, le=10.0, description="Quality score out of 10.")
    quality_tier: Literal["high", "medium", "low"] = Field(description="Quality tier.")
    gate_verdict: Literal["pass", "needs_review", "insufficient_evidence"] = Field(
        description="Whether the synthesis can be relied on."
    )
    errors: list[StepError] = Field(description="Failures recorded during the run.")
    manifest: Manifest = Field(description="Provenance manifest.")

    def supported_claims(self) -> list[Claim]:
        """Claims the verifier marked supported."""
        return [c for c in self.claims if c.verdict == "supported"]

    def source_results(self) -> dict[str, list[Claim]]:
        """The cited sources' other headline results (not the answer's), by document id."""
        by_doc: dict[str, list[Claim]] = {}
        for c in self.claims:
            if c.kind == "source_result":
                by_doc.setdefault(c.doc_id, []).append(c)
        return by_doc

    def verification_line(self) -> str:
        """What was checked, in words: quotes are *quoted*, only restatements are *verified*.

        A verbatim quote is compared with itself, so it cannot fail; counting it as verified
        would make the rate a number that cannot fail. Answer sentences count every draft, so a
        dropped draft counts against the rate.
        """
        total, verified, quoted = statement_counts(self.claims, self.synthesis)
        contradicted = sum(1 for c in self.claims if c.verdict == "contradicted")
        line = f"{quoted} claims quoted verbatim · {verified}/{total} statements verified"
        return line + (f" · {contradicted} contradicted" if contradicted else "")
