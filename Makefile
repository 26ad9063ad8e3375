# The two commands: `make run` (install, initialise, load the sample, serve) and
# `make test` (install, lint, type-check, test on SQLite and PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; CI sets REFUGE_REQUIRE_POSTGRES=1 so that its absence fails.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/refuge

.PHONY: install browser-deps run dev test test-sqlite test-postgres lint format bench lock clean

install: $(STAMP) browser-deps

# Browser tests drive Debian's Chromium (never a browser Playwright would download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ]; then \
			echo "installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "chromium is missing: browser tests will be skipped (install the chromium package)"; fi; }

# Re-runs only when the dependency list or the lock changes; `make install` is idempotent.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Refuge needs Python 3.11 (found " + sys.version.split()[0] + "); set PYTHON=python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

# Hands-free demo: initialise, load the sample with demo accounts, serve with DEBUG off.
# REFUGE_DEMO=1 shows the demo banner; `make run REFUGE_DEBUG=1` asks for development mode.
run: install
	$(BIN)/refuge init
	REFUGE_DEMO=1 $(BIN)/refuge load-sample --demo-users
	@echo "Sign in at http://$(HOST):$(PORT)/ as editor (or admin, analyst, partner) with the password above."
	REFUGE_DEMO=1 $(BIN)/refuge serve --host $(HOST) --port $(PORT)

test: install lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest -q

# The Django tests again on PostgreSQL when it is reachable (required when REFUGE_REQUIRE_POSTGRES=1).
test-postgres: install
	@if $(BIN)/python scripts/postgres_reachable.py "$(TEST_POSTGRES_URL)"; then \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/pytest -q -m "not sqlite_only" tests/web; \
	elif [ "$${REFUGE_REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "PostgreSQL is not reachable at $(TEST_POSTGRES_URL) and REFUGE_REQUIRE_POSTGRES=1" >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable: skipped the PostgreSQL run (set REFUGE_REQUIRE_POSTGRES=1 to fail instead)"; \
	fi

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests benchmarks scripts
	$(BIN)/ruff check --fix src tests benchmarks scripts

bench: install
	$(BIN)/python benchmarks/run.py

# Re-pin every dependency after changing pyproject.toml (run in a fresh venv).
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --disable-pip-version-check -e ".[dev]"
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e ' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
