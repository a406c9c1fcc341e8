package smguard.rules.notebook.notebook_vpc_test

import data.smguard.rules.notebook.notebook_vpc as rule

# ---------------------------------------------------------------------------
# Fixtures

_address := "aws_sagemaker_notebook_instance.nb"

_notebook(after, after_unknown) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_notebook_instance",
	"change": {
		"actions": ["create"],
		"after": object.union({"name": "nb", "direct_internet_access": "Disabled"}, after),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_placed := _notebook({"subnet_id": "subnet-1", "security_groups": ["sg-1"]}, {})

# subnet_id and security_groups both unknown until apply.
_unknown := _notebook({}, {"subnet_id": true, "security_groups": true})

_resource(address, type) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}},
}

# Configuration of the notebook: an expression per attribute, with its references.
_config(expressions) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_notebook_instance",
	"expressions": object.union({"name": {"constant_value": "nb"}}, expressions),
}

_refs(subnet_refs, sg_refs) := _config({
	"subnet_id": {"references": subnet_refs},
	"security_groups": {"references": sg_refs},
})

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

test_known_subnet_and_security_groups_pass if {
	count(rule.deny) == 0 with input as _plan([_placed], [])
	count(rule.warn) == 0 with input as _plan([_placed], [])
}

test_unknown_values_referring_to_planned_subnet_and_groups_pass if {
	changes := [
		_unknown,
		_resource("aws_subnet.private", "aws_subnet"),
		_resource("aws_security_group.nb", "aws_security_group"),
	]
	config := [_refs(
		["aws_subnet.private.id", "aws_subnet.private"],
		["aws_security_group.nb.id", "aws_security_group.nb"],
	)]
	count(rule.deny) == 0 with input as _plan(changes, config)
	count(rule.warn) == 0 with input as _plan(changes, config)
}

