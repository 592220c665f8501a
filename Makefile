# zhifa — two commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test venv venv-test lint clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("zhifa 需要 Python 3.11 或更高版本 / needs Python >= 3.11") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed marker files so that a second `make` does not reinstall.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

## make demo: install, load the demo county (郁南县) into ./var and serve on http://127.0.0.1:8000
demo: venv
	$(BIN)/zhifa demo --host $(HOST) --port $(PORT)

## make test: install with test extras, lint, then the whole suite (SQLite, or DATABASE_URL if set)
test: venv-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make lint: ruff, then the layer contracts of ARCHITECTURE.md (import-linter, configured in pyproject.toml)
lint: venv-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
