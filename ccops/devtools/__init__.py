"""Small helpers for the Makefile and CI; not part of the product's API."""
