"""Task ``gate``: precision and recall of the sources the relevance gate keeps.

Labelled question-paper pairs (``evals/gold/gate_labels.jsonl``, see ``evals/gold/README.md``)
come in two sets. ``papers``: the 29 gold questions over the 8 shared LLM papers (PDFs), three
demo-corpus abstracts (the speech-recognition paper, SmoothQuant, InternLM-XComposer) and ten
SciFact abstracts. ``demo``: the demo question and the 7 e2e questions over the 11 bundled demo
abstracts; it needs no shared data, so it runs on a fresh clone.

For each question the store is searched with the question; each labelled document's best
passages go through the gate's own decision (subject facet, relevance scorer, optional LLM), and
a pair counts as kept when the gate keeps the document. A document the search does not reach is
not kept. The old gate (best passage cosine >= 0.35 and one shared key term) is scored beside it.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from litsynth.errors import DatasetError
from litsynth.evals.tasks.common import Prediction, TaskResult, shared_embedder

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from rich.progress import Progress

    from litsynth.schema.records import Passage
    from litsynth.schema.relevance import RelevanceScorer
    from litsynth.settings import Settings
    from litsynth.vectorstore.store import PaperStore

GOLD = Path(__file__).resolve().parents[1] / "gold" / "gate_labels.jsonl"
SETS = ("papers", "demo")
SEARCH_K = 400
PASSAGES_PER_DOC = 4
N_SCIFACT = 10
OLD_MIN_SIMILARITY = 0.35
DISTRACTOR_ABSTRACTS = ("arxiv-abs:2203.15952", "arxiv-abs:2211.10438", "arxiv-abs:2309.15112")


class GateLabel(BaseModel):
    """Whether one document bears on one question."""

    model_config = ConfigDict(extra="forbid")

    set: str
    question_id: str
    question: str
    doc_id: str
    title: str
    relevant: bool


def load_labels(path: Path) -> list[GateLabel]:
    """Labelled pairs from a JSONL file; DatasetError on a bad line."""
    if not path.is_file():
        raise DatasetError(f"{path}: gate labels not found", hint="pass --gold with a labels file")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(GateLabel.model_validate(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise DatasetError(f"{path}:{n}: {exc}", hint="one JSON object per line") from exc
    return out


def _jsonl_store(name: str, lines: list[str], settings: Settings, cache_dir: Path) -> PaperStore:
    """A cached store of the given JSONL records (ingested once per content)."""
    import hashlib

    from litsynth.ingest.runner import ingest_paths
    from litsynth.settings import StoreSettings
    from litsynth.text.embedding import get_embedder
    from litsynth.vectorstore.store import PaperStore

    body = "".join(lines)
    digest = hashlib.sha256((settings.chunking.model_dump_json() + body).encode()).hexdigest()
    where = cache_dir / f"gate-{name}-{digest[:16]}"
    store = PaperStore.open(
        StoreSettings(path=where, collection="eval"),
        get_embedder(settings.embedding),
        chunking=settings.chunking,
    )
    if not (where / "INGESTED").is_file():
        where.mkdir(parents=True, exist_ok=True)
        src = where / f"{name}.jsonl"
        src.write_text(body, encoding="utf-8")
        ingest_paths(store, [src])
        (where / "INGESTED").write_text(f"{len(lines)} records\n", encoding="utf-8")
    return store


def demo_lines() -> list[str]:
    """The bundled demo corpus, one JSON record per line."""
    from litsynth.demo import corpus_path

    return [ln + "\n" for ln in corpus_path().read_text(encoding="utf-8").splitlines() if ln]


def distractor_lines(shared: Path) -> list[str]:
    """Three demo abstracts that are not among the 8 papers, and the first SciFact abstracts."""
    demo = [ln for ln in demo_lines() if json.loads(ln)["doc_id"] in DISTRACTOR_ABSTRACTS]
    corpus = shared / "scifact" / "corpus.jsonl"
    if not corpus.is_file():
        raise DatasetError(f"{corpus}: not found", hint="set LITSYNTH_SHARED_DATA")
    with corpus.open(encoding="utf-8") as f:
        return demo + list(islice(f, N_SCIFACT))


def stores_for(set_: str, settings: Settings, cache_dir: Path) -> list[PaperStore]:
    """The stores one label set is judged over."""
    if set_ == "demo":
        return [_jsonl_store("demo", demo_lines(), settings, cache_dir)]
    from litsynth.evals.datasets import shared_data_dir
    from litsynth.evals.tasks.answerability import _papers_store

    shared = shared_data_dir()
    return [
        _papers_store(shared / "papers", settings, cache_dir),
        _jsonl_store("distractors", distractor_lines(shared), settings, cache_dir),
    ]


def passages_by_doc(stores: list[PaperStore], question: str) -> dict[str, list[Passage]]:
    """Each document's best passages for the question, as the retriever would hand them on."""
    from litsynth.agents.retriever import passage_of

    out: dict[str, list[Passage]] = defaultdict(list)
    for store in stores:
        for h in store.search(question, k=SEARCH_K):
            if len(out[h.doc_id]) < PASSAGES_PER_DOC:
                out[h.doc_id].append(passage_of(h, question, h.score, 1))
    return out


