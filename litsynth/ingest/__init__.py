"""Reading files into page-preserving documents and cutting them into span-exact chunks."""

from litsynth.ingest.chunking import CHUNKER_VERSION, Chunk, chunk_document
from litsynth.ingest.dispatch import SourceFile, discover, load_file
from litsynth.ingest.models import ParsedDocument

__all__ = [
    "CHUNKER_VERSION",
    "Chunk",
    "ParsedDocument",
    "SourceFile",
    "chunk_document",
    "discover",
    "load_file",
]
