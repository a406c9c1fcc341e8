package smguard.rules.notebook.notebook_kms_test

import data.smguard.rules.notebook.notebook_kms as rule

# ---------------------------------------------------------------------------
# Fixtures

_address := "aws_sagemaker_notebook_instance.nb"

_notebook(after, after_unknown) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_notebook_instance",
	"change": {
		"actions": ["create"],
		"after": object.union({"name": "nb", "subnet_id": "subnet-1"}, after),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_key_arn := "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_keyed := _notebook({"kms_key_id": _key_arn}, {})

_unknown := _notebook({}, {"kms_key_id": true})

_key(address) := {
	"address": address,
	"mode": "managed",
	"type": "aws_kms_key",
	"change": {
		"actions": ["create"],
		"after": {"enable_key_rotation": true},
		"after_unknown": {"arn": true, "id": true, "key_id": true},
	},
}

_config(refs) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_notebook_instance",
	"expressions": {"kms_key_id": {"references": refs}},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

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

# ---------------------------------------------------------------------------
# Compliant

test_known_key_passes if {
	count(rule.deny) == 0 with input as _plan([_keyed], [])
	count(rule.warn) == 0 with input as _plan([_keyed], [])
}

test_unknown_key_created_in_this_plan_passes if {
	config := [_config(["aws_kms_key.notebook.arn", "aws_kms_key.notebook"])]
	input_plan := _plan([_unknown, _key("aws_kms_key.notebook")], config)
	count(rule.deny) == 0 with input as input_plan
	count(rule.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Failing conditions

test_missing_key_denied if {
	every rc in [_notebook({}, {}), _notebook({"kms_key_id": null}, {}), _notebook({"kms_key_id": ""}, {})] {
		findings := rule.deny with input as _plan([rc], [])
		_addresses(findings) == {_address}
		_message(findings, _address) == "kms_key_id is not set"
		count(rule.warn) == 0 with input as _plan([rc], [])
	}
}

# ---------------------------------------------------------------------------
# Warnings

test_unknown_key_from_data_source_warned if {
	input_plan := _plan([_unknown], [_config(["data.aws_kms_key.shared.arn", "data.aws_kms_key.shared"])])
	findings := rule.warn with input as input_plan
	_addresses(findings) == {_address}
	contains(_message(findings, _address), "unknown until apply")
	count(rule.deny) == 0 with input as input_plan
}

test_unknown_key_referring_to_an_alias_warned if {
	alias := object.union(_key("aws_kms_alias.notebook"), {"type": "aws_kms_alias"})
	input_plan := _plan([_unknown, alias], [_config(["aws_kms_alias.notebook.arn", "aws_kms_alias.notebook"])])
	_addresses(rule.warn) == {_address} with input as input_plan
}

test_unknown_without_configuration_warned if {
	_addresses(rule.warn) == {_address} with input as {"resource_changes": [_unknown]}
}

test_reference_to_deleted_key_warned if {
	changes := [_unknown, _with_actions(_key("aws_kms_key.old"), ["delete"])]
	_addresses(rule.warn) == {_address} with input as _plan(changes, [_config(["aws_kms_key.old.arn"])])
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_notebook_ignored if {
	count(rule.deny) == 0 with input as _plan([_with_actions(_notebook({}, {}), ["delete"])], [])
	count(rule.warn) == 0 with input as _plan([_with_actions(_unknown, ["delete"])], [])
}

test_replaced_updated_and_unchanged_notebooks_checked if {
	every actions in [["delete", "create"], ["update"], ["no-op"]] {
		_addresses(rule.deny) == {_address} with input as _plan([_with_actions(_notebook({}, {}), actions)], [])
	}
}

test_child_module_key_resolved_in_the_same_module if {
	changes := [
		_in_module(_unknown, "module.research"),
		_in_module(_key("aws_kms_key.notebook"), "module.research"),
	]
	research := {"module": {"resources": [_config(["aws_kms_key.notebook.arn"])]}}
	input_plan := {
		"resource_changes": changes,
		"configuration": {"root_module": {"module_calls": {"research": research}}},
	}
	count(rule.warn) == 0 with input as input_plan
	count(rule.deny) == 0 with input as input_plan
}

test_child_module_notebook_denied_with_full_address if {
	rc := _in_module(_notebook({}, {}), `module.research["a"]`)
	findings := rule.deny with input as _plan([rc], [])
	_addresses(findings) == {`module.research["a"].aws_sagemaker_notebook_instance.nb`}
}
