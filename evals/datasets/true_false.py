"""Claim-only true/false sets, as data: Factbench and FELM differ only in file and field names.

Factbench (Wang et al., 2023; sources FacTool-QA and FELM-WK): JSONL ``{prompt, response,
response_label, claims:[str], claim_labels:[bool], source, ...}``, one record per atomic claim.
FELM world-knowledge (Chen et al., 2023): JSONL ``{index, source, prompt, response,
segmented_response:[str], labels:[bool], comment:[str], type:[str], ref:[url]}``, one record per
segment; the annotators' comments are corrections written knowing the label, so they are NOT
evidence. Both: true -> supported, false -> contradicted, ``evidence`` empty (open-domain
factuality gold), record id ``<group id>-<item index>``, split DETERMINISTICALLY by the answer
(all items of one answer together): sha256(``litsynth-split-v1:<answer key>``) -> ``dev`` for the
lowest 30 %, else ``train``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

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

SPLITS = ("train", "dev", "all")


@dataclass(frozen=True)
class TrueFalseFormat:
    """Where one true/false set keeps its items, labels and answer identity."""

    name: str
    file: tuple[str, str]
    items: str
    labels: str
    item_kind: str
    answer_key: Callable[[Path, int, dict[str, Any]], str]
    record_id: Callable[[Path, int, dict[str, Any]], str]


def _factbench_key(path: Path, line: int, obj: dict[str, Any]) -> str:
    prompt = field(path, line, obj, "prompt", str)
    response = obj.get("response") or ""  # one published record has response null
    if not isinstance(response, str):
        raise bad(path, line, "field 'response' should be a string or null")
    return f"{prompt}\n{response}"


def _felm_index(path: Path, line: int, obj: dict[str, Any]) -> str:
    return str(field(path, line, obj, "index", (str, int)))


def _load(
    fmt: TrueFalseFormat, split: str, claims: Path | None, corpus: Path | None
) -> list[GoldRecord]:
    """One evidence-free record per item of the requested hash split."""
    check_split(fmt.name, split, SPLITS)
    path = resolve(claims, *fmt.file)
    records: list[GoldRecord] = []
    for line, obj in iter_jsonl(path):
        items = field(path, line, obj, fmt.items, list)
        labels = field(path, line, obj, fmt.labels, list)
        if len(items) != len(labels):
            raise bad(path, line, f"{len(items)} {fmt.item_kind}s but {len(labels)} {fmt.labels}")
        part = hash_split(fmt.answer_key(path, line, obj))
        if split != "all" and part != split:
            continue
        prefix = fmt.record_id(path, line, obj)
        records += true_false_records(
            fmt.name, path, line, prefix, items, labels, part, fmt.item_kind
        )
    return records


def _spec(fmt: TrueFalseFormat, description: str, split_note: str) -> DatasetSpec:
    return DatasetSpec(
        name=fmt.name,
        description=description,
        splits=SPLITS,
        default_claims=dict.fromkeys(SPLITS, fmt.file),
        load_claims=partial(_load, fmt),
        split_note=split_note,
    )


FACTBENCH = _spec(
    TrueFalseFormat(
        name="factbench",
        file=("factbench", "factbench_claims_factoolqa_felmwk.jsonl"),
        items="claims",
        labels="claim_labels",
        item_kind="claim",
        answer_key=_factbench_key,
        record_id=lambda _p, line, _o: str(line),
    ),
    "Factbench (FacTool-QA + FELM-WK): true/false atomic claims of LLM answers",
    "single file split 70/30 by sha256 of prompt+response; no evidence",
)
FELM = _spec(
    TrueFalseFormat(
        name="felm",
        file=("felm", "felm_wk.jsonl"),
        items="segmented_response",
        labels="labels",
        item_kind="segment",
        answer_key=_felm_index,
        record_id=_felm_index,
    ),
    "FELM world-knowledge: true/false segments of ChatGPT answers",
    "single file split 70/30 by sha256 of the response index; no evidence",
)
