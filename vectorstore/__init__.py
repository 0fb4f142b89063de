"""litsynth.vectorstore: the Chroma-backed paper store.

Heavy libraries (chromadb, torch) load only when a store is opened or text is encoded.
"""

from litsynth.vectorstore.models import DocumentInfo, Hit, IngestOutcome
from litsynth.vectorstore.store import PaperStore

__all__ = ["DocumentInfo", "Hit", "IngestOutcome", "PaperStore"]
