"""Tests of litsynth.cli."""
