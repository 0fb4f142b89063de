"""litsynth.vectorstore: the Chroma-backed paper store and the MiniLM embedder.

Heavy libraries (chromadb, torch) load only when a store is opened or text is encoded.
"""

from litsynth.vectorstore.embeddings import MiniLMEmbedder, get_embedder
from litsynth.vectorstore.models import DocumentInfo, Hit, IngestOutcome
from litsynth.vectorstore.store import PaperStore

__all__ = ["DocumentInfo", "Hit", "IngestOutcome", "MiniLMEmbedder", "PaperStore", "get_embedder"]
