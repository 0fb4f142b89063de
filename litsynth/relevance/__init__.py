"""(question, sentence) relevance: a MiniLM cross-encoder the gate and the extractor rank by."""

from litsynth.relevance.factory import make_relevance_scorer
from litsynth.relevance.scorer import RelevanceScorer

__all__ = ["RelevanceScorer", "make_relevance_scorer"]
