"""Speed and accuracy measurements, run on demand: ``python -m benchmarks``."""
