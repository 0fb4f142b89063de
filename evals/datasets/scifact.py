"""SciFact (Wadden et al., 2020) in its own released format.

Setting: label prediction given the cited abstract (SciFact's standard oracle-abstract setting):
each (claim, cited doc) pair is one record ``<claim id>-<doc id>``; SUPPORT/CONTRADICT from the
claim's ``evidence`` for that doc, ``not_enough_info`` when the cited doc carries no evidence.
Splits: ``train`` = official train, ``dev`` = the shared part of official dev
(``claims_dev_shared.jsonl``; see its PROVENANCE.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from litsynth.evals.datasets._common import check_split, resolve
from litsynth.evals.datasets._scifact_format import read_claims, read_corpus
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord, Split

NAME = "scifact"
_LABELS: dict[str, GoldLabel] = {"support": "supported", "contradict": "contradicted"}
_FILES = {"train": ("scifact", "claims_train.jsonl"), "dev": ("scifact", "claims_dev_shared.jsonl")}
_CORPUS = ("scifact", "corpus.jsonl")


def load_corpus(corpus: Path | None = None) -> list[GoldEvidence]:
    """All 5,183 SciFact abstracts (sentences kept)."""
    return read_corpus(resolve(corpus, *_CORPUS))


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per (claim, cited abstract)."""
    check_split(NAME, split, tuple(_FILES))
    path = resolve(claims, *_FILES[split])
    return read_claims(NAME, path, load_corpus(corpus), _LABELS, cast(Split, split))


SPEC = DatasetSpec(
    name=NAME,
    description="SciFact: scientific claims vs PubMed abstracts (label prediction, cited abstract)",
    splits=tuple(_FILES),
    default_claims=dict(_FILES),
    load_claims=load_claims,
    default_corpus=_CORPUS,
    load_corpus=load_corpus,
    split_note="official train; dev = shared part of official dev",
)
