"""Entailment-stage data for the cross-encoder: (claim, evidence, label) pairs from the NLI and
claim/evidence sets in ``<shared data>/nli`` (see its PROVENANCE.md), each with its licence.

Labels follow the verifier's order: 0 supported (entailment, SUPPORTS, yes), 1 contradicted
(contradiction, REFUTES, no), 2 not enough info (neutral, maybe). The claim is the first text
(hypothesis), the evidence the second (premise), as the cross-encoder reads them at run time.

Evidence Inference has no claims: each evidence span about (intervention, comparator, outcome)
with a reported effect becomes directional claims whose label follows from the span (same
direction supported, reversed or "no difference" against a reported effect contradicted, the
same span with another trial's outcome not enough info). PubMedQA's yes/no/maybe questions
become statements ("Do X cause Y?" -> "X cause Y") read against the abstract's conclusion.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from litsynth.evals.datasets import shared_data_dir

SUPPORTED, CONTRADICTED, NEI = 0, 1, 2
NLI_LABELS = {"entailment": SUPPORTED, "contradiction": CONTRADICTED, "neutral": NEI}


@dataclass(frozen=True)
class Pair:
    """One training pair of the entailment stage."""

    source: str
    claim: str
    evidence: str
    label: int


@dataclass(frozen=True)
class Source:
    """A named training source: its files under ``nli/``, licence, and reader."""

    name: str
    files: tuple[str, ...]
    licence: str
    read: Callable[[Path], Iterator[Pair]]
    commercial_use: bool = True


def nli_dir() -> Path:
    """``<shared data>/nli`` (``$LITSYNTH_SHARED_DATA`` or ``<repo>/../shared/data``)."""
    return shared_data_dir() / "nli"


def _glue_json(name: str, files: tuple[str, ...]) -> Callable[[Path], Iterator[Pair]]:
    def read(root: Path) -> Iterator[Pair]:
        for file in files:
            data = json.loads((root / file).read_text(encoding="utf-8"))
            for row in data.values():
                if row["label"] in NLI_LABELS:
                    yield Pair(name, row["text_b"], row["text_a"], NLI_LABELS[row["label"]])

    return read


def _read_cad(root: Path) -> Iterator[Pair]:
    for file in ("cad_nli_train.tsv", "cad_nli_dev.tsv", "cad_nli_test.tsv"):
        with (root / file).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["gold_label"] in NLI_LABELS:
                    yield Pair(
                        "cad_snli",
                        row["sentence2"],
                        row["sentence1"],
                        NLI_LABELS[row["gold_label"]],
                    )


def _read_anli(root: Path) -> Iterator[Pair]:
    codes = {"e": SUPPORTED, "c": CONTRADICTED, "n": NEI}
    for r in (1, 2, 3):
        with (root / f"anli_r{r}_dev_annotated.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["gold_label"] in codes:
                    yield Pair("anli", row["statement"], row["context"], codes[row["gold_label"]])


def _read_fever(root: Path) -> Iterator[Pair]:
    labels = {"SUPPORTS": SUPPORTED, "REFUTES": CONTRADICTED}
    for file in ("fever_symmetric_dev.jsonl", "fever_symmetric_test.jsonl"):
        for line in (root / file).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row["label"] in labels:
                    yield Pair(
                        "fever_symmetric", row["claim"], row["evidence"], labels[row["label"]]
                    )


_EFFECT = {
    "significantly increased": 1,
    "significantly decreased": -1,
    "no significant difference": 0,
}
_PHRASE = {
    1: "{i} significantly increased {o} compared with {c}.",
    -1: "{i} significantly decreased {o} compared with {c}.",
    0: "{i} did not significantly change {o} compared with {c}.",
}


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".")


def directional_claims(
    intervention: str, comparator: str, outcome: str, effect: int, other_outcome: str
) -> list[tuple[str, int]]:
    """Claims about one reported effect, with the label the evidence span implies."""
    i, c = _clean(intervention), _clean(comparator)
    o = _clean(outcome)
    out = [(_PHRASE[effect].format(i=i, o=o, c=c), SUPPORTED)]
    for other in (1, -1, 0):
        if other != effect:
            out.append((_PHRASE[other].format(i=i, o=o, c=c), CONTRADICTED))
    out.append((_PHRASE[effect].format(i=i, o=_clean(other_outcome), c=c), NEI))
    return out


def _read_evidence_inference(root: Path) -> Iterator[Pair]:
    with (root / "evidence_inference_v2_prompts.csv").open(encoding="utf-8", newline="") as fh:
        prompts = {row["PromptID"]: row for row in csv.DictReader(fh)}
    spans: dict[str, tuple[str, int]] = {}
    with (root / "evidence_inference_v2_annotations.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            effect = _EFFECT.get(row["Label"].strip())
            text = _clean(row["Annotations"])
            if row["Valid Label"] == "True" and effect is not None and len(text) > 20:
                spans.setdefault(row["PromptID"], (text, effect))
    ids = sorted(p for p in spans if p in prompts)
    for k, pid in enumerate(ids):
        p, (span, effect) = prompts[pid], spans[pid]
        # the "unrelated outcome": the next prompt from another trial (never the same paper)
        other = next(
            (
                prompts[ids[(k + j) % len(ids)]]["Outcome"]
                for j in range(1, len(ids))
                if prompts[ids[(k + j) % len(ids)]]["PMCID"] != p["PMCID"]
            ),
            "",
        )
        claims = directional_claims(p["Intervention"], p["Comparator"], p["Outcome"], effect, other)
        # one supported, one contradicted (picked by hash), one unrelated: balanced labels
        contra = [c for c in claims if c[1] == CONTRADICTED]
        pick = int(hashlib.sha256(pid.encode()).hexdigest(), 16) % len(contra)
        for claim, label in (claims[0], contra[pick], claims[-1]):
            yield Pair("evidence_inference", claim, span + ".", label)


_AUX = re.compile(
    r"^(do|does|did|is|are|was|were|can|could|should|will|would|has|have|had|may|might|must)\s+",
    re.IGNORECASE,
)


def question_to_statement(question: str) -> str:
    """A yes/no question as the statement it asks about: "Do X cause Y?" -> "X cause Y."."""
    q = re.sub(r"\s+", " ", question).strip().rstrip("?").strip()
    q = _AUX.sub("", q, count=1)
    return (q[:1].upper() + q[1:] + ".") if q else ""


def _read_pubmedqa(root: Path) -> Iterator[Pair]:
    labels = {"yes": SUPPORTED, "no": CONTRADICTED, "maybe": NEI}
    data = json.loads((root / "pubmedqa_labeled.json").read_text(encoding="utf-8"))
    for key in sorted(data):
        row = data[key]
        claim = question_to_statement(row["QUESTION"])
        if claim and row["final_decision"] in labels:
            yield Pair(
                "pubmedqa", claim, _clean(row["LONG_ANSWER"]) + ".", labels[row["final_decision"]]
            )


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "mnli",
            ("mnli_subset_train.json", "mnli_subset_dev.json"),
            "MultiNLI: OANC-derived, mostly CC BY-SA 3.0 (fiction genre under its own terms)",
            _glue_json("mnli", ("mnli_subset_train.json", "mnli_subset_dev.json")),
        ),
        Source(
            "snli",
            ("snli_subset_train.json", "snli_subset_dev.json"),
            "SNLI: CC BY-SA 4.0",
            _glue_json("snli", ("snli_subset_train.json", "snli_subset_dev.json")),
        ),
        Source(
            "cad_snli",
            ("cad_nli_train.tsv", "cad_nli_dev.tsv", "cad_nli_test.tsv"),
            "Counterfactually augmented SNLI: Apache-2.0; premises SNLI CC BY-SA 4.0",
            _read_cad,
        ),
        Source(
            "anli",
            tuple(f"anli_r{r}_dev_annotated.csv" for r in (1, 2, 3)),
            "Adversarial NLI: CC BY-NC 4.0 (non-commercial)",
            _read_anli,
            commercial_use=False,
        ),
        Source(
            "fever_symmetric",
            ("fever_symmetric_dev.jsonl", "fever_symmetric_test.jsonl"),
            "FEVER-Symmetric v0.2: Wikipedia-derived, CC BY-SA 3.0",
            _read_fever,
        ),
        Source(
            "evidence_inference",
            ("evidence_inference_v2_annotations.csv", "evidence_inference_v2_prompts.csv"),
            "Evidence Inference 2.0: MIT",
            _read_evidence_inference,
        ),
        Source("pubmedqa", ("pubmedqa_labeled.json",), "PubMedQA-L: MIT", _read_pubmedqa),
    )
}
GENERAL = ("mnli", "snli", "cad_snli", "fever_symmetric")
BIOMEDICAL = ("evidence_inference", "pubmedqa")


def load_pairs(
    names: tuple[str, ...], per_source: int | None, root: Path | None = None
) -> list[Pair]:
    """Pairs of the named sources, each capped at ``per_source`` (a fixed hash sample)."""
    root = root or nli_dir()
    out: list[Pair] = []
    for name in names:
        pairs = list(dict.fromkeys(SOURCES[name].read(root)))
        pairs.sort(key=lambda p: hashlib.sha256(f"{p.claim}\t{p.evidence}".encode()).hexdigest())
        out += pairs[:per_source] if per_source else pairs
    return out


def describe(names: tuple[str, ...], root: Path | None = None) -> dict[str, dict[str, object]]:
    """For an artefact's JSON: each source's licence, commercial use, files and their sha256."""
    root = root or nli_dir()
    return {
        n: {
            "licence": SOURCES[n].licence,
            "commercial_use": SOURCES[n].commercial_use,
            "file_sha256": {
                f: hashlib.sha256((root / f).read_bytes()).hexdigest() for f in SOURCES[n].files
            },
        }
        for n in names
    }
