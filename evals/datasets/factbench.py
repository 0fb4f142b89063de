"""Factbench (Wang et al., 2023; sources FacTool-QA and FELM-WK): atomic claims of LLM answers.

JSONL ``{prompt, response, response_label, claims:[str], claim_labels:[bool], source, ...}``. One
record per atomic claim, id ``<line>-<claim index>``: true -> supported, false -> contradicted
(false claims are factually wrong). The set ships NO evidence (open-domain factuality / claim
extraction gold), so ``evidence`` is empty. Split DETERMINISTICALLY by response (all claims of an
answer together): sha256(``litsynth-split-v1:<prompt>\\n<response>``) -> ``dev`` for the lowest
30 %, else ``train``.
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

NAME = "factbench"
_FILE = ("factbench", "factbench_claims_factoolqa_felmwk.jsonl")


def load_claims(split: str, claims: Path | None, corpus: Path | None) -> list[GoldRecord]:
    """One record per atomic claim of the requested hash split (no evidence)."""
    check_split(NAME, split, ("train", "dev", "all"))
    path = resolve(claims, *_FILE)
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        prompt = field(path, line, obj, "prompt", str)
        response = obj.get("response") or ""  # one published record has response null
        if not isinstance(response, str):
            raise bad(path, line, "field 'response' should be a string or null")
        texts = field(path, line, obj, "claims", list)
        labels = field(path, line, obj, "claim_labels", list)
        if len(texts) != len(labels):
            raise bad(path, line, f"{len(texts)} claims but {len(labels)} claim_labels")
        part = hash_split(f"{prompt}\n{response}")
        if split != "all" and part != split:
            continue
        records += true_false_records(NAME, path, line, str(line), texts, labels, part, "claim")
    return records


SPEC = DatasetSpec(
    name=NAME,
    description="Factbench (FacTool-QA + FELM-WK): true/false atomic claims of LLM answers",
    splits=("train", "dev", "all"),
    default_claims={"train": _FILE, "dev": _FILE, "all": _FILE},
    load_claims=load_claims,
    split_note="single file split 70/30 by sha256 of prompt+response; no evidence",
)
