"""Tests of litsynth.evals."""
