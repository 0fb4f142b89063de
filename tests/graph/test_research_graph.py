"""The research graph end to end with a scripted model, a real store and a real verifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from litsynth.api import research
from litsynth.graph.builder import build_graph
from litsynth.graph.configuration import Context
from litsynth.report.markdown import render_markdown
from litsynth.schema.report import Report
from litsynth.tests.fakes import ScriptedChatModel
from litsynth.tests.research_fixtures import QUESTION, good_answers, make_settings
from litsynth.text.finding_fields import read_fields
from litsynth.text.grounding import is_whole_sentence, ungrounded_entities
from litsynth.vectorstore.store import PaperStore
from litsynth.verification.embedding import EmbeddingVerifier

Store = tuple[PaperStore, set[str], Path]


def run(
    store: Store,
    verifier: EmbeddingVerifier,
    model: ScriptedChatModel,
    question: str = QUESTION,
    **overrides: Any,
) -> Report:
    paper_store, _, store_dir = store
    settings = make_settings(store_dir, **overrides)
    return research(
        question,
        store=paper_store,
        config=settings,
        chat_model=model,
        verifier=verifier,
        checkpointer=InMemorySaver(),
    )


def assert_grounded(report: Report, store: PaperStore) -> None:
    for c in report.claims:
        page = store.page_text(c.doc_id, c.page)
        assert page[c.char_start : c.char_end] == c.quote
        assert is_whole_sentence(c.text), c.text


def test_report_is_grounded_and_complete(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    store, distractors, _ = research_store
    model = good_answers()
    report = run(research_store, verifier, model, panel={"use_llm": True})

    assert report.claims, "expected claims from the quantization abstracts"
    assert_grounded(report, store)
    cited = {r.doc_id for r in report.references}
    assert cited and cited <= {c.doc_id for c in report.claims}
    assert not cited & distractors, "a biomedical distractor was cited"
    dropped = {d.doc_id for d in report.dropped_sources}
    assert not cited & dropped
    # The restatement naming Mistral-7B / GSM8K is not in any quote: discarded and counted; the
    # sentence it restated stays a claim, in its own words.
    assert all("Mistral-7B" not in c.text and "GSM8K" not in c.text for c in report.claims)
    assert all(ungrounded_entities(c.text, c.quote) == [] for c in report.claims)
    assert report.manifest.counters["claims_rejected_ungrounded_entity"] >= 1
    # The 4-bit facet is answered by supported claims whose quotes name it.
    cov = {c.facet.name: c for c in report.coverage}
    assert cov["4-bit"].status == "answered"
    supported_ids = {c.id for c in report.supported_claims()}
    assert set(cov["4-bit"].claim_ids) <= supported_ids
    # ("3 or 4 bits per weight" and "INT4" name it too)
    assert all(
        "4-bit" in c.quote or 4 in read_fields(c.quote).weight_bits
        for c in report.claims
        if c.id in cov["4-bit"].claim_ids
    )
    # Results draw on supported claims only and never repeat the invented entity.
    supported = {c.id for c in report.supported_claims()}
    assert report.results and all(set(s.claim_ids) <= supported for s in report.results)
    assert all("Mistral" not in s.text for s in report.results)
    # The answer is written over the findings, not copied: no answer sentence is a quote, and
    # every one was verified against the quotes it cites.
    syn = report.synthesis
    assert syn is not None and syn.answer
    quotes = {c.quote for c in report.claims}
    assert all(s.text not in quotes and s.verdict == "supported" for s in syn.sentences())
    assert report.manifest.counters["answer_sentences_drafted"] >= len(syn.sentences())
    # Panel: five reviewers, bounded scores, every criterion with a reason.
    assert {r.reviewer for r in report.panel.reviews} == {
        "answer",
        "evidence_strength",
        "citation_grounding",
        "uncertainty",
        "reproducibility",
    }
    for review in report.panel.reviews:
        assert review.source == "rules+llm"
        assert 0 <= review.score <= 10
        assert all(c.reason and 0 <= c.score <= 10 for c in review.criteria)
    assert 0 <= report.quality_score <= 10
    assert report.quality_tier in {"high", "medium", "low"}
    # Manifest names the model and hashes every prompt.
    assert report.manifest.models["chat"]["name"] == "scripted-fake"
    assert set(report.manifest.prompt_hashes) == {
        "planner",
        "gate",
        "extractor",
        "reviewer",
        "synthesis",
    }
    assert all(len(h) == 64 for h in report.manifest.prompt_hashes.values())
    assert report.manifest.corpus["fingerprint"] == store.fingerprint()
    assert Report.model_validate_json(report.model_dump_json()) == report


def test_too_few_supported_claims_replans(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    model = good_answers()
    report = run(
        research_store,
        verifier,
        model,
        aggregator={"min_supported_claims": 1000, "max_rounds": 2},
    )
    plans = [p for p in model.prompts if "Planning round: 2" in p[-1].content]
    assert report.manifest.rounds == 2
    assert plans, "the planner was not asked for a second round"
    assert report.panel.aggregate.replan is False
    assert any("capped" in r for r in report.panel.aggregate.rules)


def test_gate_dropping_everything_gives_insufficient_evidence(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    report = run(
        research_store,
        verifier,
        good_answers(),
        gate={"min_relevance": 0.99},
        aggregator={"max_rounds": 1},
    )
    assert report.claims == []
    assert report.references == []
    assert report.dropped_sources
    assert any("below 0.99" in d.reason for d in report.dropped_sources)
    # Papers that never name the subject (SciFact biology) drop on the subject facet first.
    assert all(
        "below 0.99" in d.reason or d.decided_by == "subject" for d in report.dropped_sources
    )
    assert report.gate_verdict == "insufficient_evidence"
    assert report.quality_tier == "low"
    # Abstention: every facet is a gap, said up front and once per facet in the limitations.
    assert {c.status for c in report.coverage} == {"gap"}
    assert report.abstract.startswith(
        f"This synthesis asks: {QUESTION} The corpus does not answer this question"
    )
    assert "The corpus holds no evidence on 4-bit." in report.limitations
    assert report.manifest.coverage["gap"] == len(report.coverage)
    markdown = render_markdown(report)
    assert "## Coverage" in markdown and "| 4-bit | precision | gap |" in markdown


def test_no_answered_facet_replans_with_facet_queries_then_abstains(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    report = run(
        research_store,
        verifier,
        good_answers(),
        gate={"min_relevance": 0.99},
        aggregator={"max_rounds": 2, "min_supported_claims": 0},
    )
    assert report.manifest.rounds == 2
    assert "4 bit results" in report.manifest.queries  # a re-phrased query for the gap facet
    assert report.gate_verdict == "insufficient_evidence"
    assert report.dropped_sources and all(d.reason for d in report.dropped_sources)


def test_coverage_marks_answered_partial_and_gap_facets(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    question = (
        "How does 5-bit weight quantization affect the accuracy of large language models on GSM8K?"
    )
    report = run(research_store, verifier, good_answers(), question, aggregator={"max_rounds": 1})
    cov = {c.facet.name: c for c in report.coverage}
    assert set(cov) == {"5-bit", "GSM8K", "weight / quantization / accuracy"}
    assert cov["weight / quantization / accuracy"].status == "answered"
    assert cov["5-bit"].status == "partial"
    assert "bit" in cov["5-bit"].closest and "5-bit" not in cov["5-bit"].closest
    assert cov["GSM8K"].status == "gap" and cov["GSM8K"].claim_ids == []
    assert "The corpus holds no evidence on GSM8K." in report.abstract
    assert "The corpus holds no evidence on GSM8K." in report.limitations
    assert not any("GSM8K" in c.text for c in report.claims)
    assert not any("GSM8K" in s.text for s in report.results)
    assert report.gate_verdict != "pass"  # a facet without evidence is never waved through
    assert report.manifest.coverage["facets"] == {
        "5-bit": "partial",
        "GSM8K": "gap",
        "weight / quantization / accuracy": "answered",
    }
    assert Report.model_validate_json(report.model_dump_json()) == report


def test_off_topic_llm_judgement_drops_a_weak_paper(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    deny = {"GateJudgement": lambda i: {"relevant": False, "reason": "About speech, not LLMs."}}
    report = run(
        research_store,
        verifier,
        good_answers(deny),
        gate={"strong_keep": 1.0, "use_llm": True},
        aggregator={"max_rounds": 1},
    )
    assert report.claims == []
    assert {d.decided_by for d in report.dropped_sources} >= {"llm"}
    assert any("About speech" in d.reason for d in report.dropped_sources)


def test_malformed_output_falls_back_and_is_recorded(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    model = ScriptedChatModel(responses=lambda messages, i, tools: "this is { not json")
    report = run(research_store, verifier, model, aggregator={"max_rounds": 1})
    kinds = {e.kind for e in report.errors}
    assert "llm_malformed_output" in kinds
    assert report.manifest.counters["planner_fallbacks"] == 1
    assert report.claims and all(c.selected_by == "rules" for c in report.claims)
    assert_grounded(report, research_store[0])
    assert any("unusable" in line for line in report.limitations)


def test_interrupted_run_resumes_from_checkpoint(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    store, _, store_dir = research_store
    settings = make_settings(store_dir, aggregator={"max_rounds": 1})
    saver = InMemorySaver()

    def crash(i: int) -> Any:
        raise RuntimeError("model server died")

    with pytest.raises(RuntimeError, match="model server died"):
        research(
            QUESTION,
            store=store,
            config=settings,
            chat_model=good_answers({"ClaimSelection": crash}),
            verifier=verifier,
            checkpointer=saver,
            thread_id="t-resume",
        )
    second = good_answers()
    report = research(
        None,
        store=store,
        config=settings,
        chat_model=second,
        verifier=verifier,
        checkpointer=saver,
        thread_id="t-resume",
        resume=True,
    )
    asked = {str(m[-1].content).split("\n")[0] for m in second.prompts}
    assert not any(a.startswith("Research question:") and "Planning round" in a for a in asked)
    assert report.claims
    assert report.manifest.thread_id == "t-resume"


def test_graph_compiles_with_fresh_checkpointer_and_streams_node_events(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    store, _, store_dir = research_store
    graph = build_graph(InMemorySaver())
    ctx = Context(
        settings=make_settings(store_dir, aggregator={"max_rounds": 1}),
        chat_model=good_answers(),
        store=store,
        verifier=verifier,
    )
    seen = [
        node
        for chunk in graph.stream(
            {"question": QUESTION},
            {"configurable": {"thread_id": "stream"}},
            context=ctx,
            stream_mode="updates",
        )
        for node in chunk
    ]
    assert seen[:7] == [
        "planner",
        "retriever",
        "gate",
        "extractor",
        "verifier",
        "coverage",
        "synthesizer",
    ]
    assert seen.count("reviewer") == 5
    assert seen[-2:] == ["aggregator", "reporter"]


ASR_PAPER = "arxiv-abs:2203.15952"
GPTQ_PAPER = "arxiv-abs:2210.17323"
LEAKED_QUERIES = [
    "The answer is: The answer is not possible..",
    "1.2",
    "3.5",
    "The answer is not available.&#34;, &#34;queries&#34;: [&#34;&#34;]}}, {&#34;query}\n"
    "function Plan:",
    "Graphene Nanoparticle Quantum Computing (GNCC)",
]
PLACEHOLDER_CLAIM = "A claim the extractor takes from one sentence."
PROMPT_REASON = "True if the paper bears on the question."
CONTRADICTING_REASON = "This paper is not relevant to the research question"


def leaky_answers() -> ScriptedChatModel:
    """The small model's failures quoted in issue 18, as scripted answers."""
    return good_answers(
        {
            "Plan": lambda i: {
                "sub_questions": [
                    {"question": LEAKED_QUERIES[0], "queries": LEAKED_QUERIES[1:3]},
                    {"question": LEAKED_QUERIES[3], "queries": [LEAKED_QUERIES[4]]},
                ]
            },
            "GateJudgement": lambda i: {
                "relevant": True,
                "reason": PROMPT_REASON if i % 2 else CONTRADICTING_REASON,
            },
            "ClaimSelection": lambda i: {
                "claims": [{"sentence_id": 1, "claim": PLACEHOLDER_CLAIM}]
            },
        }
    )


