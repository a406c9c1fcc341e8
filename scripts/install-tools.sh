#!/usr/bin/env bash
# Installs the pinned policy tools into .tools/bin (or $SMGUARD_TOOLS_DIR/bin).
# Idempotent: a tool whose binary already reports the pinned version is not rebuilt.
set -euo pipefail

OPA_VERSION=v1.22.2
CONFTEST_VERSION=v0.71.1
REGAL_VERSION=v0.38.1 # must match tools/regal/go.mod
TERRAFORM_DOCS_VERSION=v0.20.0 # must match tools/terraform-docs/go.mod
MERMAID_VERSION=12.3.0 # npm; drawn by `smguard graph` and the Markdown report

root=$(cd "$(dirname "$0")/.." && pwd)
tools_dir=${SMGUARD_TOOLS_DIR:-$root/.tools}
bin_dir=$tools_dir/bin
mkdir -p "$bin_dir"
export GOBIN=$bin_dir GOFLAGS=-buildvcs=false

# A stamp beside each binary records the version it was built from.
have() { [ -x "$bin_dir/$1" ] && [ "$(cat "$bin_dir/.$1.version" 2>/dev/null)" = "$2" ]; }
built() { echo "$2" >"$bin_dir/.$1.version"; }
have_node_module() { [ "$(cat "$tools_dir/node/.$1.version" 2>/dev/null)" = "$2" ]; }

if ! have opa "$OPA_VERSION"; then
	echo "install-tools: building opa $OPA_VERSION" >&2
	go install "github.com/open-policy-agent/opa@$OPA_VERSION"
	built opa "$OPA_VERSION"
fi
if ! have conftest "$CONFTEST_VERSION"; then
	echo "install-tools: building conftest $CONFTEST_VERSION" >&2
	go install "github.com/open-policy-agent/conftest@$CONFTEST_VERSION"
	built conftest "$CONFTEST_VERSION"
fi
if ! have regal "$REGAL_VERSION"; then
	# `go install github.com/open-policy-agent/regal@…` is refused here (the proxy
	# will not list the module's versions), so build it from a local main module.
	echo "install-tools: building regal $REGAL_VERSION" >&2
	(cd "$root/tools/regal" && go install .)
	built regal "$REGAL_VERSION"
fi
if ! have terraform-docs "$TERRAFORM_DOCS_VERSION"; then
	# Its version list is refused by the proxy too: a local main module, as for Regal.
	echo "install-tools: building terraform-docs $TERRAFORM_DOCS_VERSION" >&2
	(cd "$root/tools/terraform-docs" && go install .)
	built terraform-docs "$TERRAFORM_DOCS_VERSION"
fi
if ! have_node_module mermaid "$MERMAID_VERSION"; then
	echo "install-tools: installing mermaid $MERMAID_VERSION (npm)" >&2
	npm install --silent --no-audit --no-fund --prefix "$tools_dir/node" "mermaid@$MERMAID_VERSION"
	echo "$MERMAID_VERSION" >"$tools_dir/node/.mermaid.version"
fi
