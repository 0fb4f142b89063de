"""FELM world-knowledge (Chen et al., 2023): segment-level factuality of ChatGPT answers.

JSONL ``{index, source, prompt, response, segmented_response:[str], labels:[bool], comment:[str],
type:[str], ref:[url]}``. One record per segment, id ``<index>-<segment>``: true -> supported,
false -> contradicted. The annotators' comments are corrections written knowing the label, so
they are NOT used as evidence; ``evidence`` is empty. Split DETERMINISTICALLY by response index:
sha256(``litsynth-split-v1:<index>``) -> ``dev`` for the lowest 30 %, else ``train``.
"""

from __future__ import annotations

from pathlib import Path

from litsynth.evals.datasets._common import (
    bad,
    check_split,
    field,
    hash_split,
    iter_jsonl,
    resolve,
    true_false_records,
)
from litsynth.evals.datasets._spec import DatasetSpec
from litsynth.evals.schema import GoldRecord

NAME = "felm"
_FILE = ("felm", "felm_wk.jsonl")


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per response segment of the requested hash split (no evidence)."""
    check_split(NAME, split, ("train", "dev", "all"))
    path = resolve(claims, *_FILE)
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        index = str(field(path, line, obj, "index", (str, int)))
        segments = field(path, line, obj, "segmented_response", list)
        labels = field(path, line, obj, "labels", list)
        if len(segments) != len(labels):
            raise bad(path, line, f"{len(segments)} segments but {len(labels)} labels")
        part = hash_split(index)
        if split != "all" and part != split:
            continue
        records += true_false_records(NAME, path, line, index, segments, labels, part, "segment")
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="FELM world-knowledge: true/false segments of ChatGPT answers",
    splits=("train", "dev", "all"),
    default_claims={"train": _FILE, "dev": _FILE, "all": _FILE},
    load_claims=load_claims,
    split_note="single file split 70/30 by sha256 of the response index; no evidence",
)
