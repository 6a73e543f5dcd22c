# Halo Coach: `make run` starts the bot (or the terminal chat without a token), `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package, dev tools, pip and setuptools included, pinned with hashes (README: Dependencies).
LOCK := requirements/dev.lock
RUN_LOCK := requirements/run.lock
COMPILE = $(BIN)/uv pip compile pyproject.toml requirements/build.in --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" --quiet

.PHONY: install run chat test lint typecheck unit e2e bench diagrams clean lock lock-upgrade

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check  # fails when pyproject.toml asks for what the lock lacks: make lock
	touch $(STAMP)

install: $(STAMP)

# After a change to pyproject.toml's dependencies: resolve again, keeping every pin it can.
# `make lock-upgrade` moves everything to the newest versions the ranges allow.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)  # uv, as locked
	$(COMPILE) $(UPGRADE) --extra dev -o $(LOCK)
	$(COMPILE) $(UPGRADE) --extra postgres -c $(LOCK) -o $(RUN_LOCK)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

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
	$(BIN)/python -m bench.table  # the README's performance table: throughput and over HTTP
	$(BIN)/python -m bench.memory
	$(BIN)/python -m bench.apology_check
	$(BIN)/python -m bench.offer_reading
	$(BIN)/python -m bench.deal_reminders
	$(BIN)/python -m bench.store_cost
	$(BIN)/python -m bench.growth
	$(BIN)/python -m bench.faults
	$(BIN)/python -m bench.tidy_chat

diagrams: $(STAMP)
	$(BIN)/python -m bot.diagrams --write

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
