"""ONNX Runtime gives the verifier the same numbers as PyTorch, caches its export, and falls
back to PyTorch (saying why) when it cannot run (real models, no network)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from litsynth.schema import EvidencePassage
from litsynth.text import onnx_runner
from litsynth.text.onnx_runner import Runtime
from litsynth.verification.cross_verifier import CrossEncoderVerifier

CLAIM = "GPTQ quantizes OPT-175B weights to 3-bit precision."
SOURCE = (
    "We present GPTQ, a one-shot weight quantization method. GPTQ quantizes OPT-175B "
    "weights to 3-bit precision with negligible loss. It runs on a single GPU."
)


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LITSYNTH_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(onnx_runner, "_EMBEDDERS", {})
    return tmp_path / "onnx"


def test_onnx_verdicts_match_torch_and_the_export_is_reused(cache: Path) -> None:
    passages = [EvidencePassage(text=SOURCE, doc_id="d")]
    flipped = CLAIM.replace("3-bit", "4-bit")
    items = [(CLAIM, passages), (flipped, passages)]
    fast = CrossEncoderVerifier.load(runtime="onnx")
    slow = CrossEncoderVerifier.load(runtime="torch")
    got, want = fast.verify_many(items), slow.verify_many(items)
    assert fast.model.runtime_note.startswith("onnxruntime")
    assert fast.runtime_note.startswith("onnxruntime") and slow.runtime_note == "torch"
    for a, b in zip(got, want, strict=True):
        assert a.label == b.label
        for label in a.probabilities:
            assert a.probabilities[label] == pytest.approx(b.probabilities[label], abs=1e-5)
    exported = sorted(cache.glob("*.onnx"))
    assert len(exported) == 2
    stamps = [p.stat().st_mtime_ns for p in exported]
    CrossEncoderVerifier.load(runtime="onnx")
    assert [p.stat().st_mtime_ns for p in exported] == stamps  # reused, not re-exported


def test_sentence_vectors_match_sentence_transformers(cache: Path) -> None:
    from litsynth.text.embedding import get_embedder

    embedder, note = onnx_runner.onnx_sentence_embedder("onnx")
    texts = [CLAIM, SOURCE, "short"]
    assert note.startswith("onnxruntime")
    assert np.abs(embedder.encode(texts) - get_embedder().encode(texts)).max() < 1e-5


def test_without_onnxruntime_torch_runs_and_says_why(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now raises ImportError
    verifier = CrossEncoderVerifier.load(runtime="onnx")
    verdict = verifier.verify(CLAIM, [EvidencePassage(text=SOURCE, doc_id="d")])
    assert verdict.label == "supported"
    assert verifier.model.runtime_note.startswith("torch (ONNX Runtime unavailable")
    assert verifier.runtime_note.startswith("torch (ONNX Runtime unavailable")
    assert not list(cache.glob("*.onnx"))


def test_int8_runtime_is_close_and_cached_beside_the_float_export(cache: Path) -> None:
    passages = [EvidencePassage(text=SOURCE, doc_id="d")]
    quick = CrossEncoderVerifier.load(runtime="onnx-int8")
    exact = CrossEncoderVerifier.load(runtime="torch")
    a, b = quick.verify(CLAIM, passages), exact.verify(CLAIM, passages)
    assert a.label == b.label == "supported"
    assert abs(a.probabilities["supported"] - b.probabilities["supported"]) < 0.1
    assert quick.model.runtime_note.endswith("-int8.onnx)")
    assert len(list(cache.glob("*-int8.onnx"))) == 2


@pytest.mark.parametrize("runtime", ["onnx", "onnx-int8"])
def test_a_damaged_cached_export_is_exported_again(cache: Path, runtime: Runtime) -> None:
    first = CrossEncoderVerifier.load(runtime=runtime)
    for path in cache.glob("cross_encoder*.onnx"):
        path.write_bytes(b"not a model")
    again = CrossEncoderVerifier.load(runtime=runtime)
    assert again.model.runtime_note == first.model.runtime_note  # ONNX still runs, same file
    passages = [EvidencePassage(text=SOURCE, doc_id="d")]
    a, b = again.verify(CLAIM, passages), first.verify(CLAIM, passages)
    assert a.probabilities == pytest.approx(b.probabilities, abs=1e-6)


def test_length_batches_cover_every_text_once_with_bounded_padding() -> None:
    from litsynth.text.onnx_runner import PADDING_WASTE, length_batches

    lengths = [12, 80, 14, 75, 40, 9, 41, 13, 78, 11]
    groups = length_batches(lengths, batch=3)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for g in groups:
        assert len(g) <= 3
        assert lengths[g[0]] == max(lengths[i] for i in g)  # padded to its first member
        assert lengths[g[0]] * len(g) <= sum(lengths[i] for i in g) * (1 + PADDING_WASTE)
    assert len(groups) < len(lengths)  # similar lengths still share a batch
