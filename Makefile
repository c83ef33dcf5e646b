# dw-sim developer commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help install lint format test bench up clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

PACKAGES := $(wildcard */pyproject.toml deploy/*/pyproject.toml)

$(VENV)/.installed: requirements-dev.txt $(PACKAGES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv with every package installed editable (and the dwsim command)

lint: install ## ruff over the whole repository
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install ## lint, then the whole test suite (needs PostgreSQL and Redis running; see README)
	$(BIN)/ruff check .
	$(BIN)/pytest

up: install ## run the local stack in the foreground (S3, Snowflake and Redshift emulators); Ctrl-C stops it
	$(BIN)/dwsim up

bench: install ## run the benchmarks in bench/ and print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache
