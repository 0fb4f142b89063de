"""Citation-Integrity (Sarol et al., Bioinformatics 2024) in SciFact's format.

Citing sentences (with ``<|cit|>`` markers) checked against the cited article's sentences.
Labels SUPPORT -> supported, REFUTE -> contradicted (the copy here normalised ACCURATE/NOT_ACCURATE
to these), a cited doc without evidence -> not_enough_info. One record per (claim, cited doc),
id ``<claim id>-<doc id>``. Splits: official ``train`` and ``dev``.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from litsynth.evals.datasets._common import check_split, resolve
from litsynth.evals.datasets._scifact_format import read_claims, read_corpus
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord, Split

NAME = "citation_integrity"
_LABELS: dict[str, GoldLabel] = {
    "support": "supported",
    "refute": "contradicted",
    "contradict": "contradicted",
}
_FILES = {
    "train": ("citation_integrity", "claims_train.jsonl"),
    "dev": ("citation_integrity", "claims_dev.jsonl"),
}
_CORPUS = ("citation_integrity", "corpus.jsonl")


def load_corpus(corpus: Path | None = None) -> list[GoldEvidence]:
    """All 3,063 cited-article excerpts (sentences kept)."""
    return read_corpus(resolve(corpus, *_CORPUS))


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per (citing sentence, cited doc)."""
    check_split(NAME, split, tuple(_FILES))
    path = resolve(claims, *_FILES[split])
    return read_claims(NAME, path, load_corpus(corpus), _LABELS, cast(Split, split))


SPEC = DatasetSpec(
    name=NAME,
    description="Citation-Integrity: citing sentences vs the cited article's sentences",
    splits=tuple(_FILES),
    default_claims=dict(_FILES),
    load_claims=load_claims,
    default_corpus=_CORPUS,
    load_corpus=load_corpus,
    split_note="official train / dev",
)
