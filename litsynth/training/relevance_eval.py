"""Held-out measurement of the relevance scorer against MiniLM cosine:
``nice -n 10 python -m litsynth.training.relevance --evaluate``.

1. SciFact dev: for the first 80 claims with rationales (phrased as a question), the sentences
   of its cited abstracts and of the two nearest non-cited abstracts; gold = rationales.
2. The eight LLM papers (never trained on), in the retriever's setting: for each question the
   candidates are the 150 sentences of the papers nearest by MiniLM cosine plus the gold ones.
   Questions of ``evals/gold/quantization_questions.jsonl``: gold = the sentences holding its
   claims' quotes. ``answerability_questions.jsonl`` (no claims): gold = sentences naming every
   ``answered`` facet, for questions with at least two.
3. The demo case: the best sentence of each demo abstract for the demo question.

The figures are printed as Markdown and written into the artefact's JSON (``held_out``).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.evals.datasets import load, load_corpus, shared_data_dir
from litsynth.relevance.scorer import RelevanceScorer
from litsynth.text.facets import literal_pattern
from litsynth.text.findings import is_boilerplate
from litsynth.text.sentences import split_sentences
from litsynth.training.relevance import as_question, auc

NEAREST = 150  # candidates per question: the sentences nearest by cosine, plus the gold ones
DEMO_QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"
DEMO = Path(__file__).resolve().parents[1] / "demo" / "arxiv_abstracts.jsonl"
Scorer = Callable[[str, Sequence[str]], np.ndarray]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9%.]+", " ", text).strip()


def ranking(scores: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """AUC, precision at 5 and 10, recall at 20 and the best gold rank (1 = top)."""
    order = np.argsort(-scores, kind="stable")
    hits = gold[order]
    return {
        "auc": auc(scores, gold.astype(int)),
        "p@5": float(hits[:5].mean()),
        "p@10": float(hits[:10].mean()),
        "r@20": float(hits[:20].sum() / max(1, gold.sum())),
        "best_rank": float(np.flatnonzero(hits)[0] + 1) if gold.any() else float("nan"),
    }


def mean_rows(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """Column means (NaN-aware) of metric rows."""
    return {k: float(np.nanmean([r[k] for r in rows])) for k in rows[0]} if rows else {}


def scorers(model: RelevanceScorer) -> dict[str, Scorer]:
    """The trained scorer and the MiniLM cosine baseline, same signature."""
    from litsynth.text.embedding import get_embedder

    embedder = get_embedder()
    known: dict[str, np.ndarray] = {}

    def cosine(question: str, sentences: Sequence[str]) -> np.ndarray:
        new = list(dict.fromkeys(t for t in [question, *sentences] if t not in known))
        known.update(zip(new, embedder.encode(new), strict=True))
        return np.array([known[s] @ known[question] for s in sentences])

    def relevance(question: str, sentences: Sequence[str]) -> np.ndarray:
        return np.asarray(model.score(question, sentences))

    return {"relevance": relevance, "cosine": cosine}


def scifact_dev(score: dict[str, Scorer], limit: int | None = None) -> dict[str, Any]:
    """Rationale ranking on SciFact dev, each claim phrased as a question."""
    from litsynth.text.embedding import get_embedder

    records = [r for r in load("scifact", "dev") if any(ev.rationale for ev in r.evidence)]
    records = records[:limit]
    corpus = [d for d in load_corpus("scifact") if d.sentences]
    embed = get_embedder().encode
    titles = embed([d.title or d.sentences[0] for d in corpus])
    claims = embed([r.claim for r in records])
    out: dict[str, Any] = {"claims": len(records)}
    rows: dict[str, list[dict[str, float]]] = {}
    pooled: dict[str, tuple[list[float], list[int]]] = {}
    for rec, vec in zip(records, claims, strict=True):
        cited = {ev.doc_id for ev in rec.evidence}
        near = [corpus[j] for j in np.argsort(-(titles @ vec)) if corpus[j].doc_id not in cited]
        sents, gold = [], []
        for ev in rec.evidence:
            sents += ev.sentences
            gold += [i in ev.rationale for i in range(len(ev.sentences))]
        for doc in near[:2]:
            sents += doc.sentences
            gold += [False] * len(doc.sentences)
        g = np.array(gold)
        for key, fn in score.items():
            s = fn(as_question(rec.claim), sents)
            rows.setdefault(key, []).append(ranking(s, g))
            pooled.setdefault(key, ([], []))
            pooled[key][0].extend(s.tolist())
            pooled[key][1].extend(g.astype(int).tolist())
    for key, r in rows.items():
        m = mean_rows(r)
        out[key] = {"auc_per_claim": m["auc"], "auc_pooled": auc(*pooled[key])}
        out[key] |= {"p@1": float(np.mean([x["best_rank"] == 1 for x in r])), "p@5": m["p@5"]}
    return out


def paper_sentences(folder: Path) -> tuple[list[str], list[str]]:
    """Sentences (5-80 words, no boilerplate) of the eight papers' text, with their paper ids."""
    texts, papers = [], []
    for path in sorted(folder.glob("*.txt")):
        for s in split_sentences(path.read_text(encoding="utf-8")):
            text = " ".join(s.text.split())
            if 5 <= len(text.split()) <= 80 and not is_boilerplate(text):
                texts.append(text)
                papers.append(path.name.split("_")[0])
    return texts, papers


def locate(quote: str, paper: str, texts: Sequence[str], papers: Sequence[str]) -> set[int]:
    """Sentences of ``paper`` that hold (part of) ``quote``, by normalised containment."""
    q = _norm(quote)
    found = set()
    for i, (t, p) in enumerate(zip(texts, papers, strict=True)):
        if p != paper:
            continue
        n = _norm(t)
        if q in n or (len(n.split()) >= 6 and n in q):
            found.add(i)
    return found


