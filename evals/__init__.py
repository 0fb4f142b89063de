"""litsynth.evals."""
