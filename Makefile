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
CHECKOV_VERSION := 3.3.30
CHECKOV := .tools/checkov

.PHONY: help setup toolchain tools checkov venv dev-venv bundle catalogue tfdocs dist example test lint rego-test browser pytest mutation bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: venv ## the venv with smguard: enough to scan on the embedded engine (committed wasm)

toolchain: tools checkov dev-venv bundle browser ## every engine and test tool: opa, conftest, Regal, Checkov, chromium, test packages

tools: ## build pinned opa, conftest and regal into .tools/bin, mermaid for graphs
	@scripts/install-tools.sh

# Checkov has a venv of its own: it pins boto3 and ships bc-python-hcl2, whose
# `hcl2` module would clash with the project's.
checkov: $(CHECKOV)/.installed-$(CHECKOV_VERSION) ## pinned Checkov in its own venv, .tools/checkov

$(CHECKOV)/.installed-$(CHECKOV_VERSION):
	@rm -rf $(CHECKOV)
	@$(PYTHON) -m venv $(CHECKOV)
	@echo "make: installing checkov $(CHECKOV_VERSION) into $(CHECKOV)" >&2
	@$(CHECKOV)/bin/pip install --quiet --disable-pip-version-check 'checkov==$(CHECKOV_VERSION)'
	@touch $@

venv: $(BIN)/.installed ## the project venv with smguard (editable)

$(BIN)/.installed: pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e .
	@touch $@

dev-venv: $(BIN)/.installed-test ## the venv with the test and lint packages too

$(BIN)/.installed-test: pyproject.toml $(BIN)/.installed
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

bundle: tools dev-venv ## compile the Rego bundle to wasm for the embedded engine
	@$(BIN)/python -m smguard.bundle $(TOOLS)/opa $(BUNDLE)

dist: tools ## OPA bundle of the policies (manifest + revision) in dist/
	@mkdir -p dist
	$(TOOLS)/opa build -b $(REGO) --ignore '*_test.rego' --revision "$$(git describe --always --dirty)" \
		-o dist/smguard-policies.tar.gz

catalogue: tools dev-venv ## regenerate catalogue.rego from rule METADATA
	@$(BIN)/python scripts/gen_catalogue.py $(TOOLS)/opa

tfdocs: tools ## regenerate the tables of the modules' READMEs (terraform-docs, .terraform-docs.yml)
	@for m in modules/sagemaker-*/; do $(TOOLS)/terraform-docs -c .terraform-docs.yml "$$m" >/dev/null; done

example: setup ## scan the bundled example plan (make exits 2 when smguard exits 1)
	$(BIN)/smguard scan $(EXAMPLE)

lint: toolchain ## formatters and linters: opa fmt/check, regal, ruff, catalogue and module README freshness, terraform fmt
	$(TOOLS)/opa fmt --fail --list $(REGO)
	$(TOOLS)/opa check --strict $(REGO)
	$(TOOLS)/regal lint $(REGO)
	$(TOOLS)/regal test .regal/rules
	$(BIN)/python scripts/gen_catalogue.py --check $(TOOLS)/opa
	$(BIN)/ruff check harness tests scripts bench policies/checkov
	$(BIN)/ruff format --check harness tests scripts bench policies/checkov
	for m in modules/sagemaker-*/; do $(TOOLS)/terraform-docs -c .terraform-docs.yml --output-check "$$m"; done
	@if command -v terraform >/dev/null; then terraform fmt -check -recursive modules; \
	else echo "terraform not found: skipping terraform fmt -check of modules/"; fi

rego-test: toolchain ## opa test of every rule, and the 95% coverage floor
	$(TOOLS)/opa test $(REGO)
	$(TOOLS)/opa test $(REGO) --coverage | $(BIN)/python scripts/rego_coverage.py 95

browser: ## Debian's chromium, for the graph rendering test
	@scripts/install-browser.sh

pytest: toolchain ## the Python test suite (fixtures on every engine, CLI, conftest)
	$(BIN)/pytest

test: lint rego-test pytest ## everything CI runs

mutation: toolchain ## mutation check: every guarded attribute of every compliant fixture matters
	$(BIN)/python scripts/mutate.py

bench: toolchain ## benchmarks; results go to docs/benchmarks.md
	$(BIN)/python bench/run.py

clean: ## remove build output (keeps .tools)
	rm -rf $(VENV) $(BUNDLE) build dist