def old_gate_keeps(question: str, doc: list[Passage]) -> bool:
    """The gate before issue 18: best passage cosine >= 0.35 and one shared key term."""
    from litsynth.text.terms import key_terms, term_stem

    text = " ".join(p.text for p in doc).lower()
    shared = [t for t in key_terms(question) if term_stem(t) in text]
    return max(p.question_score for p in doc) >= OLD_MIN_SIMILARITY and bool(shared)


def gate_keeps(
    question: str,
    by_doc: dict[str, list[Passage]],
    scorer: RelevanceScorer,
    settings: Settings,
    chat_model: BaseChatModel | None,
) -> dict[str, tuple[bool, str]]:
    """The gate's keep decision and reason per document (the LLM asked only when given)."""
    from litsynth.agents.context import Context
    from litsynth.agents.gate import decide, llm_verdict, score_papers
    from litsynth.text.subject import find_subject

    evidence = score_papers(scorer, question, by_doc)
    subject = find_subject(question)
    ctx = Context(settings=settings, chat_model=chat_model) if chat_model else None
    out = {}
    for doc_id, doc in by_doc.items():
        decision = decide(evidence[doc_id], doc[0].title, subject, settings.gate)
        if decision.ask_llm and ctx is not None:
            decision, _, _ = llm_verdict(ctx, question, doc, decision)
        out[doc_id] = (decision.keep, decision.reason)
    return out


def prf(pairs: list[tuple[bool, bool]]) -> dict[str, float | None]:
    """Precision, recall and F1 of kept (predicted True) against relevant (gold True)."""
    tp = sum(1 for g, p in pairs if g and p)
    kept = sum(1 for _, p in pairs if p)
    relevant = sum(1 for g, _ in pairs if g)
    precision = tp / kept if kept else None
    recall = tp / relevant if relevant else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {"precision": precision, "recall": recall, "f1": f1, "kept": float(kept)}


def run_gate(
    settings: Settings,
    *,
    gold: Path | None = None,
    sets: tuple[str, ...] = SETS,
    scorer: RelevanceScorer | None = None,
    chat_model: BaseChatModel | None = None,
    cache_dir: Path = Path(".litsynth/evals"),
    progress: Progress | None = None,
) -> TaskResult:
    """Judge every labelled pair with the gate (and the old gate) and score both per set."""
    from litsynth.text.relevance_baseline import MiniLMTermScorer

    started = time.perf_counter()
    labels = [x for x in load_labels(gold or GOLD) if x.set in sets]
    scorer = scorer or MiniLMTermScorer(shared_embedder(settings))
    settings = settings.model_copy(
        update={"gate": settings.gate.model_copy(update={"use_llm": chat_model is not None})}
    )
    preds: list[Prediction] = []
    metrics: dict[str, float | None] = {}
    baselines: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for set_ in sets:
        rows = [x for x in labels if x.set == set_]
        if not rows:
            continue
        stores = stores_for(set_, settings, cache_dir)
        questions = list(dict.fromkeys(x.question for x in rows))
        task = progress.add_task(f"gate {set_}", total=len(questions)) if progress else None
        new: list[tuple[bool, bool]] = []
        old: list[tuple[bool, bool]] = []
        for q in questions:
            by_doc = passages_by_doc(stores, q)
            keeps = gate_keeps(q, by_doc, scorer, settings, chat_model)
            for x in (r for r in rows if r.question == q):
                kept, reason = keeps.get(x.doc_id, (False, "not retrieved"))
                was = x.doc_id in by_doc and old_gate_keeps(q, by_doc[x.doc_id])
                new.append((x.relevant, kept))
                old.append((x.relevant, was))
                gold_label = "relevant" if x.relevant else "off_topic"
                preds.append(
                    Prediction(
                        id=f"{set_}:{x.question_id}:{x.doc_id}",
                        gold=gold_label,
                        pred="relevant" if kept else "off_topic",
                        confidence=1.0,
                        reason=reason,
                    )
                )
                if kept != x.relevant and x.doc_id in by_doc:
                    notes.append(f"{set_} {x.question_id} {x.title[:50]}: {gold_label}; {reason}")
            if progress is not None and task is not None:
                progress.advance(task)
        metrics |= {f"{set_}_{k}": v for k, v in prf(new).items()}
        metrics[f"{set_}_pairs"] = float(len(rows))
        baselines[f"old_gate_{set_}"] = prf(old)
    return TaskResult(
        dataset="gate-" + "+".join(sets),
        task="gate",
        n=len(preds),
        metrics=metrics,
        baselines=baselines,
        config={
            "gold": str(gold or GOLD),
            "scorer": getattr(scorer, "name", type(scorer).__name__),
            "llm": chat_model is not None,
            "gate": settings.gate.model_dump(),
        },
        seconds=round(time.perf_counter() - started, 2),
        notes=notes,
        predictions=preds,
    )
