"""Check-COVID (Wang et al., ACL Findings 2023): news claims vs CORD-19 abstracts.

Claims ``{id, claim, cord_id, label: SUPPORT|REFUTE|NOTENOUGHINFO, evidence_set:[{sent_index,
type}], is_auth}``; corpus ``{cord_id, title, abstract:[sentence]}``. Each claim is checked against
its one cited abstract (also for NOTENOUGHINFO); rationale = every ``sent_index`` (PRIMARY and
SUPPLEMENTARY). Splits: official ``train`` and ``dev``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import cast

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

NAME = "check_covid"
_LABELS: dict[str, GoldLabel] = {
    "support": "supported",
    "refute": "contradicted",
    "notenoughinfo": "not_enough_info",
}
_FILES = {
    "train": ("check_covid", "covidCheck_train_composed+extracted.jsonl"),
    "dev": ("check_covid", "covidCheck_dev_composed+extracted.jsonl"),
}
_CORPUS = ("check_covid", "corpus.jsonl")


@lru_cache(maxsize=4)
def _read_corpus(path: Path, mtime_ns: int) -> tuple[GoldEvidence, ...]:
    docs: list[GoldEvidence] = []
    for line, obj in iter_jsonl(path):
        cord_id = field(path, line, obj, "cord_id", str)
        abstract = field(path, line, obj, "abstract", list)
        if not all(isinstance(s, str) for s in abstract):
            raise bad(path, line, "field 'abstract' should be a list of sentences")
        title = obj.get("title", "")
        docs.append(
            GoldEvidence(
                doc_id=cord_id,
                title=title if isinstance(title, str) else "",
                text=" ".join(abstract),
                sentences=list(abstract),
            )
        )
    return tuple(docs)


def load_corpus(corpus: Path | None = None) -> list[GoldEvidence]:
    """All 347 CORD-19 abstracts of the shared part (sentences kept)."""
    path = resolve(corpus, *_CORPUS)
    return list(_read_corpus(path.resolve(), path.stat().st_mtime_ns))


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per claim, with its cited abstract and rationale sentences."""
    check_split(NAME, split, tuple(_FILES))
    path = resolve(claims, *_FILES[split])
    docs = {d.doc_id: d for d in load_corpus(corpus)}
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        claim_id = field(path, line, obj, "id", (str, int))
        claim = field(path, line, obj, "claim", str)
        cord_id = field(path, line, obj, "cord_id", str)
        label = map_label(path, line, field(path, line, obj, "label", str), _LABELS)
        if cord_id not in docs:
            raise bad(path, line, f"cord_id {cord_id} is not in the corpus")
        doc = docs[cord_id]
        rationale: set[int] = set()
        for ev in obj.get("evidence_set") or []:
            idx = ev.get("sent_index") if isinstance(ev, dict) else None
            if not isinstance(idx, int) or not 0 <= idx < len(doc.sentences):
                raise bad(path, line, f"evidence sent_index {idx!r} out of range for {cord_id}")
            rationale.add(idx)
        records.append(
            GoldRecord(
                dataset=NAME,
                id=str(claim_id),
                claim=claim,
                label=label,
                evidence=[doc.model_copy(update={"rationale": sorted(rationale)})],
                split=cast(Split, split),
            )
        )
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="Check-COVID: COVID news claims vs CORD-19 abstracts",
    splits=tuple(_FILES),
    default_claims=dict(_FILES),
    load_claims=load_claims,
    default_corpus=_CORPUS,
    load_corpus=load_corpus,
    split_note="official train / dev",
)
