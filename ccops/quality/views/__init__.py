"""Pages of the quality app, one module per part (see each module's docstring)."""
