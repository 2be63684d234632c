# The two commands a newcomer needs: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
QUIZ   := $(VENV)/bin/quiz
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?=

.PHONY: run test test-fast bench clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

## run: install, create the SQLite demo database and serve on http://127.0.0.1:5000/
run: $(VENV)/.run-installed
	$(QUIZ) db upgrade
	$(QUIZ) demo
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the accounts above."
	$(QUIZ) serve --host $(HOST) --port $(PORT)

## test: install what the tests need (Chromium, PostgreSQL if possible) and run every tier
test: $(VENV)/.test-installed
	scripts/ensure-test-tools
	$(PY) -m pytest $(PYTEST_ARGS)

## test-fast: unit and integration tests only, SQLite only
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest tests -k "not postgresql" $(PYTEST_ARGS)

## bench: timing benchmarks (ratios and medians; figures recorded in bench/RESULTS.md)
bench: $(VENV)/.test-installed
	$(PY) -m bench.bench_analysis --seed 1
	$(PY) -m bench.bench_analysis_db --attempts 100000
	$(PY) -m bench.bench_bank_search --items 2000

clean:
	rm -rf $(VENV) instance .pytest_cache
