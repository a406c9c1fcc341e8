# smguard — every target a developer or CI runs. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools/bin
REGO := policies/rego
BUNDLE := harness/smguard/_bundle
EXAMPLE := examples/plan.json

.PHONY: help setup tools venv bundle catalogue dist example test lint rego-test browser pytest mutation bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: tools venv bundle ## install everything (pinned tools, venv, embedded bundle)

tools: ## build pinned opa, conftest and regal into .tools/bin
	@scripts/install-tools.sh

venv: $(BIN)/.installed ## the project venv with smguard and its test tools

$(BIN)/.installed: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

bundle: tools venv ## compile the Rego bundle to wasm for the embedded engine
	@$(BIN)/python -m smguard.bundle $(TOOLS)/opa $(BUNDLE)

dist: tools ## OPA bundle of the policies (manifest + revision) in dist/
	@mkdir -p dist
	$(TOOLS)/opa build -b $(REGO) --ignore '*_test.rego' --revision "$$(git describe --always --dirty)" \
		-o dist/smguard-policies.tar.gz

catalogue: tools venv ## regenerate catalogue.rego from rule METADATA
	@$(BIN)/python scripts/gen_catalogue.py $(TOOLS)/opa

example: setup ## scan the bundled example plan (make exits 2 when smguard exits 1)
	$(BIN)/smguard scan $(EXAMPLE)

lint: setup ## formatters and linters: opa fmt/check, regal, ruff, catalogue freshness
	$(TOOLS)/opa fmt --fail --list $(REGO)
	$(TOOLS)/opa check --strict $(REGO)
	$(TOOLS)/regal lint $(REGO)
	$(BIN)/python scripts/gen_catalogue.py --check $(TOOLS)/opa
	$(BIN)/ruff check harness tests scripts bench
	$(BIN)/ruff format --check harness tests scripts bench

rego-test: setup ## opa test of every rule, and the 95% coverage floor
	$(TOOLS)/opa test $(REGO)
	$(TOOLS)/opa test $(REGO) --coverage | $(BIN)/python scripts/rego_coverage.py 95

browser: ## Debian's chromium, for the graph rendering test
	@scripts/install-browser.sh

pytest: setup browser ## the Python test suite (fixtures on every engine, CLI, conftest)
	$(BIN)/pytest

test: lint rego-test pytest ## everything CI runs

mutation: setup ## mutation check: every guarded attribute of every compliant fixture matters
	$(BIN)/python scripts/mutate.py

bench: setup ## benchmarks; results go to docs/benchmarks.md
	$(BIN)/python bench/run.py

clean: ## remove build output (keeps .tools)
	rm -rf $(VENV) $(BUNDLE) build dist
