"""Lead passages: a paper's abstract and introduction join the candidates, capped per paper."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from litsynth.agents.retriever import lead_passages
from litsynth.settings import Settings
from litsynth.vectorstore.models import Hit


def _hit(doc: str, page: int, start: int, vec: list[float], section: str | None = None) -> Hit:
    return Hit(
        section=section,
        chunk_id=f"{doc}|g|c{page}{start}",
        doc_id=doc,
        title=doc,
        page=page,
        char_start=start,
        char_end=start + 5,
        text="words",
        score=0.0,
        source_path=f"/tmp/{doc}",
        embedding=vec,
    )


class LeadStore:
    """Answers lead_chunks from a fixed list, recording what was asked."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.asked: list[tuple[list[str], int]] = []

    def lead_chunks(self, doc_ids: list[str], max_page: int) -> list[Hit]:
        self.asked.append((list(doc_ids), max_page))
        return [h for h in self.hits if h.doc_id in doc_ids and h.page <= max_page]


def _ctx(store: LeadStore, **retrieval: Any) -> Any:
    settings = Settings.model_validate({"retrieval": retrieval})
    return SimpleNamespace(settings=settings, get_store=lambda: store)


def test_lead_passages_take_the_closest_chunks_of_the_best_papers() -> None:
    q = np.array([1.0, 0.0], dtype=np.float32)
    store = LeadStore(
        [
            _hit("a", 1, 0, [1.0, 0.0]),
            _hit("a", 1, 50, [0.0, 1.0]),
            _hit("a", 2, 0, [0.9, 0.1]),
            _hit("b", 1, 0, [1.0, 0.0]),
            _hit("c", 1, 0, [1.0, 0.0]),
        ]
    )
    ranked = [_hit("a", 7, 0, [1, 0]), _hit("b", 9, 0, [1, 0]), _hit("c", 3, 0, [1, 0])]
    ctx = _ctx(store, lead_pages=2, lead_papers=2, lead_passages_per_paper=2, whole_abstract=False)
    out = lead_passages(ctx, "q", ranked, taken={"b|g|c10"}, qvec=q)
    assert store.asked == [(["a", "b"], 2)], "only the two best papers, first two pages"
    assert [(h.doc_id, h.page, h.char_start) for h, _ in out] == [("a", 1, 0), ("a", 2, 0)]
    assert out[0][1] > 0.99


def test_every_abstract_chunk_joins_beside_the_closest_others() -> None:
    """LLM.int8()'s abstract ranked fourth among its first-page chunks for an 8-bit question."""
    q = np.array([1.0, 0.0], dtype=np.float32)
    store = LeadStore(
        [
            _hit("a", 1, 0, [0.0, 1.0], "Abstract"),
            _hit("a", 1, 50, [0.1, 1.0], "Abstract"),
            _hit("a", 1, 90, [1.0, 0.0], "1 Introduction"),
            _hit("a", 2, 0, [0.9, 0.1], "1 Introduction"),
        ]
    )
    ranked = [_hit("a", 7, 0, [1, 0])]
    ctx = _ctx(store, lead_papers=1, lead_passages_per_paper=1)
    out = lead_passages(ctx, "q", ranked, taken=set(), qvec=q)
    assert [(h.page, h.char_start) for h, _ in out] == [(1, 0), (1, 50), (1, 90)]


def test_lead_pages_zero_turns_it_off() -> None:
    store = LeadStore([_hit("a", 1, 0, [1.0, 0.0])])
    ctx = _ctx(store, lead_pages=0)
    assert lead_passages(ctx, "q", [_hit("a", 3, 0, [1, 0])], set(), np.ones(2)) == []
    assert store.asked == []
