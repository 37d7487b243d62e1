"""Writes of the registers app, one module per register (each service one transaction,
audited, attributed to ``actor``)."""
