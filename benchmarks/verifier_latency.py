"""Latency of a trained verifier: ms per verdict for one claim + one SciFact abstract.

Run: ``python benchmarks/verifier_latency.py [--kind cross|trained] [--n 50]``. Prints the
median and mean ms per verdict (single ``verify`` calls, models warm) and the ratio to the
50 ms budget, then the same per claim when ``verify_many`` batches them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

BUDGET_MS = 50.0


def main() -> None:
    """Time verdicts on real SciFact dev claims with their cited abstracts."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50, help="claims to time")
    parser.add_argument("--kind", choices=("cross", "trained"), default="cross")
    parser.add_argument(
        "--artifact", type=Path, default=None, help="artefact file (default: the shipped one)"
    )
    args = parser.parse_args()

    import torch

    from litsynth.evals.datasets import load
    from litsynth.verification.base import EvidencePassage
    from litsynth.verification.cross_verifier import CrossEncoderVerifier
    from litsynth.verification.trained import SelectingVerifier, TrainedVerifier

    records = load("scifact", "dev", limit=args.n)
    items = [
        (r.claim, [EvidencePassage(text=e.text, doc_id=e.doc_id) for e in r.evidence])
        for r in records
    ]
    verifier: SelectingVerifier = (
        CrossEncoderVerifier.load(args.artifact)
        if args.kind == "cross"
        else TrainedVerifier.load(args.artifact)
    )
    verifier.verify(*items[0])  # warm: loads MiniLM
    times = []
    for claim, passages in items:
        t0 = time.perf_counter()
        verifier.verify(claim, passages)
        times.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    verifier.verify_many(items)
    batched = (time.perf_counter() - t0) * 1000 / len(items)
    median = statistics.median(times)
    print(f"verifier: {verifier.name}; torch threads: {torch.get_num_threads()}; n={len(items)}")
    mean = statistics.mean(times)
    print(f"single verify: median {median:.1f} ms, mean {mean:.1f} ms per verdict")
    print(f"ratio to {BUDGET_MS:.0f} ms budget (median): {median / BUDGET_MS:.2f}")
    ratio = batched / BUDGET_MS
    print(f"verify_many batched: {batched:.1f} ms per verdict ({ratio:.2f} of budget)")


if __name__ == "__main__":
    main()
