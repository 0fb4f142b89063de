"""Task ``retrieve``: open setting. Search the dataset's corpus for each claim, then verify.

The corpus is ingested into a store once per corpus fingerprint under
``<cache_dir>/<dataset>-<hash>``; later runs reuse it. Reports Recall@3 and Recall@k of the gold
evidence documents and the label metrics of verdicts given only the retrieved passages.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litsynth.evals import metrics
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord
from litsynth.evals.tasks import baselines as bl
from litsynth.evals.tasks.common import (
    Item,
    Prediction,
    TaskResult,
    make_verifier,
    score,
    shared_embedder,
    verify_batched,
)
from litsynth.evals.tasks.verify import load_train
from litsynth.schema.verdicts import EvidencePassage

if TYPE_CHECKING:
    from rich.progress import Progress

    from litsynth.settings import Settings
    from litsynth.vectorstore.models import Hit
    from litsynth.vectorstore.store import PaperStore

READY_MARKER = "INGESTED"
INGEST_BATCH = 128


def corpus_fingerprint(docs: Sequence[GoldEvidence], settings: Settings) -> str:
    """Hash of the corpus content and the chunking settings (a new one means a new store)."""
    h = hashlib.sha256(settings.chunking.model_dump_json().encode())
    for doc in sorted(docs, key=lambda d: d.doc_id):
        h.update(f"{doc.doc_id}\t{doc.title}\t{doc.text}\n".encode())
    return h.hexdigest()[:16]


def open_corpus_store(
    dataset: str,
    docs: Sequence[GoldEvidence],
    settings: Settings,
    cache_dir: Path,
    progress: Progress | None = None,
) -> PaperStore:
    """The store holding ``docs``, ingested now unless a finished one is cached."""
    from litsynth.ingest.metadata import content_hash
    from litsynth.schema.documents import ParsedDocument
    from litsynth.settings import StoreSettings
    from litsynth.text.embedding import get_embedder
    from litsynth.text.pages import normalize_page
    from litsynth.vectorstore.store import PaperStore

    where = cache_dir / f"{dataset}-{corpus_fingerprint(docs, settings)}"
    store = PaperStore.open(
        StoreSettings(path=where, collection="eval"),
        get_embedder(settings.embedding),
        chunking=settings.chunking,
    )
    if (where / READY_MARKER).is_file():
        return store
    task = progress.add_task(f"ingest {dataset} corpus", total=len(docs)) if progress else None
    for start in range(0, len(docs), INGEST_BATCH):
        batch = [
            ParsedDocument(
                doc_id=d.doc_id,
                title=d.title or d.doc_id,
                source_path=f"{dataset}:corpus",
                source_key=f"{dataset}#{d.doc_id}",
                content_hash=content_hash(f"{d.title}\n{d.text}".encode()),
                pages=[normalize_page(d.text) or d.title or d.doc_id],
            )
            for d in docs[start : start + INGEST_BATCH]
        ]
        store.add_documents(batch)
        if progress is not None and task is not None:
            progress.advance(task, len(batch))
    (where / READY_MARKER).write_text(f"{len(docs)} documents\n", encoding="utf-8")
    return store


def claims_of(records: Sequence[GoldRecord]) -> list[tuple[str, str, GoldLabel, list[str]]]:
    """(claim id, claim, claim-level label, gold evidence doc ids), one per distinct claim.

    Loaders may emit one record per (claim, document); the claim-level label is the first
    non-NEI label among them, and gold documents are those with a non-NEI label.
    """
    grouped: dict[str, tuple[str, str, GoldLabel, list[str]]] = {}
    for r in records:
        key = r.claim
        cid, claim, label, docs = grouped.get(key, (r.id, r.claim, "not_enough_info", []))
        if r.label != "not_enough_info":
            if label == "not_enough_info":
                label = r.label
            docs = docs + [e.doc_id for e in r.evidence if e.doc_id not in docs]
        grouped[key] = (cid, claim, label, docs)
    return list(grouped.values())


def _passage(hit: Hit) -> EvidencePassage:
    return EvidencePassage(
        text=hit.text,
        doc_id=hit.doc_id,
        page=hit.page,
        char_start=hit.char_start,
        char_end=hit.char_end,
        title=hit.title,
    )


def run_retrieve(
    dataset: str,
    settings: Settings,
    *,
    split: str = "dev",
    claims: Path | None = None,
    corpus: Path | None = None,
    limit: int | None = None,
    k: int = 3,
    cache_dir: Path = Path(".litsynth/evals"),
    with_baselines: bool = True,
    progress: Progress | None = None,
    embedder: Any | None = None,
) -> TaskResult:
    """Retrieve top-k passages per claim from the corpus and verify on them."""
    from litsynth.evals.datasets import load, load_corpus

    started = time.perf_counter()
    records = load(dataset, split, claims=claims, corpus=corpus, limit=limit)
    docs = load_corpus(dataset, corpus)
    store = open_corpus_store(dataset, docs, settings, cache_dir, progress)
    grouped = claims_of(records)
    depth = max(k, 3)
    # Extra hits so that `depth` distinct documents are usually among them.
    hits = store.search_many([c[1] for c in grouped], depth * 4)
    ranked = [[h.doc_id for h in claim_hits] for claim_hits in hits]
    gold_docs = [c[3] for c in grouped]
    items: list[Item] = [
        (c[1], [_passage(h) for h in claim_hits[:k]])
        for c, claim_hits in zip(grouped, hits, strict=True)
    ]
    embedder = embedder or shared_embedder(settings)
    verifier = make_verifier(settings, embedder)
    gold = [c[2] for c in grouped]
    verdicts = verify_batched(verifier, items, progress, f"retrieve+verify {dataset}")
    scored = score(gold, verdicts)
    result_metrics: dict[str, float | None] = dict(scored["metrics"])
    result_metrics["recall_at_3"] = metrics.recall_at_k(gold_docs, ranked, 3)
    result_metrics[f"recall_at_{k}"] = metrics.recall_at_k(gold_docs, ranked, k)
    baselines: dict[str, Any] = {}
    if with_baselines:
        train = load_train(dataset, split)
        baselines["majority"] = bl.majority(train, gold)
        baselines["embedding_tuned_on_train"] = bl.tuned_embedding(
            train, items, gold, embedder=embedder, progress=progress, dataset=dataset
        )
    return TaskResult(
        dataset=dataset,
        task="retrieve",
        split=split,
        n=len(grouped),
        metrics=result_metrics,
        per_label=scored["per_label"],
        confusion=scored["confusion"],
        calibration=scored["calibration"],
        baselines=baselines,
        config={
            "split": split,
            "limit": limit,
            "k": k,
            "store": str(store.settings.path),
            "corpus_docs": len(docs),
            "verifier": settings.verifier.model_dump(mode="json"),
            "runtime": getattr(verifier, "runtime_summary", None),
        },
        verifier=getattr(verifier, "name", type(verifier).__name__),
        seconds=round(time.perf_counter() - started, 2),
        notes=[
            "claim-level labels: one row per distinct claim; Recall@k counts distinct documents "
            "and skips claims without gold evidence documents"
        ],
        predictions=[
            Prediction(
                id=c[0],
                gold=c[2],
                pred=v.label,
                confidence=v.confidence,
                reason=v.reason,
                retrieved=list(dict.fromkeys(r))[:k],
            )
            for c, v, r in zip(grouped, verdicts, ranked, strict=True)
        ],
    )
