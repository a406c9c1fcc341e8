# METADATA
# description: |
#   The configuration document: `data.smguard.config` (the harness loads it
#   from `--config`, conftest users pass it with `--data`) over defaults, and
#   `data.smguard.now`, today's date, which the harness always passes so that
#   expiry is testable. Rules read settings only through setting().
package smguard.lib.config

# data.smguard.config and data.smguard.now are base documents given at run
# time, hence the `unresolved-reference` ignores below.

# Settings every rule may read, with their defaults. An empty allowlist means
# "no allowlist": only presence is checked.
defaults := {
	"allowlists": {
		"subnets": [],
		"security_groups": [],
		"vpcs": [],
	},
	"vpc_endpoints": {"required_services": [
		"s3",
		"sagemaker.api",
		"sagemaker.runtime",
		"sts",
		"logs",
		"ecr.api",
		"ecr.dkr",
	]},
	"iam_guardrails": {"required": false},
	"domains": {"allow_replacement": false},
	# What every pipeline step that can run in a VPC must carry in its
	# NetworkConfig: "isolation_and_vpc" (default), "vpc" or "isolation".
	"pipelines": {"minimum": "isolation_and_vpc"},
	# Route targets that leave the VPC to inspected egress (SMG-EGRESS-001):
	# [{"target": ID or address, "reason": why}].
	"egress": {"allowed_targets": []},
}

default _given := {}

_given := data.smguard.config.settings # regal ignore:unresolved-reference

# The effective settings: defaults overlaid with the configured ones.
settings := object.union(defaults, _given)

# One setting by path, e.g. setting(["allowlists", "subnets"]).
setting(path) := object.get(settings, path, null)

default rules := {}

# Per-rule options by rule id: {"enabled": false} and/or {"severity": "low"}.
rules := data.smguard.config.rules # regal ignore:unresolved-reference

default exemptions := []

exemptions := data.smguard.config.exemptions # regal ignore:unresolved-reference

# Today as YYYY-MM-DD: passed in by the harness; without it, the clock.
default now := ""

now := data.smguard.now # regal ignore:unresolved-reference

today := now if now != ""

else := time.format([time.now_ns(), "UTC", "2006-01-02"])
