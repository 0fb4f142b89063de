"""The verifier's MiniLM encoders under ONNX Runtime: the same numbers, less CPU per verdict.

ONNX Runtime fuses the attention and feed-forward blocks and keeps its threads quiet between
calls: on this 2-core machine a verdict takes 0.83x PyTorch's time when idle and far less when
other jobs share the cores; with int8 weights 0.46x (``benchmarks/verifier_latency.py``).
Float outputs match PyTorch to rounding (tested).

The ONNX graph is exported from the loaded torch module at first use and kept in the cache
directory under a fingerprint of its weights, so nothing is downloaded and a changed artefact
gets a fresh export. If ONNX Runtime is missing or the export fails, the caller keeps PyTorch
and records why (:attr:`OnnxEncoder.note` is never silently dropped).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from litsynth.text.embedding import MODEL_DIM

if TYPE_CHECKING:
    import torch

Runtime = Literal["onnx", "onnx-int8", "torch"]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# What a failed import, export or session start raises (ORT's own errors are RuntimeErrors).
RUNTIME_ERRORS = (ImportError, OSError, RuntimeError, ValueError)


def _drop_warnings(record: logging.LogRecord) -> bool:
    """A logging filter keeping only errors."""
    return record.levelno >= logging.ERROR


def cache_dir() -> Path:
    """Where exported graphs are kept: ``$LITSYNTH_CACHE_DIR`` or the XDG cache."""
    explicit = os.environ.get("LITSYNTH_CACHE_DIR")
    if explicit:
        return Path(explicit) / "onnx"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "litsynth" / "onnx"


def fingerprint(module: torch.nn.Module) -> str:
    """sha256 (16 hex) of the module's parameter names, shapes and float32 values."""
    digest = hashlib.sha256()
    for name, tensor in sorted(module.state_dict().items()):
        digest.update(name.encode())
        digest.update(str(tuple(tensor.shape)).encode())
        digest.update(tensor.detach().float().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def _hidden_only(bert: torch.nn.Module) -> torch.nn.Module:
    """``bert`` with a forward that returns only the last hidden state, the one output we export."""
    import torch

    class HiddenOnly(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            out = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    return HiddenOnly().eval()


def _export(bert: torch.nn.Module, path: Path) -> None:
    import torch

    ids = torch.tensor([[101, 2023, 2003, 102], [101, 2023, 102, 0]])
    mask = (ids != 0).long()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=path.parent)
    os.close(fd)
    try:
        with warnings.catch_warnings():
            # The tracer's notes about Python control flow in transformers' masking code are
            # about shapes we declare dynamic below; they are not problems of this graph.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                _hidden_only(bert),
                (ids, mask, torch.zeros_like(ids)),
                tmp,
                input_names=list(INPUTS),
                output_names=["hidden"],
                dynamic_axes={k: {0: "batch", 1: "tokens"} for k in (*INPUTS, "hidden")},
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, path)  # atomic: a concurrent reader never sees half a file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _session(ort: Any, path: Path, options: Any) -> Any:
    """An inference session on ``path``; ONNX Runtime's load errors become RuntimeError."""
    from onnxruntime.capi.onnxruntime_pybind11_state import (
        Fail,
        InvalidGraph,
        InvalidProtobuf,
        NoSuchFile,
    )

    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except (Fail, InvalidGraph, InvalidProtobuf, NoSuchFile) as exc:
        raise RuntimeError(f"ONNX Runtime cannot load {path.name}: {exc}") from exc


def _quantised(path: Path) -> Path:
    """The int8 (per-channel, dynamic) twin of an exported graph, made once beside it."""
    from google.protobuf.message import DecodeError
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = path.with_name(path.stem + "-int8.onnx")
    if not target.is_file():
        fd, tmp = tempfile.mkstemp(suffix=".onnx", dir=path.parent)
        os.close(fd)
        # The quantiser logs a pre-processing suggestion on the root logger (it is for graphs
        # with shape inference gaps, not ours); keep it off our users' stderr. A filter on the
        # root logger sees only records logged on root itself, so no other logger is silenced.
        root = logging.getLogger()
        root.addFilter(_drop_warnings)
        try:
            quantize_dynamic(str(path), tmp, weight_type=QuantType.QInt8, per_channel=True)
            os.replace(tmp, target)
        except (DecodeError, ValueError) as exc:  # the float export itself is damaged
            raise RuntimeError(f"cannot quantise {path.name}: {exc}") from exc
        finally:
            root.removeFilter(_drop_warnings)
            if os.path.exists(tmp):
                os.unlink(tmp)
    return target


