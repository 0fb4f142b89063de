"""A MiniLM cross-encoder: two texts read together, a small fine-tuned head on top.

The pip-shipped all-MiniLM-L6-v2 is the base; an artefact (``<name>.safetensors`` + ``.json``)
holds only the fine-tuned upper layers (float16) and the head, so it is small and loads offline.
The verifier's judge (:mod:`litsynth.verification.cross`) and the relevance scorer
(:mod:`litsynth.relevance`) are both this model with their own artefacts.

torch and transformers are imported inside functions: importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from litsynth.errors import ConfigError
from litsynth.text.artifact_io import read_artifact
from litsynth.text.onnx_runner import RUNTIME_ERRORS, OnnxEncoder, Runtime, mean_pool_np

if TYPE_CHECKING:
    import torch


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average of the token vectors where ``mask`` is 1."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def load_base() -> tuple[Any, Any]:
    """Tokenizer and BERT encoder of the pip-shipped MiniLM (no network)."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from litsynth.text.tokens import model_dir

    hf_logging.disable_progress_bar()  # a weight-loading bar on stderr is noise for our users
    path = str(model_dir())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    bert = AutoModel.from_pretrained(path, local_files_only=True)
    return tokenizer, bert


@dataclass
class PairEncoder:
    """Tokenizer + fine-tuned MiniLM + linear head; :meth:`logits` scores text pairs."""

    tokenizer: Any
    bert: Any
    head: Any
    max_length: int
    temperature: float
    metadata: dict[str, Any]
    encoder: OnnxEncoder | None = None
    runtime_note: str = "torch"
    _head_np: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def logits(
        self, claims: Sequence[str], evidences: Sequence[str], batch: int = 16
    ) -> np.ndarray:
        """Uncalibrated logits, shape (n, outputs): for the verifier (n, 3) in LABELS order.

        Pairs run longest first so each batch pads to similar lengths; rows come back in the
        order given.
        """
        out = np.zeros((len(claims), self.head.out_features))
        if self.encoder is not None:
            # ONNX Runtime: pool and apply the head in numpy. Torch ops on these small tensors
            # cost about a tenth of a verdict (thread hand-offs), for the same numbers.
            weight, bias = self._head_arrays()
            for idx, enc in self._batches(claims, evidences, batch, "np"):
                pooled = mean_pool_np(self.encoder(enc), enc["attention_mask"])
                out[idx] = (pooled @ weight.T + bias).astype(np.float64)
            return out
        import torch

        with torch.inference_mode():
            for idx, enc in self._batches(claims, evidences, batch, "pt"):
                hidden = self.bert(**enc).last_hidden_state
                out[idx] = self.head(mean_pool(hidden, enc["attention_mask"])).double().numpy()
        return out

    def _batches(
        self, claims: Sequence[str], evidences: Sequence[str], batch: int, tensors: str
    ) -> Iterator[tuple[list[int], Any]]:
        """Tokenized pairs, longest first, ``batch`` at a time, with their row indices."""
        order = sorted(range(len(claims)), key=lambda i: -(len(claims[i]) + len(evidences[i])))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            yield (
                idx,
                self.tokenizer(
                    [claims[i] for i in idx],
                    [evidences[i] for i in idx],
                    truncation="longest_first",
                    max_length=self.max_length,
                    padding=True,
                    return_tensors=tensors,
                ),
            )

    def _head_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The linear head's weight and bias as float32 arrays (read once)."""
        if self._head_np is None:
            self._head_np = (
                self.head.weight.detach().numpy().astype(np.float32),
                self.head.bias.detach().numpy().astype(np.float32),
            )
        return self._head_np

    @classmethod
    def from_artifact(
        cls, weights: Path, *, runtime: Runtime, fmt: str, what: str, hint: str
    ) -> Self:
        """Base MiniLM with the artefact's upper layers and head; never touches the network.

        ``fmt`` is the format the artefact's JSON must declare; ``what`` and ``hint`` name it in
        errors. The head's size comes from the artefact. With ``runtime="onnx"`` the encoder is
        exported once (cached by weight fingerprint) and run by ONNX Runtime; if that fails,
        PyTorch runs it and :attr:`runtime_note` says why.
        """
        import torch
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        metadata, tensors = read_artifact(
            weights,
            fmt=fmt,
            what=what,
            hint=hint,
            read=lambda p: load_file(str(p)),
            errors=(SafetensorError,),
        )
        tokenizer, bert = load_base()
        upper = {k[len("bert.") :]: v.float() for k, v in tensors.items() if k.startswith("bert.")}
        missing = [k for k in upper if k not in bert.state_dict()]
        if missing:
            raise ConfigError(
                f"{weights} does not fit the shipped MiniLM: {missing[:3]}", hint=hint
            )
        bert.load_state_dict(upper, strict=False)
        head = torch.nn.Linear(bert.config.hidden_size, tensors["head.weight"].shape[0])
        head.load_state_dict(
            {"weight": tensors["head.weight"].float(), "bias": tensors["head.bias"].float()}
        )
        bert.eval()
        head.eval()
        encoder: OnnxEncoder | None = None
        note = "torch"
        if runtime != "torch":
            try:
                encoder = OnnxEncoder.from_torch(bert, weights.stem, int8=runtime == "onnx-int8")
                note = encoder.note
            except RUNTIME_ERRORS as exc:
                note = f"torch (ONNX Runtime unavailable: {exc})"
        return cls(
            tokenizer=tokenizer,
            bert=bert,
            head=head,
            max_length=int(metadata["max_length"]),
            temperature=float(metadata["temperature"]),
            metadata=metadata,
            encoder=encoder,
            runtime_note=note,
        )
