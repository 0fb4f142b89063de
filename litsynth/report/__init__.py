"""The research report: its model and its renderings."""
