# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.model.model_vpc_allowlist_test

import data.smguard.rules.model.model_vpc_allowlist

# ---------------------------------------------------------------------------
# Fixtures

_model(address, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {
		"actions": ["create"],
		"after": object.union({"name": "m", "enable_network_isolation": true}, after),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_vpc(subnets, groups) := {"vpc_config": [{"subnets": subnets, "security_group_ids": groups}]}

_placed(address, subnets, groups) := _model(address, _vpc(subnets, groups), {"vpc_config": [{}]})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

# Both allowlists configured.
_settings := {"allowlists": {
	"subnets": ["subnet-a", "subnet-b"],
	"security_groups": ["sg-1"],
}}

_only_subnets := {"allowlists": {"subnets": ["subnet-a"], "security_groups": []}}

_only_groups := {"allowlists": {"subnets": [], "security_groups": ["sg-1"]}}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

_m := "aws_sagemaker_model.m"

# ---------------------------------------------------------------------------
# Not configured: nothing is checked

test_default_empty_allowlists_pass_anything if {
	rc := _placed(_m, ["subnet-x"], ["sg-x"])
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc])
	count(model_vpc_allowlist.warn) == 0 with input as _plan([rc])
}

test_unknown_lists_pass_when_not_configured if {
	rc := _model(_m, {"vpc_config": [{}]}, {"vpc_config": [{"subnets": true, "security_group_ids": true}]})
	count(model_vpc_allowlist.warn) == 0 with input as _plan([rc])
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc])
}

# ---------------------------------------------------------------------------
# Compliant

test_allowlisted_subnets_and_groups_pass if {
	rc := _placed(_m, ["subnet-b", "subnet-a"], ["sg-1"])
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
	count(model_vpc_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_model_without_vpc_config_left_to_model_vpc_config if {
	every after in [{}, {"vpc_config": []}, {"vpc_config": null}, _vpc([], [])] {
		rc := _model(_m, after, {})
		count(model_vpc_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
		count(model_vpc_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
	}
}

test_only_the_configured_allowlist_is_checked if {
	rc := _placed(_m, ["subnet-a"], ["sg-unlisted"])
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _only_subnets
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _only_groups
	msg := _message(findings, _m)
	contains(msg, "vpc_config.security_group_ids has sg-unlisted")
	not contains(msg, "subnets")
}

# ---------------------------------------------------------------------------
# Failing conditions

test_subnet_outside_allowlist_denied if {
	rc := _placed(_m, ["subnet-a", "subnet-z", "subnet-y"], ["sg-1"])
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	_addresses(findings) == {_m}
	_message(findings, _m) == "vpc_config.subnets has subnet-y, subnet-z, which allowlists.subnets does not list"
}

test_security_group_outside_allowlist_denied if {
	rc := _placed(_m, ["subnet-a"], ["sg-1", "sg-open"])
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(_message(findings, _m), "vpc_config.security_group_ids has sg-open, which allowlists.security_groups")
}

test_both_lists_outside_reported_in_one_finding if {
	rc := _placed(_m, ["subnet-z"], ["sg-open"])
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	count(findings) == 1
	msg := _message(findings, _m)
	contains(msg, "subnet-z")
	contains(msg, "; vpc_config.security_group_ids has sg-open")
	count(model_vpc_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

# ---------------------------------------------------------------------------
# Unknown until apply

test_unknown_subnets_warned if {
	rc := _model(_m, {"vpc_config": [{"security_group_ids": ["sg-1"]}]}, {"vpc_config": [{"subnets": true}]})
	findings := model_vpc_allowlist.warn with input as _plan([rc]) with data.smguard.config.settings as _settings
	_addresses(findings) == {_m}
	_message(findings, _m) == "vpc_config.subnets is unknown until apply and cannot be compared with allowlists.subnets"
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_unknown_vpc_config_warned_for_each_configured_list if {
	rc := _model(_m, {}, {"vpc_config": true})
	findings := model_vpc_allowlist.warn with input as _plan([rc]) with data.smguard.config.settings as _settings
	msg := _message(findings, _m)
	contains(msg, "vpc_config.subnets is unknown")
	contains(msg, "vpc_config.security_group_ids is unknown")
	only := model_vpc_allowlist.warn with input as _plan([rc]) with data.smguard.config.settings as _only_groups
	not contains(_message(only, _m), "subnets")
}

test_unknown_element_warned_when_known_elements_are_allowed if {
	after := _vpc(["subnet-a", null], ["sg-1"])
	rc := _model(_m, after, {"vpc_config": [{"subnets": [false, true]}]})
	findings := model_vpc_allowlist.warn with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(_message(findings, _m), "vpc_config.subnets is unknown")
}

test_known_element_outside_allowlist_denied_despite_unknown_element if {
	after := _vpc(["subnet-z", null], ["sg-1"])
	rc := _model(_m, after, {"vpc_config": [{"subnets": [false, true]}]})
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(_message(findings, _m), "has subnet-z,")
	count(model_vpc_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_model_ignored if {
	rc := _with_actions(_placed(_m, ["subnet-z"], ["sg-1"]), ["delete"])
	count(model_vpc_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_child_module_model_reported_with_full_address if {
	rc := _in_module(_placed(_m, ["subnet-z"], ["sg-1"]), `module.serving["prod"]`)
	findings := model_vpc_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	_addresses(findings) == {`module.serving["prod"].aws_sagemaker_model.m`}
}

test_only_failing_models_reported if {
	changes := [
		_placed("aws_sagemaker_model.good", ["subnet-a"], ["sg-1"]),
		_placed("aws_sagemaker_model.bad", ["subnet-z"], ["sg-1"]),
	]
	findings := model_vpc_allowlist.deny with input as _plan(changes) with data.smguard.config.settings as _settings
	_addresses(findings) == {"aws_sagemaker_model.bad"}
}
