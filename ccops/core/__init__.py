"""Core of the ccops platform: sites, queues, the period calendar, the audit log, roles,
row-level permissions, background jobs, API tokens and the base model mixins every app uses."""
