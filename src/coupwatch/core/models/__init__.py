"""Coup-risk models: estimators with scikit-learn conventions (``estimators``) and their TOML specifications
(``specs``; the package imports nothing, so reading a saved spec does not load scikit-learn)."""
