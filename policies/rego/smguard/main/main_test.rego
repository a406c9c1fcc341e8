package smguard.main_test

import data.smguard.catalogue
import data.smguard.main

# ---------------------------------------------------------------------------
# Fixtures

_change(address, type, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}

_vpc_config := [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}]

_good_model := _change(
	"aws_sagemaker_model.good",
	"aws_sagemaker_model",
	{"name": "good", "enable_network_isolation": true, "vpc_config": _vpc_config},
	{},
)

_good_domain := _change(
	"aws_sagemaker_domain.good",
	"aws_sagemaker_domain",
	{"app_network_access_type": "VpcOnly", "vpc_id": "vpc-1", "subnet_ids": ["subnet-1"]},
	{},
)

# A plan in which nothing fails and nothing is warned about.
_compliant := {"resource_changes": [
	_good_model,
	_good_domain,
	_change(
		"aws_sagemaker_endpoint_configuration.good", "aws_sagemaker_endpoint_configuration", {
			"name": "good-cfg",
			"kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1",
			"production_variants": [{"model_name": "good"}],
		},
		{},
	),
	_change("aws_sagemaker_endpoint.good", "aws_sagemaker_endpoint", {"endpoint_config_name": "good-cfg"}, {}),
]}

# A plan in which every rule fails once.
_failing := {"resource_changes": [
	_change("aws_sagemaker_model.m", "aws_sagemaker_model", {"name": "bad", "vpc_config": []}, {}),
	_change("aws_sagemaker_domain.d", "aws_sagemaker_domain", {"subnet_ids": []}, {}),
	_change(
		"aws_sagemaker_endpoint_configuration.c", "aws_sagemaker_endpoint_configuration", {
			"name": "bad-cfg",
			"production_variants": [{"model_name": "bad"}],
		},
		{},
	),
	_change("aws_sagemaker_endpoint.e", "aws_sagemaker_endpoint", {"endpoint_config_name": "bad-cfg"}, {}),
]}

# A model whose subnets are unknown and refer to a variable: a warning.
_warned := {
	"resource_changes": [_change(
		"aws_sagemaker_model.w",
		"aws_sagemaker_model",
		{"name": "w", "enable_network_isolation": true, "vpc_config": [{"security_group_ids": ["sg-1"]}]},
		{"vpc_config": [{"subnets": true}]},
	)],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_sagemaker_model.w",
		"expressions": {"vpc_config": [{"subnets": {"references": ["var.subnets"]}}]},
	}]}},
}

_rule_ids(findings) := {f.rule_id | some f in findings}

# Findings that carry no rule id: the entry package's own bundle errors.
_bundle_errors(findings) := {f.msg | some f in findings; not f.rule_id}

_fake_entry := {
	"id": "SMG-FAKE-001",
	"name": "fake-rule",
	"remediation": "none",
	"severity": "low",
	"title": "A rule that does not exist",
}

# Every test evaluates the report once, with the rules' test packages replaced
# by {}: main reads every package under data.smguard.rules, and when the test
# files are loaded it would otherwise run all the rules' tests inside each
# evaluation. The replaced packages are still there (as {}), so the entry
# package still has to skip them by name.
#
#   r := main.report with input as PLAN
#       with data.smguard.rules.<family>.<rule>_test as {}   (one per rule)

# ---------------------------------------------------------------------------
# Findings

# The rules this small plan is about; other rules (KMS, VPC endpoints, …) have
# their own fixtures and tests.
_core := {"SMG-MODEL-001", "SMG-MODEL-002", "SMG-ENDPOINT-001", "SMG-ENDPOINT-002", "SMG-DOMAIN-001", "SMG-DOMAIN-002"}

test_compliant_plan_has_no_findings if {
	r := main.report with input as _compliant
	count([f | some f in r.deny; f.rule_id in _core]) == 0
	count([f | some f in r.warn; f.rule_id in _core]) == 0
}

test_every_rule_reports_under_its_catalogue_id if {
	r := main.report with input as _failing
	_core - _rule_ids(r.deny) == set()
	catalogued := {[entry.id, entry.name] | some entry in catalogue.rules}
	every f in r.deny {
		[f.rule_id, f.rule] in catalogued
	}
}

test_deny_finding_carries_catalogue_fields if {
	r := main.report with input as _failing
	some f in r.deny
	f.rule_id == "SMG-MODEL-001"
	f.rule == "model-network-isolation"
	f.severity == "high"
	f.address == "aws_sagemaker_model.m"
	f.title == catalogue.rules.model_network_isolation.title
	f.remediation == catalogue.rules.model_network_isolation.remediation
	contains(f.message, "enable_network_isolation")
	startswith(f.msg, "SMG-MODEL-001 aws_sagemaker_model.m: ")
	endswith(f.msg, f.message)
}

test_every_deny_finding_has_the_fields_conftest_prints if {
	r := main.report with input as _failing
	every f in r.deny {
		startswith(f.msg, sprintf("%s %s: ", [f.rule_id, f.address]))
		f.severity in {"high", "medium", "low"}
		some entry in catalogue.rules
		entry.id == f.rule_id
		entry.name == f.rule
	}
}

