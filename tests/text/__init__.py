"""Tests of litsynth.text."""
