package smguard.rules.notebook.notebook_root_access_test

import data.smguard.rules.notebook.notebook_root_access as rule

# ---------------------------------------------------------------------------
# Fixtures

_notebook(address, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_notebook_instance",
	"name": "nb",
	"change": {
		"actions": ["create"],
		"after": object.union({"name": "nb", "instance_type": "ml.t3.medium", "subnet_id": "subnet-1"}, after),
		"after_unknown": object.union({"arn": true, "id": true, "url": true}, after_unknown),
	},
}

_address := "aws_sagemaker_notebook_instance.nb"

_disabled := _notebook(_address, {"root_access": "Disabled"}, {})

_enabled := _notebook(_address, {"root_access": "Enabled"}, {})

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# ---------------------------------------------------------------------------
# Compliant

test_disabled_passes if {
	count(rule.deny) == 0 with input as _plan([_disabled])
}

test_other_resource_types_ignored if {
	other := object.union(_enabled, {"address": "aws_sagemaker_model.m", "type": "aws_sagemaker_model"})
	count(rule.deny) == 0 with input as _plan([other])
}

# ---------------------------------------------------------------------------
# Failing conditions

test_enabled_denied if {
	findings := rule.deny with input as _plan([_enabled])
	_addresses(findings) == {_address}
	_message(findings, _address) == "root_access is Enabled; it must be Disabled"
}

test_absent_denied_with_provider_default if {
	every rc in [_notebook(_address, {}, {}), _notebook(_address, {"root_access": null}, {})] {
		findings := rule.deny with input as _plan([rc])
		_addresses(findings) == {_address}
		contains(_message(findings, _address), "not set (the provider default is Enabled)")
	}
}

test_unknown_until_apply_denied if {
	rc := _notebook(_address, {}, {"root_access": true})
	findings := rule.deny with input as _plan([rc])
	_addresses(findings) == {_address}
	contains(_message(findings, _address), "unknown")
}

test_wrong_case_denied if {
	rc := _notebook(_address, {"root_access": "disabled"}, {})
	_addresses(rule.deny) == {_address} with input as _plan([rc])
}

test_only_failing_notebooks_reported if {
	good := object.union(_disabled, {"address": "aws_sagemaker_notebook_instance.good"})
	bad := object.union(_enabled, {"address": "aws_sagemaker_notebook_instance.bad"})
	_addresses(rule.deny) == {"aws_sagemaker_notebook_instance.bad"} with input as _plan([good, bad])
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_and_forgotten_notebooks_ignored if {
	every actions in [["delete"], ["forget"]] {
		count(rule.deny) == 0 with input as _plan([_with_actions(_enabled, actions)])
	}
}

test_replaced_updated_and_unchanged_notebooks_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["update"], ["no-op"]] {
		_addresses(rule.deny) == {_address} with input as _plan([_with_actions(_enabled, actions)])
	}
}

test_data_source_ignored if {
	rc := object.union(_enabled, {"address": "data.aws_sagemaker_notebook_instance.nb", "mode": "data"})
	count(rule.deny) == 0 with input as _plan([_with_actions(rc, ["read"])])
}

# ---------------------------------------------------------------------------
# Addresses and plan wrappers

test_child_module_notebook_reported_with_full_address if {
	rc := _in_module(_enabled, `module.research["team-a"]`)
	_addresses(rule.deny) == {`module.research["team-a"].aws_sagemaker_notebook_instance.nb`} with input as _plan([rc])
}

test_instances_reported_separately if {
	changes := [
		object.union(_disabled, {"address": "aws_sagemaker_notebook_instance.nb[0]"}),
		object.union(_enabled, {"address": "aws_sagemaker_notebook_instance.nb[1]"}),
	]
	_addresses(rule.deny) == {"aws_sagemaker_notebook_instance.nb[1]"} with input as _plan(changes)
}

test_wrapped_plans_checked if {
	every key in ["plan", "terraform"] {
		_addresses(rule.deny) == {_address} with input as {key: _plan([_enabled])}
	}
}
