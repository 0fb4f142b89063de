"""Tests of litsynth.agents."""
