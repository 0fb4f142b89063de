"""Ingest throughput relative to raw MiniLM encoding of the same chunks (target ratio >= 0.9).

Ingests the 8 shared papers into a temp store, and encodes the same chunk texts with the bare
embedder before and after (their mean is the baseline, which evens out load drift on a shared
machine). Prints chunks/s for both, the ratio ingest/raw, the share of ingest time spent
encoding, and the time of a second (unchanged) ingest.

Run: python benchmarks/ingest_throughput.py [PAPERS_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from litsynth.ingest.pdf import load_pdf
from litsynth.ingest.runner import ingest_paths
from litsynth.settings import StoreSettings
from litsynth.text.chunking import chunk_document
from litsynth.text.embedding import get_embedder
from litsynth.vectorstore.store import PaperStore

DEFAULT_PAPERS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "papers"


def main() -> None:
    """Run the benchmark and print its numbers."""
    papers_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PAPERS
    pdfs = sorted(papers_dir.glob("*.pdf"))
    if not pdfs:
        sys.exit(f"no PDFs in {papers_dir}")
    embedder = get_embedder()
    texts = [c.text for pdf in pdfs for c in chunk_document(load_pdf(pdf, pdf.read_bytes()))]
    embedder.encode(texts[:64])  # load the model and warm up torch

    def raw_encode() -> float:
        started = time.perf_counter()
        embedder.encode(texts)
        return time.perf_counter() - started

    raw_before = raw_encode()
    encode_seconds = 0.0
    original = embedder.encode

    def timed_encode(batch):  # type: ignore[no-untyped-def]
        nonlocal encode_seconds
        started = time.perf_counter()
        try:
            return original(batch)
        finally:
            encode_seconds += time.perf_counter() - started

    with tempfile.TemporaryDirectory() as tmp:
        store = PaperStore.open(StoreSettings(path=Path(tmp) / "store"), embedder)
        embedder.encode = timed_encode  # type: ignore[method-assign]
        try:
            report = ingest_paths(store, pdfs)
        finally:
            embedder.encode = original  # type: ignore[method-assign]
        again = ingest_paths(store, pdfs)
    raw_after = raw_encode()
    raw = (raw_before + raw_after) / 2
    n = report.chunks_added
    assert n == len(texts), (n, len(texts))
    print(f"papers: {len(pdfs)}  chunks: {n}  failed: {len(report.failed)}")
    print(f"raw MiniLM encode: {raw_before:.1f} s before, {raw_after:.1f} s after")
    print(f"raw encode:  {n / raw:8.1f} chunks/s  ({raw:.1f} s mean)")
    print(f"ingest:      {n / report.seconds:8.1f} chunks/s  ({report.seconds:.1f} s)")
    print(f"ratio ingest/raw throughput: {raw / report.seconds:.3f}  (target >= 0.9)")
    print(f"encoding share of ingest time: {encode_seconds / report.seconds:.3f}")
    print(
        f"second ingest (unchanged): {again.seconds:.2f} s, chunks added {again.chunks_added}, "
        f"{again.seconds / report.seconds:.4f} of the first"
    )


if __name__ == "__main__":
    main()
