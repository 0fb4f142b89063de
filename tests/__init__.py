"""Tests of litsynth; the layout mirrors the package."""
