"""Every other gold-set loader on a few real records, malformed lines, and the split rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litsynth.errors import DatasetError
from litsynth.evals.datasets import DATASETS, load, load_corpus


def test_registry_lists_all_datasets() -> None:
    assert set(DATASETS) == {
        "scifact",
        "healthver",
        "check_covid",
        "covidfact",
        "citation_integrity",
        "wice",
        "factbench",
        "felm",
    }
    assert {n for n, s in DATASETS.items() if s.has_corpus} == {
        "scifact",
        "check_covid",
        "citation_integrity",
    }


def test_healthver_csv_as_published(shared_data: Path) -> None:
    dev = load("healthver", "dev")
    train = load("healthver", "train")
    assert len(dev) + len(train) == 1917
    # Split by claim text: no claim appears on both sides.
    assert not {r.claim for r in dev} & {r.claim for r in train}
    by_id = {r.id: r for r in load("healthver", "all")}
    first = by_id["224"]
    assert first.label == "not_enough_info"
    assert first.evidence[0].text.startswith("Covid19 infection began in Wuhan")
    assert first.split in {"train", "dev"}


def test_check_covid(shared_data: Path) -> None:
    dev = load("check_covid", "dev")
    rec = next(r for r in dev if r.id == "60ac5f7ff9b9e03ea4d8e68e_0")
    assert rec.label == "contradicted"
    assert rec.evidence[0].doc_id == "asnvwu1u"
    assert rec.evidence[0].rationale == [0, 3]
    assert len(load_corpus("check_covid")) == 347
    assert {r.label for r in load("check_covid", "train", limit=200)} == {
        "supported",
        "contradicted",
        "not_enough_info",
    }


def test_citation_integrity(shared_data: Path) -> None:
    rec = load("citation_integrity", "dev", limit=1)[0]
    assert rec.id == "0-31000" and rec.label == "supported" and rec.evidence[0].rationale == [0]
    assert any(r.label == "contradicted" for r in load("citation_integrity", "train", limit=100))
    assert len(load_corpus("citation_integrity")) == 3063


def test_covidfact_split_by_source(shared_data: Path) -> None:
    train, dev = load("covidfact", "train"), load("covidfact", "dev")
    assert len(train) + len(dev) == 4086
    assert not {r.evidence[0].doc_id for r in train} & {r.evidence[0].doc_id for r in dev}
    first = next(r for r in train + dev if r.id == "line1")
    assert first.label == "supported" and len(first.evidence[0].sentences) == 2


def test_wice_labels_and_rationale(shared_data: Path) -> None:
    records = load("wice", "all")
    assert len(records) == 349
    first = records[0]
    assert first.label == "not_enough_info"  # partially_supported
    assert first.evidence[0].rationale == [5, 15, 17]
    assert {r.label for r in records} == {"supported", "not_enough_info"}


def test_factbench_and_felm(shared_data: Path) -> None:
    fb = load("factbench", "all")
    assert len(fb) == 765 and fb[1].label == "contradicted"  # "The United States has 94 ..."
    assert all(not r.evidence for r in fb)
    felm = load("felm", "all")
    assert felm[0].id == "0-0" and felm[0].label == "contradicted"
    assert felm[1].label == "supported"


def test_splits_are_deterministic(shared_data: Path) -> None:
    for name in ("healthver", "covidfact", "wice", "factbench", "felm"):
        first = [r.id for r in load(name, "dev")]
        assert first == [r.id for r in load(name, "dev")]
        assert {r.split for r in load(name, "dev")} == {"dev"}


MALFORMED = [
    ("healthver", "h.csv", 'id,evidence,claim,label\n1,"ev","cl",Supports\n2,"ev","cl",Maybe\n', 3),
    (
        "covidfact",
        "c.jsonl",
        json.dumps({"claim": "x", "label": "SUPPORTED", "evidence": ["e"]}) + "\n{oops\n",
        2,
    ),
    ("wice", "w.jsonl", "\n" + json.dumps({"label": "supported", "claim": "x"}) + "\n", 2),
    ("factbench", "f.jsonl", json.dumps({"prompt": "p", "claims": ["a"], "claim_labels": []}), 1),
    ("felm", "g.jsonl", json.dumps({"index": 0, "segmented_response": ["a"], "labels": ["x"]}), 1),
]


@pytest.mark.parametrize(("name", "filename", "content", "line"), MALFORMED)
def test_malformed_line_names_file_and_line(
    tmp_path: Path, name: str, filename: str, content: str, line: int
) -> None:
    path = tmp_path / filename
    path.write_text(content)
    with pytest.raises(DatasetError, match=rf"{filename}:{line}: "):
        load(name, "all", claims=path)


def test_check_covid_bad_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"cord_id": "a", "title": "", "abstract": ["s0", "s1"]}) + "\n")
    claims = tmp_path / "claims.jsonl"
    good = {"id": "1", "claim": "c", "cord_id": "a", "label": "SUPPORT", "evidence_set": []}
    bad = dict(good, evidence_set=[{"sent_index": 9, "type": "PRIMARY"}])
    claims.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(DatasetError, match=r"claims\.jsonl:2: .*out of range"):
        load("check_covid", "dev", claims=claims, corpus=corpus)


def test_missing_file_hint(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="not found") as err:
        load("felm", "dev", claims=tmp_path / "absent.jsonl")
    assert "LITSYNTH_SHARED_DATA" in err.value.one_line()
