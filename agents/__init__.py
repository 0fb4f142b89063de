"""litsynth.agents."""
