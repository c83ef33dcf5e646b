# dw-sim commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# pytest-xdist processes of `make test` (each takes its own Redis database)
TEST_WORKERS ?= 2

.DEFAULT_GOAL := help
.PHONY: help install install-dev demo up down lint format test compose-check bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

PACKAGES := $(wildcard */pyproject.toml deploy/*/pyproject.toml)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "dw-sim needs Python 3.11 or newer as '$(PYTHON)' (Debian/Ubuntu: sudo apt-get install python3; or run make PYTHON=python3.12 ...)"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "'$(PYTHON)' cannot make virtualenvs: install python3-venv (Debian/Ubuntu: sudo apt-get install python3-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(PACKAGES) | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv with what the product needs (every package, editable; the dwsim command)

install-dev: $(VENV)/.installed-dev ## install also the test and lint tools (requirements-dev.txt)

demo: install ## start the stack in the background (or reuse it) and show dw-sim end to end
	$(BIN)/dwsim up --detach
	$(BIN)/dwsim demo

up: install ## run the whole local stack in the foreground with merged logs; Ctrl-C stops it
	$(BIN)/dwsim up

down: ## stop the stack that `make demo` (or `make up`) started
	@if [ -x $(BIN)/dwsim ]; then $(BIN)/dwsim down; else echo "no .venv: nothing to stop"; fi

lint: install-dev ## ruff over the whole repository
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev ## lint, then the whole test suite (needs PostgreSQL and Redis running; see README)
	$(BIN)/ruff check .
	$(BIN)/pytest -n $(TEST_WORKERS)

compose-check: install-dev ## check docker-compose.yml offline (no Docker engine needed)
	$(BIN)/docker-compose config --quiet

bench: install-dev ## run the benchmarks in bench/ and print their figures
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## remove the virtualenv and caches (not the data in .dwsim/)
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The web UI (api-gateway/ui): npm packages pinned in its package.json, built by esbuild into the
# gateway's package (static/, not committed), which serves it at /. Without npm, / says how.
UI_SRC := api-gateway/ui
UI_OUT := api-gateway/src/dwsim_gateway/static
UI_FILES := $(shell find $(UI_SRC)/src -type f 2>/dev/null) $(UI_SRC)/build.mjs
.PHONY: ui clean-ui
install: ui
install-dev: ui
clean: clean-ui

ui: ## build the web UI with npm (make install runs it); the gateway serves it at /
	@if command -v npm >/dev/null 2>&1 && node -e 'process.exit(parseInt(process.versions.node) < 18 ? 1 : 0)' 2>/dev/null; then \
	  $(MAKE) -s --no-print-directory $(UI_OUT)/index.html; \
	else \
	  echo "make ui: the web UI was not built: it needs Node.js 18+ and npm (Debian/Ubuntu: sudo apt-get install nodejs npm), then run make ui. The API works without it; the gateway's / says how to build it."; \
	fi

$(UI_SRC)/node_modules/.installed: $(UI_SRC)/package.json $(UI_SRC)/.npmrc
	cd $(UI_SRC) && npm install --no-audit --no-fund --loglevel=error
	touch $@

$(UI_OUT)/index.html: $(UI_SRC)/node_modules/.installed $(UI_FILES)
	cd $(UI_SRC) && node build.mjs

clean-ui: ## remove the web UI's build and its node_modules
	rm -rf $(UI_OUT) $(UI_SRC)/node_modules
