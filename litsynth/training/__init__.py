"""Training of the verifier's artefacts (verdict head, cross-encoder, combiner, embedding
thresholds). Sits on top of the product: the runtime verifier imports nothing from here.
Needs the ``[train]`` extra (scikit-learn)."""
