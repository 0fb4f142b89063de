"""HealthVer (Sarrouti et al., EMNLP Findings 2021): COVID health claims vs abstract passages.

The CSV as published: columns ``id, evidence, claim, label (Supports|Refutes|Neutral), topic_ip,
question``. Labels: Supports -> supported, Refutes -> contradicted, Neutral -> not_enough_info.
Only the official dev CSV is here, so it is split DETERMINISTICALLY by claim text (all pairs of a
claim stay together): sha256(``litsynth-split-v1:<claim>``) -> ``dev`` for the lowest 30 % of the
hash range, ``train`` otherwise (``_common.hash_split``). ``load(split="all")`` gives every pair.
"""

from __future__ import annotations

from pathlib import Path

from litsynth.evals.datasets._common import (
    bad,
    check_split,
    hash_split,
    iter_csv,
    map_label,
    resolve,
)
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord

NAME = "healthver"
_LABELS: dict[str, GoldLabel] = {
    "supports": "supported",
    "refutes": "contradicted",
    "neutral": "not_enough_info",
}
_FILE = ("healthver", "healthver_dev.csv")
_COLUMNS = ("id", "evidence", "claim", "label")


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per (claim, evidence passage) row of the requested hash split."""
    check_split(NAME, split, ("train", "dev", "all"))
    path = resolve(claims, *_FILE)
    records: list[GoldRecord] = []
    for line, row in iter_csv(path):
        missing = [c for c in _COLUMNS if c not in row]
        if missing:
            raise bad(path, line, f"missing column(s) {', '.join(missing)}")
        if not row["claim"].strip() or not row["evidence"].strip():
            raise bad(path, line, "empty claim or evidence")
        label = map_label(path, line, row["label"], _LABELS)
        part = hash_split(row["claim"].strip())
        if split != "all" and part != split:
            continue
        records.append(
            GoldRecord(
                dataset=NAME,
                id=row["id"],
                claim=row["claim"].strip(),
                label=label,
                evidence=[GoldEvidence(doc_id=f"healthver-{row['id']}", text=row["evidence"])],
                split=part,
            )
        )
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="HealthVer: COVID health claims vs research-abstract passages",
    splits=("train", "dev", "all"),
    default_claims={"train": _FILE, "dev": _FILE, "all": _FILE},
    load_claims=load_claims,
    split_note="official dev CSV split 70/30 by sha256 of the claim text",
)
