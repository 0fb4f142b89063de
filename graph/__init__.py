"""litsynth.graph."""
