"""litsynth.vectorstore."""
