"""The ccops Django project: settings, root URLs, the API root, base templates and static files."""