test_unknown_list_elements_referring_to_planned_groups_pass if {
	rc := _notebook({"subnet_id": "subnet-1", "security_groups": [null]}, {"security_groups": [true]})
	changes := [rc, _resource(`aws_security_group.nb["a"]`, "aws_security_group")]
	config := [_config({
		"subnet_id": {"constant_value": "subnet-1"},
		"security_groups": {"references": ["aws_security_group.nb"]},
	})]
	count(rule.deny) == 0 with input as _plan(changes, config)
	count(rule.warn) == 0 with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Failing conditions

test_missing_subnet_denied if {
	every subnet_id in [null, ""] {
		rc := _notebook({"subnet_id": subnet_id, "security_groups": ["sg-1"]}, {})
		findings := rule.deny with input as _plan([rc], [])
		_addresses(findings) == {_address}
		_message(findings, _address) == "subnet_id is not set"
	}
}

test_absent_subnet_denied if {
	rc := _notebook({"security_groups": ["sg-1"]}, {})
	_message(rule.deny, _address) == "subnet_id is not set" with input as _plan([rc], [])
}

test_empty_security_groups_denied if {
	rc := _notebook({"subnet_id": "subnet-1", "security_groups": []}, {})
	_message(rule.deny, _address) == "security_groups is not set" with input as _plan([rc], [])
}

# security_groups is optional and computed: left out of the configuration, it
# is unknown until apply at create, and AWS fills in the VPC's default group.
test_security_groups_computed_because_not_configured_denied if {
	rc := _notebook({"subnet_id": "subnet-1"}, {"security_groups": true})
	input_plan := _plan([rc], [_config({"subnet_id": {"constant_value": "subnet-1"}})])
	_message(rule.deny, _address) == "security_groups is not set" with input as input_plan
	count(rule.warn) == 0 with input as input_plan
}

test_both_missing_denied_in_one_finding if {
	rc := _notebook({}, {"security_groups": true})
	findings := rule.deny with input as _plan([rc], [_config({})])
	count(findings) == 1
	_message(findings, _address) == "subnet_id and security_groups are not set"
}

test_missing_attribute_is_a_failure_not_a_warning if {
	rc := _notebook({"security_groups": []}, {"subnet_id": true})
	input_plan := _plan([rc], [_config({"subnet_id": {"references": ["var.subnet_id"]}})])
	_message(rule.deny, _address) == "security_groups is not set" with input as input_plan
	count(rule.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Warnings: unknown until apply and not created in this plan

test_unknown_subnet_from_variable_warned if {
	rc := _notebook({"security_groups": ["sg-1"]}, {"subnet_id": true})
	input_plan := _plan([rc], [_config({"subnet_id": {"references": ["var.subnet_id"]}})])
	findings := rule.warn with input as input_plan
	_addresses(findings) == {_address}
	startswith(_message(findings, _address), "subnet_id is unknown until apply")
	endswith(_message(findings, _address), "it cannot be verified")
	count(rule.deny) == 0 with input as input_plan
}

test_unknown_security_groups_from_data_source_warned if {
	rc := _notebook({"subnet_id": "subnet-1"}, {"security_groups": true})
	refs := ["data.aws_security_group.shared.id", "data.aws_security_group.shared"]
	config := [_config({"security_groups": {"references": refs}})]
	findings := rule.warn with input as _plan([rc], config)
	startswith(_message(findings, _address), "security_groups is unknown until apply")
}

test_both_unresolved_warned_in_one_finding if {
	config := [_refs(["module.network.private_subnet_id"], ["module.network.notebook_sg_id"])]
	input_plan := _plan([_unknown], config)
	findings := rule.warn with input as input_plan
	count(findings) == 1
	startswith(_message(findings, _address), "subnet_id and security_groups are unknown until apply")
	endswith(_message(findings, _address), "they cannot be verified")
}

test_unknown_without_configuration_warned if {
	findings := rule.warn with input as {"resource_changes": [_unknown]}
	_addresses(findings) == {_address}
	count(rule.deny) == 0 with input as {"resource_changes": [_unknown]}
}

test_reference_to_wrong_type_warned if {
	changes := [_unknown, _resource("aws_subnet.a", "aws_subnet"), _resource("aws_vpc.main", "aws_vpc")]
	config := [_refs(["aws_subnet.a.id"], ["aws_vpc.main.default_security_group_id"])]
	findings := rule.warn with input as _plan(changes, config)
	startswith(_message(findings, _address), "security_groups is unknown")
}

test_reference_to_deleted_subnet_warned if {
	changes := [
		_unknown,
		_with_actions(_resource("aws_subnet.old", "aws_subnet"), ["delete"]),
		_resource("aws_security_group.nb", "aws_security_group"),
	]
	config := [_refs(["aws_subnet.old.id"], ["aws_security_group.nb.id"])]
	findings := rule.warn with input as _plan(changes, config)
	startswith(_message(findings, _address), "subnet_id is unknown")
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_notebook_ignored if {
	rc := _with_actions(_notebook({}, {}), ["delete"])
	count(rule.deny) == 0 with input as _plan([rc], [])
	count(rule.warn) == 0 with input as _plan([_with_actions(_unknown, ["delete"])], [])
}

test_replaced_updated_and_unchanged_notebooks_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["update"], ["no-op"]] {
		rc := _with_actions(_notebook({}, {}), actions)
		_addresses(rule.deny) == {_address} with input as _plan([rc], [])
	}
}

# ---------------------------------------------------------------------------
# Child modules

_module_plan(changes) := {
	"resource_changes": changes,
	"configuration": {"root_module": {"module_calls": {"research": {
		"source": "./research",
		"module": {"resources": [_refs(["aws_subnet.private.id"], ["aws_security_group.nb.id"])]},
	}}}},
}

test_child_module_references_resolved_in_the_same_module if {
	changes := [
		_in_module(_unknown, "module.research"),
		_in_module(_resource("aws_subnet.private", "aws_subnet"), "module.research"),
		_in_module(_resource("aws_security_group.nb", "aws_security_group"), "module.research"),
	]
	count(rule.warn) == 0 with input as _module_plan(changes)
	count(rule.deny) == 0 with input as _module_plan(changes)
}

test_child_module_references_do_not_resolve_to_root_resources if {
	changes := [
		_in_module(_unknown, "module.research"),
		_resource("aws_subnet.private", "aws_subnet"),
		_resource("aws_security_group.nb", "aws_security_group"),
	]
	findings := rule.warn with input as _module_plan(changes)
	_addresses(findings) == {"module.research.aws_sagemaker_notebook_instance.nb"}
}

test_child_module_notebook_denied_with_full_address if {
	rc := _in_module(_notebook({}, {}), `module.research["a"]`)
	findings := rule.deny with input as _plan([rc], [])
	_addresses(findings) == {`module.research["a"].aws_sagemaker_notebook_instance.nb`}
}
