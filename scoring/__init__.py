"""Scores computed from the marts: churn risk with its reasons (plain Python, scikit-learn)."""
