"""Tests of litsynth.prompts."""
