"""The numerical core of ccops: queueing, forecasting, scheduling and simulation.

Pure NumPy/SciPy/OR-Tools code. It never imports Django (an import-linter
contract enforces this) and is configured by arguments only, so it can be used
as a library on its own.
"""
