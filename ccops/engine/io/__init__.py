"""File formats of the command line: CSV and Excel readers and writers."""
