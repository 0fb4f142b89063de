"""Tests of litsynth.report."""
