"""One place that turns relevance settings into a scorer."""

from __future__ import annotations

from litsynth.relevance.scorer import RelevanceScorer
from litsynth.settings import RelevanceSettings


def make_relevance_scorer(settings: RelevanceSettings) -> RelevanceScorer:
    """The scorer named by ``settings.artifact``, run by ``settings.runtime``.

    Loads MiniLM and the artefact (about a second); callers keep the scorer for the run.
    A missing or foreign artefact raises ConfigError naming the file and how to rebuild it.
    """
    return RelevanceScorer.load(
        settings.artifact, runtime=settings.runtime, batch_size=settings.batch_size
    )
