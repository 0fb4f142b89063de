"""The ``litsynth`` command line: the only place that turns errors into messages for people."""