test_warn_finding_carries_catalogue_fields if {
	r := main.report with input as _warned
	count(r.deny) == 0
	count(r.warn) == 1
	some f in r.warn
	f.rule_id == "SMG-MODEL-002"
	f.rule == "model-vpc-config"
	f.severity == "high"
	f.address == "aws_sagemaker_model.w"
	contains(f.msg, "unknown")
}

test_wrapped_plan_is_read if {
	r := main.report with input as {"plan": _failing}
	"SMG-MODEL-001" in _rule_ids(r.deny)
}

# ---------------------------------------------------------------------------
# Bundle integrity

test_loaded_rules_match_catalogue if {
	r := main.report with input as _compliant
	r.loaded == object.keys(catalogue.rules)
	count(r.missing) == 0
	count(r.uncatalogued) == 0
	count(_bundle_errors(r.deny)) == 0
}

test_test_packages_are_not_loaded_as_rules if {
	r := main.report with input as _compliant
	every name in r.loaded {
		not endswith(name, "_test")
	}
}

test_catalogued_rule_that_did_not_load_is_missing if {
	rules := object.union(catalogue.rules, {"fake_rule": _fake_entry})
	r := main.report with input as _compliant
		with catalogue.rules as rules
	r.missing == {"fake_rule"}
	errors := _bundle_errors(r.deny)
	count(errors) == 1
	some msg in errors
	contains(msg, "fake_rule")
	contains(msg, "not loaded")
}

test_loaded_rule_missing_from_catalogue_is_uncatalogued if {
	rules := object.remove(catalogue.rules, ["model_vpc_config"])
	r := main.report with input as _failing
		with catalogue.rules as rules
	r.uncatalogued == {"model_vpc_config"}

	# its findings cannot be decorated; the bundle error keeps the run failing
	not "SMG-MODEL-002" in _rule_ids(r.deny)
	some msg in _bundle_errors(r.deny)
	contains(msg, "model_vpc_config")
	contains(msg, "not in the catalogue")
}

test_catalogue_that_did_not_load_fails_closed if {
	# without a catalogue the report itself is undefined; deny still fails
	denied := main.deny with input as _compliant
		with catalogue as {}
	some msg in _bundle_errors(denied)
	contains(msg, "catalogue did not load")
}

# ---------------------------------------------------------------------------
# Report

test_report_has_every_section if {
	r := main.report with input as _failing
	object.keys(r) == {"deny", "warn", "exempt", "exemption_problems", "loaded", "missing", "uncatalogued"}
	count(r.deny) > 0
	count(r.missing) == 0
}

# ---------------------------------------------------------------------------
# Input that is not a plan

_not_a_plan(findings) := {f.msg | some f in findings; contains(f.msg, "is not a Terraform plan")}

test_state_and_other_documents_are_denied_with_what_to_run if {
	every doc in [
		{"format_version": "1.0", "values": {"root_module": {"resources": []}}},
		{"version": 4, "serial": 1, "resources": []},
		{"apiVersion": "v1", "kind": "ConfigMap"},
		{},
	] {
		denied := _not_a_plan(main.deny) with input as doc
		count(denied) == 1
		some msg in denied
		contains(msg, "terraform show -json")
		contains(msg, "smguard scan DIR")
	}
}

test_no_plan_is_denied_as_not_a_plan if {
	every doc in [
		_compliant,
		_failing,
		{"format_version": "1.2", "resource_changes": []},
		{"format_version": "1.2", "planned_values": {"root_module": {}}},
		{"plan": {"format_version": "1.2", "planned_values": {}}},
	] {
		count(_not_a_plan(main.deny)) == 0 with input as doc
	}
}

# ---------------------------------------------------------------------------
# Terraform source, as conftest parses it

test_source_gets_the_verdicts_of_a_plan if {
	source := {"resource": {
		"aws_sagemaker_model": {"m": [{"name": "m", "enable_network_isolation": false}]},
		"aws_sagemaker_notebook_instance": {"n": [{"subnet_id": "${var.subnet}", "security_groups": ["sg-1"]}]},
	}}
	r := main.report with input as source
	{[f.rule_id, f.address] | some f in r.deny; f.rule_id in {"SMG-MODEL-001", "SMG-NOTEBOOK-001"}} == {
		["SMG-MODEL-001", "aws_sagemaker_model.m"],
		["SMG-NOTEBOOK-001", "aws_sagemaker_notebook_instance.n"],
	}
	count(_not_a_plan(r.deny)) == 0
	"SMG-NOTEBOOK-002" in {f.rule_id | some f in r.warn}

	# and one note saying what source cannot show
	count({w | some w in r.warn; not w.rule_id; startswith(w.msg, "smguard: read from Terraform source")}) == 1
}

test_module_calls_in_source_are_warned_about if {
	warned := main.warn with input as {"module": {"nb": [{"source": "./nb"}]}}
	some w in warned
	contains(w.msg, "module.nb")
}

test_awscc_resources_on_a_raw_plan_are_named_not_passed if {
	doc := {"resource_changes": [
		_change("awscc_sagemaker_domain.d", "awscc_sagemaker_domain", {"app_network_access_type": "PublicInternetOnly"}, {}),
		_change("awscc_sagemaker_app.a", "awscc_sagemaker_app", {}, {}),
	]}
	warned := {w.msg | some w in main.warn with input as doc; not w.rule_id}
	count(warned) == 1
	some msg in warned
	startswith(msg, "smguard: awscc_sagemaker_domain.d is not checked here")
}
