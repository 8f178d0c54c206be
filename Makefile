# The front door. `make build` sets everything up and builds the shipped data into ./out;
# `make test` sets everything up and runs the whole suite (lint, types, tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup system-deps build test lint types pytest benchmark bench-setup clean

setup: $(STAMP)

# Debian packages for the browser tests (chromium); the build itself needs only Python.
system-deps:
	bash scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

build: setup
	$(BIN)/atfgraph build data -o out --cache .atfgraph-cache

lint: setup
	$(BIN)/ruff check atfgraph tests benchmarks

types: setup
	$(BIN)/mypy

pytest: setup system-deps
	$(BIN)/python -m pytest

test: lint types pytest

# Morph-KGC pins old rdflib and pyoxigraph releases: it gets a virtual environment of its own.
MORPH := .venv-morph
bench-setup: setup
	test -x $(MORPH)/bin/python || $(PYTHON) -m venv $(MORPH)
	$(MORPH)/bin/python -m pip install --quiet "morph-kgc==2.10.0"

# Every figure of the README's table: about an hour and a half, most of it the naive pipeline at 100k.
benchmark: bench-setup
	$(BIN)/python benchmarks/pipeline.py --naive-max 100000 --morph-kgc $(MORPH)/bin/python --incremental
	$(BIN)/python benchmarks/queries.py --events 100000

clean:
	rm -rf $(VENV) $(MORPH) out .atfgraph-cache .pytest_cache .mypy_cache .ruff_cache
