"""Latency of a trained verifier: ms per verdict for one claim + one SciFact abstract.

Run: ``python benchmarks/verifier_latency.py [--kind cross|trained] [--n 50] [--artifact A B]
[--runtime torch onnx onnx-int8]``. For each runtime (all three by default, measured in the same
run, interleaved claim by claim so machine load hits them alike) it prints the median and mean
ms per verdict (single ``verify`` calls, models warm), the ratio to the 50 ms budget and to
PyTorch, then the same per claim when ``verify_many`` batches them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

BUDGET_MS = 50.0
RUNTIMES = ("torch", "onnx", "onnx-int8")


def main() -> None:
    """Time verdicts on real SciFact dev claims with their cited abstracts."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50, help="claims to time")
    parser.add_argument("--kind", choices=("cross", "trained"), default="cross")
    parser.add_argument("--runtime", nargs="+", choices=RUNTIMES, default=list(RUNTIMES))
    parser.add_argument(
        "--artifact",
        type=Path,
        nargs="+",
        default=[None],
        help="artefact file(s) (default: the shipped one); several are timed side by side",
    )
    args = parser.parse_args()

    import torch

    from litsynth.evals.datasets import load
    from litsynth.schema import EvidencePassage
    from litsynth.verification.cross_verifier import CrossEncoderVerifier
    from litsynth.verification.trained import SelectingVerifier, TrainedVerifier

    records = load("scifact", "dev", limit=args.n)
    items = [
        (r.claim, [EvidencePassage(text=e.text, doc_id=e.doc_id) for e in r.evidence])
        for r in records
    ]
    verifiers: dict[str, SelectingVerifier] = {}
    for artifact in args.artifact:
        for runtime in args.runtime:
            key = runtime if artifact is None else f"{runtime} {artifact.stem}"
            verifiers[key] = (
                CrossEncoderVerifier.load(artifact, runtime=runtime)
                if args.kind == "cross"
                else TrainedVerifier.load(artifact, runtime=runtime)
            )
            verifiers[key].verify(*items[0])  # warm: loads MiniLM, exports ONNX once
    times: dict[str, list[float]] = {r: [] for r in verifiers}
    for claim, passages in items:
        for runtime, verifier in verifiers.items():
            t0 = time.perf_counter()
            verifier.verify(claim, passages)
            times[runtime].append((time.perf_counter() - t0) * 1000)
    print(f"kind: {args.kind}; torch threads: {torch.get_num_threads()}; n={len(items)}")
    base = statistics.median(times[next(iter(times))])
    for runtime, verifier in verifiers.items():
        t0 = time.perf_counter()
        verifier.verify_many(items)
        batched = (time.perf_counter() - t0) * 1000 / len(items)
        median, mean = statistics.median(times[runtime]), statistics.mean(times[runtime])
        print(
            f"{runtime:>10}: median {median:.1f} ms, mean {mean:.1f} ms per verdict; "
            f"ratio to {BUDGET_MS:.0f} ms budget {median / BUDGET_MS:.2f}; "
            f"to {next(iter(times))} {median / base:.2f}; "
            f"verify_many {batched:.1f} ms per verdict ({batched / BUDGET_MS:.2f} of budget)"
        )
        print(f"{'':>12}{verifier.name}; {verifier.runtime_summary}")


if __name__ == "__main__":
    main()
