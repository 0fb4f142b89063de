"""Tests of litsynth.graph."""
