"""Writes of the knowledge app (each one transaction, locked first, audited): difficult
cases (:mod:`.cases`), articles and links (:mod:`.articles`), the service manual
(:mod:`.manual`)."""
