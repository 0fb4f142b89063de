"""WiCE (Kamoi et al., 2023): Wikipedia claims vs sentences of the cited web page.

JSONL ``{label: supported|partially_supported|not_supported, supporting_sentences: [[idx...]],
claim, evidence:[sentence], meta:{id,...}}``. WiCE judges whether the cited page supports the
claim; it has no contradiction class. Mapping: supported -> supported; partially_supported and
not_supported -> not_enough_info (the page does not fully support the claim). Rationale = union of
all ``supporting_sentences`` sets. Only official dev is here, so it is split DETERMINISTICALLY by
``meta.id``: sha256(``litsynth-split-v1:<id>``) -> ``dev`` for the lowest 30 %, else ``train``.
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

NAME = "wice"
_LABELS: dict[str, GoldLabel] = {
    "supported": "supported",
    "partially_supported": "not_enough_info",
    "not_supported": "not_enough_info",
}
_FILE = ("wice", "claim_dev.jsonl")


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per claim of the requested hash split, the cited page as one document."""
    check_split(NAME, split, ("train", "dev", "all"))
    path = resolve(claims, *_FILE)
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        claim = field(path, line, obj, "claim", str)
        label = map_label(path, line, field(path, line, obj, "label", str), _LABELS)
        sentences = field(path, line, obj, "evidence", list)
        if not all(isinstance(s, str) for s in sentences):
            raise bad(path, line, "field 'evidence' should be a list of sentences")
        meta = field(path, line, obj, "meta", dict)
        rec_id = meta.get("id")
        if not isinstance(rec_id, str):
            raise bad(path, line, "field 'meta.id' missing")
        rationale: set[int] = set()
        for group in obj.get("supporting_sentences") or []:
            if not isinstance(group, list):
                raise bad(path, line, "supporting_sentences should be a list of index lists")
            for idx in group:
                if not isinstance(idx, int) or not 0 <= idx < len(sentences):
                    raise bad(path, line, f"supporting sentence {idx!r} out of range")
                rationale.add(idx)
        part = hash_split(rec_id)
        if split != "all" and part != split:
            continue
        title = str(meta.get("claim_title") or "")
        records.append(
            GoldRecord(
                dataset=NAME,
                id=rec_id,
                claim=claim,
                label=label,
                evidence=[
                    GoldEvidence(
                        doc_id=rec_id,
                        title=title,
                        text=" ".join(sentences),
                        sentences=list(sentences),
                        rationale=sorted(rationale),
                    )
                ],
                split=part,
            )
        )
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="WiCE: Wikipedia claims vs the cited web page (supported / not fully supported)",
    splits=("train", "dev", "all"),
    default_claims={"train": _FILE, "dev": _FILE, "all": _FILE},
    load_claims=load_claims,
    split_note="official dev split 70/30 by sha256 of meta.id",
)
