"""Readers for SciFact's released format, shared by SciFact and Citation-Integrity.

Claims: ``{id, claim, evidence: {doc_id: [{sentences, label}]}, cited_doc_ids}``; corpus:
``{doc_id, title, abstract: [sentence], structured}``. Each (claim, cited doc) pair becomes one
record ``<claim id>-<doc id>``: the label from the claim's evidence for that doc (rationale = union
of its sentence indices), ``not_enough_info`` when the cited doc carries no evidence.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from litsynth.evals.datasets._common import bad, field, iter_jsonl, map_label
from litsynth.evals.schema import GoldEvidence, GoldLabel, GoldRecord, Split


def read_corpus(path: Path) -> list[GoldEvidence]:
    """All abstracts of a SciFact-format corpus, one GoldEvidence each (sentences kept)."""
    return list(_read_corpus_cached(path.resolve(), path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _read_corpus_cached(path: Path, mtime_ns: int) -> tuple[GoldEvidence, ...]:
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
    return tuple(docs)


def read_claims(
    name: str, path: Path, corpus: list[GoldEvidence], labels: dict[str, GoldLabel], split: Split
) -> list[GoldRecord]:
    """One record per (claim, cited doc) with the label that doc gives the claim."""
    docs = {d.doc_id: d for d in corpus}
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
                label = map_label(path, line, ev.get("label"), labels)
                for idx in ev["sentences"]:
                    if not isinstance(idx, int) or not 0 <= idx < len(doc.sentences):
                        raise bad(path, line, f"rationale index {idx!r} out of range for {doc_id}")
                    rationale.add(idx)
            records.append(
                GoldRecord(
                    dataset=name,
                    id=f"{claim_id}-{doc_id}",
                    claim=claim,
                    label=label,
                    evidence=[doc.model_copy(update={"rationale": sorted(rationale)})],
                    split=split,
                )
            )
    return records
