"""Latency of the relevance scorer: ms per (question, sentence) pair.

Run: ``python benchmarks/relevance_latency.py [--rounds 5] [--runtime torch onnx onnx-int8]``.
The demo question is scored against every sentence of each bundled demo abstract, one
``score`` call per abstract as the gate makes one per paper (about 9 sentences each), and once
for all sentences in one call as the extractor may. Runtimes are measured in the same run,
interleaved abstract by abstract so machine load hits them alike; models are warm. Printed: the
median ms per pair and its ratio to the budget.

Budget: 5 ms per pair. A research run scores about 25 retrieved passages of about 6 sentences
for the gate and the extractor (150 pairs): within budget that is under a second on 2 cores,
small beside the verifier (50 ms per verdict, about 20 verdicts) and the chat model.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

BUDGET_MS = 5.0
RUNTIMES = ("torch", "onnx", "onnx-int8")
QUESTION = "How does 4-bit weight quantization affect the accuracy of large language models?"
DEMO = Path(__file__).resolve().parents[1] / "litsynth" / "demo" / "arxiv_abstracts.jsonl"


def main() -> None:
    """Time the scorer on the bundled demo corpus."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the demo corpus")
    parser.add_argument("--runtime", nargs="+", choices=RUNTIMES, default=list(RUNTIMES))
    args = parser.parse_args()

    import torch

    from litsynth.relevance import RelevanceScorer
    from litsynth.text.sentences import split_sentences

    abstracts = [
        [s.text for s in split_sentences(json.loads(line)["abstract"])]
        for line in DEMO.read_text(encoding="utf-8").splitlines()
    ]
    scorers = {r: RelevanceScorer.load(runtime=r) for r in args.runtime}
    for scorer in scorers.values():
        scorer.score(QUESTION, abstracts[0])  # warm: exports ONNX once
    per_pair: dict[str, list[float]] = {r: [] for r in scorers}
    for _ in range(args.rounds):
        for sentences in abstracts:
            for runtime, scorer in scorers.items():
                t0 = time.perf_counter()
                scorer.score(QUESTION, sentences)
                per_pair[runtime].append((time.perf_counter() - t0) * 1000 / len(sentences))
    every = [s for a in abstracts for s in a]
    pairs = sum(len(a) for a in abstracts)
    print(f"torch threads: {torch.get_num_threads()}; {pairs} pairs x {args.rounds} rounds")
    for runtime, scorer in scorers.items():
        t0 = time.perf_counter()
        scorer.score(QUESTION, every)
        one_call = (time.perf_counter() - t0) * 1000 / len(every)
        median = statistics.median(per_pair[runtime])
        print(
            f"{runtime:>10}: median {median:.2f} ms per pair (per-paper calls), ratio to the "
            f"{BUDGET_MS:.0f} ms budget {median / BUDGET_MS:.2f}; one call for all "
            f"{len(every)}: {one_call:.2f} ms per pair ({one_call / BUDGET_MS:.2f}); "
            f"{scorer.runtime_note}"
        )


if __name__ == "__main__":
    main()