class OnnxEncoder:
    """Last hidden states of a BERT encoder, computed by an ONNX Runtime session."""

    def __init__(self, session: Any, path: Path) -> None:
        self.session = session
        self.path = path
        self.note = f"onnxruntime ({path.name})"

    @classmethod
    def from_torch(cls, bert: torch.nn.Module, name: str, *, int8: bool = False) -> OnnxEncoder:
        """Export (or reuse the cached export of) ``bert`` and open a session on it.

        With ``int8`` the linear layers' weights are quantised per output channel (dynamic
        quantisation: activations stay float); faster, and no longer the same numbers.
        Raises one of :data:`RUNTIME_ERRORS` when ONNX Runtime is missing or the export fails.
        """
        import onnxruntime as ort
        import torch

        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: its info lines are noise on our stderr
        # Shapes change with every batch; planning memory for one shape only costs time.
        options.enable_mem_pattern = False
        # Idle ORT threads must not spin: PyTorch runs between our calls on the same 2 cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        source = cache_dir() / f"{name}-{fingerprint(bert)}.onnx"
        for attempt in (1, 2):
            if not source.is_file():
                _export(bert, source)
            path = _quantised(source) if int8 else source
            try:
                session = _session(ort, path, options)
                break
            except RuntimeError:
                if attempt == 2:
                    raise
                # A damaged cache file (disk trouble, another onnxruntime): export it again.
                source.unlink(missing_ok=True)
                path.unlink(missing_ok=True)
        return cls(session, path)

    def __call__(self, encoded: Mapping[str, Any]) -> np.ndarray:
        """Hidden states (batch, tokens, dim) for tokenizer output (numpy or torch tensors)."""
        feeds = {k: np.asarray(encoded[k], dtype=np.int64) for k in INPUTS if k in encoded}
        if "token_type_ids" not in feeds:
            feeds["token_type_ids"] = np.zeros_like(feeds["input_ids"])
        return np.asarray(self.session.run(["hidden"], feeds)[0])


def mean_pool_np(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the token vectors where ``mask`` is 1 (numpy twin of ``cross.mean_pool``)."""
    m = np.asarray(mask, dtype=hidden.dtype)[..., None]
    return np.asarray((hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1.0, None))


class OnnxSentenceEmbedder:
    """all-MiniLM-L6-v2 sentence vectors (mean pooling, unit length) from an ONNX session.

    Same tokenizer and truncation as the sentence-transformers model it was exported from.
    """

    def __init__(self, tokenizer: Any, encoder: OnnxEncoder, max_length: int) -> None:
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.max_length = max_length

    def encode(self, texts: list[str] | tuple[str, ...] | Any, batch: int = 32) -> np.ndarray:
        """One L2-normalised float32 row per text.

        Texts are tokenized once and run longest first in batches of at most ``batch`` whose
        padding stays within :data:`PADDING_WASTE` of their real tokens: a verdict's claim and
        sentences differ in length several-fold, and padding them all to the longest cost a
        quarter of the embedding time.
        """
        texts = list(texts)
        out = np.zeros((len(texts), MODEL_DIM), dtype=np.float32)
        if not texts:
            return out
        ids = self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]
        for idx in length_batches([len(x) for x in ids], batch):
            width = len(ids[idx[0]])
            input_ids = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                input_ids[row, : len(ids[i])] = ids[i]
            mask = (
                np.arange(width)[None, :] < np.asarray([len(ids[i]) for i in idx])[:, None]
            ).astype(np.int64)
            pooled = mean_pool_np(
                self.encoder({"input_ids": input_ids, "attention_mask": mask}), mask
            )
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out


# Padding a batch may add at most this share of its real tokens; past that a new batch starts.
PADDING_WASTE = 0.25


def length_batches(lengths: list[int], batch: int) -> list[list[int]]:
    """Indices grouped longest first into batches of at most ``batch`` whose padding to the
    first (longest) member adds at most :data:`PADDING_WASTE` of their real tokens."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < batch:
            group = out[-1]
            real = sum(lengths[j] for j in group) + lengths[i]
            if lengths[group[0]] * (len(group) + 1) <= real * (1 + PADDING_WASTE):
                group.append(i)
                continue
        out.append([i])
    return out


_EMBEDDERS: dict[str, tuple[Any, str]] = {}


def onnx_sentence_embedder(runtime: Runtime) -> tuple[Any, str]:
    """The process-wide MiniLM embedder for ``runtime`` and a note saying what runs it.

    With ``"onnx"`` the shared sentence-transformers model is exported once; if that is not
    possible the PyTorch embedder is returned and the note says why.
    """
    from litsynth.text.embedding import get_embedder

    if runtime in _EMBEDDERS:
        return _EMBEDDERS[runtime]
    torch_embedder = get_embedder()
    result: tuple[Any, str] = (torch_embedder, "torch")
    if runtime != "torch":
        model = torch_embedder.model()
        try:
            bert: Any = model[0].auto_model
            encoder = OnnxEncoder.from_torch(bert, "all-MiniLM-L6-v2", int8=runtime == "onnx-int8")
            embedder = OnnxSentenceEmbedder(model.tokenizer, encoder, model.max_seq_length or 256)
            result = (embedder, encoder.note)
        except RUNTIME_ERRORS as exc:
            result = (torch_embedder, f"torch (ONNX Runtime unavailable: {exc})")
    _EMBEDDERS[runtime] = result
    return result
