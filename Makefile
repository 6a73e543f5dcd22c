# Halo Coach: `make run` starts the bot (or the terminal chat without a token), `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run chat test lint typecheck unit e2e bench diagrams clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/halo start

chat: $(STAMP)
	$(BIN)/halo chat

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/memory.py
	$(BIN)/python bench/http.py
	$(BIN)/python bench/apology_check.py

diagrams: $(STAMP)
	$(BIN)/python -m bot.diagrams --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
