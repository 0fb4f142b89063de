"""The cross-encoder ablation: ``python -m litsynth.training.ablation [--only NAME ...]``.

Trains each variant with :mod:`litsynth.training.cross` (task only, + general NLI, + biomedical,
+ hard cases: the default) into ``$LITSYNTH_TRAIN_CACHE/ablation`` and prints a table of what
the calibration split says (dev is reported by ``litsynth eval verify``, never used to choose).
Each run resumes from its checkpoints; a variant whose artefact exists is not retrained, and
variants that differ only in the task stage share the entailment stage.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from litsynth.training import cross
from litsynth.training.data import CACHE_DIR
from litsynth.training.entailment import GENERAL

VARIANTS: dict[str, list[str]] = {
    "task only": ["--entail-sources", "", "--hard-cases", "0"],
    "+ NLI": ["--entail-sources", ",".join(GENERAL), "--hard-cases", "0"],
    "+ biomedical": ["--hard-cases", "0"],
    "+ hard cases": [],
}


def artefact(name: str) -> Path:
    """Where the variant's artefact goes (never into the package)."""
    slug = name.replace("+", "plus").replace(" ", "_")
    return CACHE_DIR / "ablation" / f"cross_encoder-{slug}.safetensors"


def row(meta: dict[str, Any]) -> dict[str, Any]:
    """Calibration-split figures of one trained variant."""
    history = meta["training"]["history"]
    entail = history.get("entailment") or [{}]
    combiner = meta.get("combiner", {})
    return {
        "after entailment stage": entail[-1].get("calib_mean_macro_f1"),
        "cross-encoder": meta["metrics"].get("calibration_mean_macro_f1"),
        "combined (5-fold CV)": max(
            combiner.get("calibration_cv_mean_macro_f1", {0: None}).values()
        ),
        "calib ECE": meta["metrics"]["calibration_ece_after"],
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Train the chosen variants (all by default) and print the calibration table."""
    ap = argparse.ArgumentParser(description="Cross-encoder ablation on the calibration split.")
    ap.add_argument("--only", nargs="*", choices=list(VARIANTS), default=list(VARIANTS))
    ap.add_argument("--table-only", action="store_true", help="print what is trained so far")
    args = ap.parse_args(argv)
    for name in args.only:
        out = artefact(name)
        if not args.table_only and not out.with_suffix(".json").is_file():
            print(f"== {name}", flush=True)
            cross.main([*VARIANTS[name], "--out", str(out)])
    print(f"| variant | {' | '.join(row_names())} |")
    print("|---" * (len(row_names()) + 1) + "|")
    for name in VARIANTS:
        path = artefact(name).with_suffix(".json")
        if not path.is_file():
            print(f"| {name} | {' | '.join('not trained' for _ in row_names())} |")
            continue
        cells = row(json.loads(path.read_text(encoding="utf-8")))
        print(f"| {name} | {' | '.join(_fmt(v) for v in cells.values())} |")


def row_names() -> list[str]:
    return ["after entailment stage", "cross-encoder", "combined (5-fold CV)", "calib ECE"]


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    main()
