"""The trainable cross-encoder: the shipped MiniLM with its lower layers frozen (their outputs
computed once and cached on disk), the upper layers and a 3-way head trained epoch by epoch.

Every epoch ends in a checkpoint (trainable weights, optimiser and scheduler state), so an
interrupted run resumes where it stopped when the same command runs again; each epoch's batch
order and dropout draws come from seeds fixed by (stage, epoch), so a resumed run trains the
same model as an uninterrupted one. Progress lines carry an ETA.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from litsynth.training.data import SEED
from litsynth.verification.cross import load_base, mean_pool

Progress = Callable[[str], None]


class CrossTrainer:
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

    def lower(
        self, ids: Sequence[list[int]], types: Sequence[list[int]], progress: Progress | None = None
    ) -> list[Any]:
        """Hidden states after the frozen layers, one (len, dim) float16 tensor per example."""
        torch = self.torch
        out: list[Any] = [None] * len(ids)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        eta = Eta(len(order))
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
                if progress and (s // 64) % 50 == 0:
                    progress(f"lower layers {eta.line(s + len(idx))}")
        return out

    def cached_lower(
        self,
        cache_dir: Path,
        claims: Sequence[str],
        evidences: Sequence[str],
        progress: Progress | None = None,
    ) -> list[Any]:
        """:meth:`lower` of the pairs, read from ``cache_dir`` when computed before."""
        torch = self.torch
        digest = hashlib.sha256(f"{self.frozen}:{self.max_length}".encode())
        for c, e in zip(claims, evidences, strict=True):
            digest.update(f"{c}\t{e}\n".encode())
        path = cache_dir / f"lower-{digest.hexdigest()[:20]}.pt"
        if path.is_file():
            blob = torch.load(path)
            return list(torch.split(blob["states"], blob["lengths"].tolist()))
        ids, types = self.encode(claims, evidences)
        states = self.lower(ids, types, progress)
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        lengths = torch.tensor([s.shape[0] for s in states])
        torch.save({"states": torch.cat(states), "lengths": lengths}, tmp)
        tmp.replace(path)
        return states

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
        """Head logits over the mean-pooled upper-layer output."""
        h, mask = self._upper(states)
        pooled = mean_pool(h, mask)
        return self.head(self.dropout(pooled) if train else pooled)

    def predict(self, states: Sequence[Any]) -> np.ndarray:
        """Logits (n, 3) of cached lower-layer states."""
        self.upper.eval()
        order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
        out = np.zeros((len(states), 3))
        with self.torch.inference_mode():
            for s in range(0, len(order), 64):
                idx = order[s : s + 64]
                out[idx] = self.upper_logits([states[i] for i in idx], False).double().numpy()
        return out

    def optimiser(self, steps: int) -> tuple[Any, Any]:
        """AdamW (head at 20x the layers' rate) and linear warm-up/decay over ``steps``."""
        torch = self.torch
        params = [
            {"params": list(self.upper.parameters()), "lr": self.lr},
            {"params": list(self.head.parameters()), "lr": self.lr * 20},
        ]
        opt = torch.optim.AdamW(params, weight_decay=0.01)
        warm = max(1, steps // 16)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
        )
        return opt, sched

    def epoch(
        self,
        states: Sequence[Any],
        y: np.ndarray,
        w: np.ndarray,
        batch: int,
        opt: Any,
        sched: Any,
        seed: int,
        progress: Progress | None = None,
    ) -> float:
        """One pass over ``states`` in length-bucketed shuffled batches; the mean loss."""
        torch = self.torch
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        self.upper.train()
        perm = rng.permutation(len(states))
        # length buckets of 32 batches: little padding, still shuffled
        chunks = [perm[i : i + batch * 32] for i in range(0, len(perm), batch * 32)]
        batches = [
            c[np.argsort([states[i].shape[0] for i in c], kind="stable")][j : j + batch]
            for c in chunks
            for j in range(0, len(c), batch)
        ]
        yt, wt = torch.tensor(y), torch.tensor(w, dtype=torch.float32)
        total, seen = 0.0, 0
        eta = Eta(len(states))
        for n, k in enumerate(rng.permutation(len(batches))):
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
            seen += len(idx)
            if progress and n % 50 == 49:
                progress(f"{eta.line(seen)}, loss {total / seen:.4f}")
        return total / max(1, seen)

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
        """Load weights written by :meth:`snapshot`."""
        for i, layer in enumerate(self.upper):
            prefix = f"bert.encoder.layer.{self.frozen + i}."
            layer.load_state_dict(
                {k[len(prefix) :]: v for k, v in snap.items() if k.startswith(prefix)}
            )
        self.head.load_state_dict({k[5:]: v for k, v in snap.items() if k.startswith("head.")})

    def check_split(self, claims: Sequence[str], evidences: Sequence[str]) -> float:
        """Max difference between the cached-lower path and a plain forward (should be ~0)."""
        torch = self.torch
        ids, types = self.encode(claims, evidences)
        ii, tt, mm = self._pad(ids, types)
        with torch.inference_mode():
            full = self.bert(input_ids=ii, token_type_ids=tt, attention_mask=mm).last_hidden_state
            h, mask = self._upper(self.lower(ids, types))
        return float((mean_pool(full, mm) - mean_pool(h, mask)).abs().max())


class Eta:
    """Progress of ``total`` items: done/total, rate and the time left."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.t0 = time.perf_counter()

    def line(self, done: int) -> str:
        """E.g. ``1200/5000 (12.3/s, ETA 5m09s)``."""
        elapsed = time.perf_counter() - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (self.total - done) / rate if rate > 0 else float("nan")
        eta = f"{int(left // 60)}m{int(left % 60):02d}s" if left == left else "?"
        return f"{done}/{self.total} ({rate:.1f}/s, ETA {eta})"
