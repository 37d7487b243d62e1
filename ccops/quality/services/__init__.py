"""Writes of the quality app, one module per part of the issue; each service is a
keyword-only ``<entity>_<verb>(*, ..., actor)`` function in one transaction, audited."""
