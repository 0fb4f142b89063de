"""Fixtures for the eval tests: a tiny SciFact-format dataset and a fast stand-in embedder."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

DIM = 64


class HashEmbedder:
    """Deterministic bag-of-words vectors (L2-normalised), so no model loads in these tests."""

    name = "hash-bow"
    dim = DIM

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                rows[i, sum(map(ord, word)) % DIM] += 1.0
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1.0, norms)


@pytest.fixture
def fake_embedder(monkeypatch: pytest.MonkeyPatch) -> HashEmbedder:
    """Route every get_embedder() call of the run to the stand-in."""
    import litsynth.text.embedding as emb

    fake = HashEmbedder()
    monkeypatch.setattr(emb, "get_embedder", lambda settings=None: fake)
    return fake


DOCS = [
    (1, "Aspirin and headache", ["Aspirin reduces headache pain in adults.", "It is cheap."]),
    (2, "Coffee study", ["Coffee does not improve memory in students.", "Sleep matters."]),
    (3, "Quantization", ["Four-bit weights keep accuracy of large models.", "Speed rises."]),
    (4, "Birds", ["Birds migrate south in winter.", "Some birds stay."]),
]
# (claim id, claim, cited doc, gold label or None for NOT ENOUGH INFO)
CLAIMS: list[tuple[int, str, int, str | None]] = [
    (1, "Aspirin reduces headache pain in adults.", 1, "SUPPORT"),
    (2, "Coffee improves memory in students.", 2, "CONTRADICT"),
    (3, "Four-bit weights keep accuracy of large models.", 3, "SUPPORT"),
    (4, "Tea cures the common cold.", 4, None),
]


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> tuple[Path, Path]:
    """(claims file, corpus file) in SciFact's format: 4 claims, 4 abstracts."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"doc_id": d, "title": t, "abstract": s, "structured": False}) + "\n"
            for d, t, s in DOCS
        )
    )
    claims = tmp_path / "claims.jsonl"
    lines = []
    for cid, claim, doc, label in CLAIMS:
        evidence = {str(doc): [{"sentences": [0], "label": label}]} if label else {}
        rec = {"id": cid, "claim": claim, "evidence": evidence, "cited_doc_ids": [doc]}
        lines.append(json.dumps(rec) + "\n")
    claims.write_text("".join(lines))
    return claims, corpus
