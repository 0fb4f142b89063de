"""Renderings of the research report (the model itself is `litsynth.schema.report`)."""
