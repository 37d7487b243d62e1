"""The knowledge API in parts, one per subject, on one router (``base.router``)."""