def _rows(path: Path, limit: int | None) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()][:limit]


def llm_papers(score: dict[str, Scorer], limit: int | None = None) -> dict[str, Any]:
    """Gold-finding ranking among the sentences of the eight papers nearest each question."""
    from litsynth.text.embedding import get_embedder

    texts, papers = paper_sentences(shared_data_dir() / "papers")
    vecs = get_embedder().encode(texts)

    def candidates(question: str, gold_idx: Sequence[int]) -> list[int]:
        qv = get_embedder().encode([question])[0]
        return sorted(set(np.argsort(-(vecs @ qv))[:NEAREST].tolist()) | set(gold_idx))

    claims = {c["id"]: c for c in map(json.loads, (GOLD / "quantization_claims.jsonl").open("rb"))}
    located = {cid: locate(c["quote"], c["paper"], texts, papers) for cid, c in claims.items()}
    out: dict[str, Any] = {
        "sentences": len(texts),
        "quotes_located": sum(bool(v) for v in located.values()),
        "quotes": len(claims),
    }
    rows: dict[str, list[dict[str, float]]] = {}
    for q in _rows(GOLD / "quantization_questions.jsonl", limit):
        gold_idx = sorted({i for cid in q["claims"] for i in located[cid]})
        cand = candidates(q["question"], gold_idx)
        gold = np.isin(cand, gold_idx)
        for name, fn in score.items():
            r = ranking(fn(q["question"], [texts[i] for i in cand]), gold)
            rows.setdefault(name, []).append(r)
            out.setdefault("per_question", {}).setdefault(q["id"], {})[name] = r
    out["quantization_questions"] = {k: mean_rows(v) for k, v in rows.items()}
    rows = {}
    for q in _rows(GOLD / "answerability_questions.jsonl", limit):
        names = [n for n, status in q["facets"].items() if status == "answered"]
        if len(names) < 2:
            continue
        pats = [literal_pattern(n) for n in names]
        gold_idx = [i for i, t in enumerate(texts) if all(p.search(t) for p in pats)]
        if not gold_idx:
            continue
        cand = candidates(q["question"], gold_idx)
        gold = np.isin(cand, gold_idx)
        for name, fn in score.items():
            rows.setdefault(name, []).append(
                ranking(fn(q["question"], [texts[i] for i in cand]), gold)
            )
    out["answerability_questions"] = {k: mean_rows(v) for k, v in rows.items()}
    out["answerability_questions"]["n"] = len(rows.get("relevance", []))
    return out


def demo_case(score: dict[str, Scorer]) -> dict[str, Any]:
    """Best-sentence score of every demo abstract for the demo question."""
    out: dict[str, Any] = {}
    for row in map(json.loads, DEMO.open("rb")):
        sents = [s.text for s in split_sentences(row["abstract"])]
        out[row["title"]] = {
            name: float(fn(DEMO_QUESTION, sents).max()) for name, fn in score.items()
        }
    return out


def markdown(results: dict[str, Any]) -> str:
    """The README's tables."""
    lines = [
        "| SciFact dev (rationales) | AUC per claim | AUC pooled | P@1 | P@5 |",
        "|---|---|---|---|---|",
    ]
    for key, m in results["scifact_dev"].items():
        if isinstance(m, dict):
            lines.append(
                f"| {key} | {m['auc_per_claim']:.3f} | {m['auc_pooled']:.3f} | "
                f"{m['p@1']:.3f} | {m['p@5']:.3f} |"
            )
    for part in ("quantization_questions", "answerability_questions"):
        lines += [
            "",
            f"| LLM papers, {part} | AUC | P@5 | P@10 | R@20 | best gold rank |",
            "|---|---|---|---|---|---|",
        ]
        for name, m in results["llm_papers"][part].items():
            if isinstance(m, dict):
                lines.append(
                    f"| {name} | {m['auc']:.3f} | {m['p@5']:.3f} | {m['p@10']:.3f} | "
                    f"{m['r@20']:.3f} | {m['best_rank']:.1f} |"
                )
    lines += ["", "| demo abstract (best sentence) | relevance | cosine |", "|---|---|---|"]
    for title, m in sorted(results["demo"].items(), key=lambda kv: -kv[1]["relevance"]):
        lines.append(f"| {title[:70]} | {m['relevance']:.3f} | {m['cosine']:.3f} |")
    return "\n".join(lines)


def _finite(value: Any) -> Any:
    """``value`` with NaN replaced by None (strict JSON)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


SCIFACT_CLAIMS = 80  # the first dev claims with rationales: a 2-core budget, not a choice


def evaluate(artifact: Path, *, threads: int = 2, limit: int | None = None) -> dict[str, Any]:
    """Measure ``artifact``, print Markdown, and record the figures in its JSON (not with
    ``limit``, a quick check on the first claims and questions only)."""
    import torch

    torch.set_num_threads(threads)
    t0 = time.perf_counter()
    model = RelevanceScorer.load(artifact, runtime="onnx")
    score = scorers(model)
    results: dict[str, Any] = {}
    for name, step in (
        ("demo", lambda: demo_case(score)),
        ("scifact_dev", lambda: scifact_dev(score, limit or SCIFACT_CLAIMS)),
        ("llm_papers", lambda: llm_papers(score, limit)),
    ):
        results[name] = step()
        print(f"{name} measured ({time.perf_counter() - t0:.0f}s)", flush=True)
    results |= {"runtime": model.runtime_note, "seconds": round(time.perf_counter() - t0, 1)}
    print(markdown(results))
    if limit:
        return results
    meta_path = artifact.with_suffix(".json")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.setdefault("metrics", {})["held_out"] = _finite(results)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return results
