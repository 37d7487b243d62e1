"""Pages of workforce management."""
