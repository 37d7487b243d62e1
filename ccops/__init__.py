"""ccops: run a customer-service call center by its operations manual."""

__version__ = "0.1.0.dev0"
