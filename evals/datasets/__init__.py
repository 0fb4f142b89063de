"""Gold-set loaders: every dataset mapped into :class:`litsynth.evals.schema.GoldRecord`.

>>> from litsynth.evals.datasets import DATASETS, load
>>> records = load("scifact", "dev", limit=5)

Default files live under the shared data root (``$LITSYNTH_SHARED_DATA`` or
``<repo>/../shared/data``); every loader also takes explicit paths. Malformed records raise
:class:`DatasetError` naming file:line.
"""

from __future__ import annotations

from pathlib import Path

from litsynth.errors import DatasetError
from litsynth.evals.datasets import (
    check_covid,
    citation_integrity,
    covidfact,
    healthver,
    scifact,
    true_false,
    wice,
)
from litsynth.evals.datasets._common import shared_data_dir
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldRecord

# The registry is a table: a dataset whose format differs from another's only in file and
# field names is a row of data (``true_false``), not a module of its own.
DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        scifact.SPEC,
        healthver.SPEC,
        check_covid.SPEC,
        covidfact.SPEC,
        citation_integrity.SPEC,
        wice.SPEC,
        true_false.FACTBENCH,
        true_false.FELM,
    )
}

__all__ = ["DATASETS", "DatasetSpec", "load", "load_corpus", "shared_data_dir"]


def _spec(name: str) -> DatasetSpec:
    if name not in DATASETS:
        raise DatasetError(
            f"unknown dataset {name!r}", hint=f"choose one of: {', '.join(sorted(DATASETS))}"
        )
    return DATASETS[name]


def load(
    name: str,
    split: str = "dev",
    *,
    claims: Path | None = None,
    corpus: Path | None = None,
    limit: int | None = None,
) -> list[GoldRecord]:
    """Gold records of ``name``/``split`` (the first ``limit`` when given)."""
    records = _spec(name).load_claims(split, claims, corpus)
    return records if limit is None else records[:limit]


def load_corpus(name: str, corpus: Path | None = None) -> list[GoldEvidence]:
    """The retrieval corpus of ``name`` (scifact, check_covid, citation_integrity)."""
    spec = _spec(name)
    if spec.load_corpus is None:
        raise DatasetError(
            f"{name} has no corpus",
            hint="retrieve tasks need one of: "
            + ", ".join(n for n, s in DATASETS.items() if s.has_corpus),
        )
    return spec.load_corpus(corpus)
