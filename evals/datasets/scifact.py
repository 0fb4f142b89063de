"""SciFact (Wadden et al., 2020) in its own released format.

Claims: ``{id, claim, evidence: {doc_id: [{sentences, label}]}, cited_doc_ids}``; corpus:
``{doc_id, title, abstract: [sentence], structured}``.

Setting: label prediction given the cited abstract (SciFact's standard oracle-abstract setting).
Each (claim, cited doc) pair becomes one record with id ``<claim id>-<doc id>``: SUPPORT/CONTRADICT
from the claim's ``evidence`` for that doc (rationale = union of its sentence indices), and
``not_enough_info`` when the cited doc carries no evidence. Splits: ``train`` = official train,
``dev`` = the shared part of official dev (``claims_dev_shared.jsonl``; see PROVENANCE.md).
"""

from __future__ import annotations

from pathlib import Path

from litsynth.evals.datasets._common import (
    bad,
    check_split,
    field,
    iter_jsonl,
    map_label,
    resolve,
)
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord, Split

NAME = "scifact"
_LABELS: dict[str, GoldLabel] = {"support": "supported", "contradict": "contradicted"}
_FILES = {"train": ("scifact", "claims_train.jsonl"), "dev": ("scifact", "claims_dev_shared.jsonl")}
_CORPUS = ("scifact", "corpus.jsonl")


def load_corpus(corpus: Path | None = None) -> list[GoldEvidence]:
    """All abstracts of the SciFact corpus, one GoldEvidence each (sentences kept)."""
    path = resolve(corpus, *_CORPUS)
    docs: list[GoldEvidence] = []
    for line, obj in iter_jsonl(path):
        doc_id = field(path, line, obj, "doc_id", (int, str))
        abstract = field(path, line, obj, "abstract", list)
        if not all(isinstance(s, str) for s in abstract):
            raise bad(path, line, "field 'abstract' should be a list of sentences")
        title = obj.get("title", "")
        docs.append(
            GoldEvidence(
                doc_id=str(doc_id),
                title=title if isinstance(title, str) else "",
                text=" ".join(abstract),
                sentences=list(abstract),
            )
        )
    return docs


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per (claim, cited abstract) with the label that abstract gives the claim."""
    check_split(NAME, split, tuple(_FILES))
    path = resolve(claims, *_FILES[split])
    docs = {d.doc_id: d for d in load_corpus(corpus)}
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        claim_id = field(path, line, obj, "id", (int, str))
        claim = field(path, line, obj, "claim", str)
        evidence = field(path, line, obj, "evidence", dict)
        cited = field(path, line, obj, "cited_doc_ids", list)
        for raw_doc in cited:
            doc_id = str(raw_doc)
            if doc_id not in docs:
                raise bad(path, line, f"cited doc {doc_id} is not in the corpus")
            doc = docs[doc_id]
            label: GoldLabel = "not_enough_info"
            rationale: set[int] = set()
            sets = evidence.get(doc_id, [])
            if not isinstance(sets, list):
                raise bad(path, line, f"evidence for doc {doc_id} should be a list")
            for ev in sets:
                if not isinstance(ev, dict) or not isinstance(ev.get("sentences"), list):
                    raise bad(path, line, f"evidence for doc {doc_id} lacks 'sentences'")
                label = map_label(path, line, ev.get("label"), _LABELS)
                for idx in ev["sentences"]:
                    if not isinstance(idx, int) or not 0 <= idx < len(doc.sentences):
                        raise bad(path, line, f"rationale index {idx!r} out of range for {doc_id}")
                    rationale.add(idx)
            split_value: Split = "train" if split == "train" else "dev"
            records.append(
                GoldRecord(
                    dataset=NAME,
                    id=f"{claim_id}-{doc_id}",
                    claim=claim,
                    label=label,
                    evidence=[doc.model_copy(update={"rationale": sorted(rationale)})],
                    split=split_value,
                )
            )
    return records


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
