"""SciFact loader on the real files and on malformed input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litsynth.errors import DatasetError
from litsynth.evals.datasets import DATASETS, load, load_corpus


def test_scifact_dev_label_prediction(shared_data: Path) -> None:
    records = load("scifact", "dev")
    by_id = {r.id: r for r in records}
    # Claim 5 cites 13734012 with a SUPPORT rationale at sentence 4.
    rec = by_id["5-13734012"]
    assert rec.label == "supported"
    assert rec.evidence[0].rationale == [4]
    assert rec.evidence[0].sentences[4] in rec.evidence[0].text
    # Claim 1 has empty evidence: its cited abstract gives NEI.
    assert by_id["1-31715818"].label == "not_enough_info"
    assert {r.split for r in records} == {"dev"}
    assert len(records) == 221


def test_scifact_train_limit_and_corpus(shared_data: Path) -> None:
    assert len(load("scifact", "train", limit=7)) == 7
    assert DATASETS["scifact"].has_corpus
    corpus = load_corpus("scifact")
    assert len(corpus) == 5183
    assert all(doc.sentences for doc in corpus[:50])


def test_scifact_explicit_files_and_malformed_line(shared_data: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"doc_id": 7, "title": "T", "abstract": ["A rises.", "B falls."]}) + "\n"
    )
    claims = tmp_path / "claims.jsonl"
    good = {
        "id": 1,
        "claim": "B falls.",
        "evidence": {"7": [{"sentences": [1], "label": "SUPPORT"}]},
        "cited_doc_ids": [7],
    }
    claims.write_text(json.dumps(good) + "\n" + '{"id": 2, "claim": 3}\n')
    with pytest.raises(DatasetError, match=r"claims\.jsonl:2: .*'claim'"):
        load("scifact", "dev", claims=claims, corpus=corpus)
    claims.write_text(json.dumps(good) + "\n")
    (rec,) = load("scifact", "dev", claims=claims, corpus=corpus)
    assert rec.label == "supported" and rec.evidence[0].rationale == [1]


def test_unknown_dataset_and_split() -> None:
    with pytest.raises(DatasetError, match="unknown dataset"):
        load("nope")
    with pytest.raises(DatasetError, match="no split"):
        load("scifact", "test")
