"""COVID-Fact (Saakyan et al., ACL 2021): r/COVID19 claims and counter-claims with evidence.

JSONL ``{claim, label: SUPPORTED|REFUTED, evidence:[sentence], gold_source, flair}``; the evidence
sentences are the record's gold evidence (all of them are rationale). No split in the file, so it is
split DETERMINISTICALLY by ``gold_source`` (a claim and the counter-claims made from it share one
source and stay together): sha256(``litsynth-split-v1:<gold_source>``) -> ``dev`` for the lowest
30 %, else ``train``. Record id = ``line<N>`` (1-based line in the file).
"""

from __future__ import annotations

from pathlib import Path

from litsynth.evals.datasets._common import (
    bad,
    check_split,
    field,
    hash_split,
    iter_jsonl,
    map_label,
    resolve,
)
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord

NAME = "covidfact"
_LABELS: dict[str, GoldLabel] = {"supported": "supported", "refuted": "contradicted"}
_FILE = ("covidfact", "COVIDFACT_dataset.jsonl")


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per claim of the requested hash split, evidence sentences as one document."""
    check_split(NAME, split, ("train", "dev", "all"))
    path = resolve(claims, *_FILE)
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        claim = field(path, line, obj, "claim", str)
        label = map_label(path, line, field(path, line, obj, "label", str), _LABELS)
        sentences = field(path, line, obj, "evidence", list)
        if not sentences or not all(isinstance(s, str) for s in sentences):
            raise bad(path, line, "field 'evidence' should be a non-empty list of sentences")
        source = str(obj.get("gold_source") or claim)
        part = hash_split(source)
        if split != "all" and part != split:
            continue
        records.append(
            GoldRecord(
                dataset=NAME,
                id=f"line{line}",
                claim=claim,
                label=label,
                evidence=[
                    GoldEvidence(
                        doc_id=source,
                        text=" ".join(sentences),
                        sentences=list(sentences),
                        rationale=list(range(len(sentences))),
                    )
                ],
                split=part,
            )
        )
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="COVID-Fact: COVID claims / counter-claims vs evidence sentences",
    splits=("train", "dev", "all"),
    default_claims={"train": _FILE, "dev": _FILE, "all": _FILE},
    load_claims=load_claims,
    split_note="single file split 70/30 by sha256 of gold_source",
)
