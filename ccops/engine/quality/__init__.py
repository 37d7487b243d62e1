"""Quality management numerics: evaluation-form scoring, QA sampling, rater agreement
and the monthly 100-point scorecard. Pure NumPy/SciPy; never Django."""
