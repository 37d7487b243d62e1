import pytest


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Scans are stored under the data directory: a fresh one per test."""
    settings.DATA_DIR = tmp_path
