"""Reading files into page-preserving documents (chunking is ``litsynth.text.chunking``)."""

from litsynth.ingest.dispatch import SourceFile, discover, load_file

__all__ = ["SourceFile", "discover", "load_file"]
