# ccops developer and user entry points. `make demo` and `make test` are the two
# commands at the top of the README; both work on a fresh machine with Python 3.11+.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.ccops-installed
# The PostgreSQL database the suite runs against a second time.
CCOPS_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
PYTEST_WORKERS ?= 2

.PHONY: install demo test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/ccops demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Everything that touches the database runs again on PostgreSQL; the engine
# tests never touch a database and the "once" tests (translation catalogs, the
# Chinese crawl) do not depend on it: they are not repeated.
test-postgres: install
	@if $(BIN)/python -m ccops.devtools.pgcheck "$(CCOPS_TEST_POSTGRES_URL)"; then \
		CCOPS_DATABASE_URL="$(CCOPS_TEST_POSTGRES_URL)" $(BIN)/pytest -n $(PYTEST_WORKERS) -m "not engine and not once" ; \
	else \
		echo "PostgreSQL at $(CCOPS_TEST_POSTGRES_URL) is not reachable: PostgreSQL run skipped."; \
		if [ -n "$$CCOPS_REQUIRE_POSTGRES" ]; then exit 1; fi; \
	fi

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