def test_leaked_model_output_never_reaches_the_report_and_is_counted(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    report = run(
        research_store,
        verifier,
        leaky_answers(),
        gate={"use_llm": True, "strong_keep": 1.0},
        aggregator={"max_rounds": 1},
    )
    counters = report.manifest.counters
    # Planner: every leaked sub-question and query dropped; facet-derived queries instead.
    assert not set(LEAKED_QUERIES) & set(report.manifest.queries)
    assert counters["planner_fallbacks"] == 1
    assert counters["planner_outputs_rejected"] == len(LEAKED_QUERIES)
    assert "4-bit weight quantization accuracy" in report.manifest.queries
    # Gate: a reason copied from the schema, or one saying "not relevant", is never shown.
    assert report.kept_sources
    for k in report.kept_sources:
        assert PROMPT_REASON not in k.reason and "not relevant" not in k.reason
    assert counters["gate_reasons_rejected"] >= 1
    # Extractor: the schema's placeholder is never a claim; the quote stands instead.
    assert report.claims
    assert all(c.text != PLACEHOLDER_CLAIM for c in report.claims)
    assert counters["extractor_outputs_rejected"] >= 1
    total = sum(counters[f"{n}_outputs_rejected"] for n in ("planner", "extractor"))
    assert counters["llm_outputs_rejected"] == total + counters["gate_reasons_rejected"]
    # Every rejection is a recorded failure the panel counts.
    assert {"planner", "gate", "extractor"} <= {
        e.node for e in report.errors if e.kind == "llm_output_rejected"
    }
    rendered = render_markdown(report)
    for leaked in [*LEAKED_QUERIES[:1], "&#34;", "function Plan", PLACEHOLDER_CLAIM, PROMPT_REASON]:
        assert leaked not in rendered


def test_demo_question_drops_the_speech_paper_and_keeps_gptq(
    research_store: Store, verifier: EmbeddingVerifier
) -> None:
    report = run(research_store, verifier, good_answers(), aggregator={"max_rounds": 1})
    kept = {k.doc_id for k in report.kept_sources}
    dropped = {d.doc_id: d for d in report.dropped_sources}
    assert GPTQ_PAPER in kept
    assert ASR_PAPER in dropped and ASR_PAPER not in {r.doc_id for r in report.references}
    assert dropped[ASR_PAPER].decided_by == "subject"
    assert "large language models" in dropped[ASR_PAPER].reason
