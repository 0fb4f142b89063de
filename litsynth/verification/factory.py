"""One place that turns verifier settings into a judge."""

from __future__ import annotations

import logging

from litsynth.errors import ConfigError
from litsynth.settings import VerifierSettings
from litsynth.verification.base import Verifier

logger = logging.getLogger(__name__)


def make_verifier(settings: VerifierSettings) -> Verifier:
    """The verifier named by ``settings.kind``: ``embedding``, ``trained`` or ``cross``.

    Heavy pieces (MiniLM, the artefact) load lazily inside the chosen class, so calling this
    is cheap; an unknown or unavailable kind raises ConfigError with what to use instead.
    """
    logger.info("verifier %s on runtime %s", settings.kind, settings.runtime)
    if settings.kind == "embedding":
        from litsynth.verification.embedding import EmbeddingVerifier

        return EmbeddingVerifier.from_settings(settings)
    if settings.kind == "trained":
        from litsynth.verification.trained import TrainedVerifier

        return TrainedVerifier.load(
            evidence_sentences=settings.evidence_sentences, runtime=settings.runtime
        )
    if settings.kind == "cross":
        from litsynth.verification.cross_verifier import CrossEncoderVerifier

        return CrossEncoderVerifier.load(
            settings.cross_artifact,
            evidence_sentences=settings.evidence_sentences,
            runtime=settings.runtime,
        )
    raise ConfigError(
        f"verifier kind {settings.kind!r} has no local implementation here",
        hint="set verifier.kind to 'embedding', 'trained' or 'cross'",
    )
