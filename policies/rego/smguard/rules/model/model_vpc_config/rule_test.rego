# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.model.model_vpc_config_test

import data.smguard.rules.model.model_vpc_config

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

# Known subnets and security groups.
_placed := _model("aws_sagemaker_model.m", _vpc(["subnet-1"], ["sg-1"]), {"vpc_config": [{}]})

# vpc_config with subnets unknown until apply and known security groups.
_subnets_unknown := _model(
	"aws_sagemaker_model.m",
	{"vpc_config": [{"security_group_ids": ["sg-1"]}]},
	{"vpc_config": [{"subnets": true}]},
)

# vpc_config with both lists unknown until apply.
_both_unknown := _model(
	"aws_sagemaker_model.m",
	{"vpc_config": [{}]},
	{"vpc_config": [{"subnets": true, "security_group_ids": true}]},
)

_subnet(address) := {
	"address": address,
	"mode": "managed",
	"type": "aws_subnet",
	"change": {"actions": ["create"], "after": {"vpc_id": "vpc-1"}, "after_unknown": {"id": true}},
}

_group(address) := object.union(_subnet(address), {"type": "aws_security_group"})

# Configuration of the model's vpc_config, with the references of each list.
_config(address, subnet_refs, group_refs) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"expressions": {"vpc_config": [{
		"subnets": {"references": subnet_refs},
		"security_group_ids": {"references": group_refs},
	}]},
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

test_known_subnets_and_groups_pass if {
	count(model_vpc_config.deny) == 0 with input as _plan([_placed], [])
	count(model_vpc_config.warn) == 0 with input as _plan([_placed], [])
}

test_unknown_lists_referring_to_planned_resources_pass if {
	changes := [_both_unknown, _subnet("aws_subnet.a"), _group("aws_security_group.g")]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id", "aws_subnet.a"], ["aws_security_group.g.id"])]
	count(model_vpc_config.deny) == 0 with input as _plan(changes, config)
	count(model_vpc_config.warn) == 0 with input as _plan(changes, config)
}

test_unknown_subnets_referring_to_counted_subnets_pass if {
	changes := [_subnets_unknown, _subnet("aws_subnet.private[0]"), _subnet("aws_subnet.private[1]")]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.private", "count.index"], [])]
	count(model_vpc_config.deny) == 0 with input as _plan(changes, config)
	count(model_vpc_config.warn) == 0 with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Failing conditions

test_empty_vpc_config_denied if {
	rc := _model("aws_sagemaker_model.m", {"vpc_config": []}, {"vpc_config": []})
	findings := model_vpc_config.deny with input as _plan([rc], [])
	_addresses(findings) == {"aws_sagemaker_model.m"}
	contains(_message(findings, "aws_sagemaker_model.m"), "vpc_config is missing")
}

test_absent_or_null_vpc_config_denied if {
	every after in [{}, {"vpc_config": null}] {
		findings := model_vpc_config.deny with input as _plan([_model("aws_sagemaker_model.m", after, {})], [])
		contains(_message(findings, "aws_sagemaker_model.m"), "vpc_config is missing")
	}
}

test_empty_or_null_subnets_denied if {
	every subnets in [[], null] {
		rc := _model("aws_sagemaker_model.m", _vpc(subnets, ["sg-1"]), {})
		findings := model_vpc_config.deny with input as _plan([rc], [])
		contains(_message(findings, "aws_sagemaker_model.m"), "subnets is empty")
	}
}

test_empty_or_null_security_groups_denied if {
	every groups in [[], null] {
		rc := _model("aws_sagemaker_model.m", _vpc(["subnet-1"], groups), {})
		findings := model_vpc_config.deny with input as _plan([rc], [])
		contains(_message(findings, "aws_sagemaker_model.m"), "security_group_ids is empty")
	}
}

test_unknown_subnets_with_empty_groups_denied if {
	after := {"vpc_config": [{"security_group_ids": []}]}
	rc := _model("aws_sagemaker_model.m", after, {"vpc_config": [{"subnets": true}]})
	input_plan := _plan([rc], [_config("aws_sagemaker_model.m", ["var.subnets"], [])])
	findings := model_vpc_config.deny with input as input_plan
	contains(_message(findings, "aws_sagemaker_model.m"), "security_group_ids is empty")
	count(model_vpc_config.warn) == 0 with input as input_plan
}

test_no_warning_for_a_denied_model if {
	rc := _model("aws_sagemaker_model.m", {"vpc_config": []}, {"vpc_config": []})
	count(model_vpc_config.warn) == 0 with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Warnings: unknown until apply and not created in this plan

test_unknown_subnets_from_variable_warned if {
	config := [_config("aws_sagemaker_model.m", ["var.subnet_ids"], [])]
	findings := model_vpc_config.warn with input as _plan([_subnets_unknown], config)
	_addresses(findings) == {"aws_sagemaker_model.m"}
	contains(_message(findings, "aws_sagemaker_model.m"), "unknown until apply")
	count(model_vpc_config.deny) == 0 with input as _plan([_subnets_unknown], config)
}

test_unknown_groups_from_data_source_warned if {
	after := {"vpc_config": [{"subnets": ["subnet-1"]}]}
	rc := _model("aws_sagemaker_model.m", after, {"vpc_config": [{"security_group_ids": true}]})
	config := [_config("aws_sagemaker_model.m", [], ["data.aws_security_group.g.id", "data.aws_security_group.g"])]
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as _plan([rc], config)
}

test_one_unresolved_list_is_enough_to_warn if {
	changes := [_both_unknown, _subnet("aws_subnet.a")]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id"], ["module.net.security_group_id"])]
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as _plan(changes, config)
}

test_unknown_vpc_config_without_configuration_warned if {
	rc := _model("aws_sagemaker_model.m", {}, {"vpc_config": true})
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as {"resource_changes": [rc]}
	count(model_vpc_config.deny) == 0 with input as {"resource_changes": [rc]}
}

test_reference_to_wrong_type_warned if {
	changes := [_subnets_unknown, _group("aws_security_group.a")]
	config := [_config("aws_sagemaker_model.m", ["aws_security_group.a.id"], [])]
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as _plan(changes, config)
}

test_reference_to_deleted_subnet_warned if {
	changes := [_subnets_unknown, _with_actions(_subnet("aws_subnet.a"), ["delete"])]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id"], [])]
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as _plan(changes, config)
}

# A known list whose elements are unknown until apply: `[null]` in after and
# `[true]` in after_unknown.
_subnet_elements_unknown := _model(
	"aws_sagemaker_model.m",
	{"vpc_config": [{"subnets": [null], "security_group_ids": ["sg-1"]}]},
	{"vpc_config": [{"subnets": [true]}]},
)

test_unknown_list_elements_from_module_output_warned if {
	config := [_config("aws_sagemaker_model.m", ["module.network.private_subnet_id"], [])]
	_addresses(model_vpc_config.warn) == {"aws_sagemaker_model.m"} with input as _plan([_subnet_elements_unknown], config)
	count(model_vpc_config.deny) == 0 with input as _plan([_subnet_elements_unknown], config)
}

test_unknown_list_elements_referring_to_planned_subnet_pass if {
	changes := [_subnet_elements_unknown, _subnet("aws_subnet.a")]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id", "aws_subnet.a"], [])]
	count(model_vpc_config.warn) == 0 with input as _plan(changes, config)
	count(model_vpc_config.deny) == 0 with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_model_ignored if {
	rc := _with_actions(_model("aws_sagemaker_model.m", {"vpc_config": []}, {}), ["delete"])
	count(model_vpc_config.deny) == 0 with input as _plan([rc], [])
}

test_replaced_and_unchanged_models_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["no-op"], ["update"]] {
		rc := _with_actions(_model("aws_sagemaker_model.m", {"vpc_config": []}, {}), actions)
		_addresses(model_vpc_config.deny) == {"aws_sagemaker_model.m"} with input as _plan([rc], [])
	}
}

# ---------------------------------------------------------------------------
# Child modules and instances

_module_plan(changes, module_resources) := {
	"resource_changes": changes,
	"configuration": {"root_module": {
		"resources": [],
		"module_calls": {"ml": {"source": "./ml", "module": {"resources": module_resources}}},
	}},
}

test_child_module_reference_to_subnet_in_same_module_passes if {
	changes := [
		_in_module(_subnets_unknown, `module.ml["prod"]`),
		_in_module(_subnet("aws_subnet.a"), `module.ml["prod"]`),
	]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id"], [])]
	count(model_vpc_config.warn) == 0 with input as _module_plan(changes, config)
	count(model_vpc_config.deny) == 0 with input as _module_plan(changes, config)
}

test_child_module_reference_to_subnet_of_another_instance_warned if {
	changes := [
		_in_module(_subnets_unknown, `module.ml["prod"]`),
		_in_module(_subnet("aws_subnet.a"), `module.ml["dev"]`),
		_subnet("aws_subnet.a"),
	]
	config := [_config("aws_sagemaker_model.m", ["aws_subnet.a.id"], [])]
	findings := model_vpc_config.warn with input as _module_plan(changes, config)
	_addresses(findings) == {`module.ml["prod"].aws_sagemaker_model.m`}
}

test_child_module_model_denied_with_full_address if {
	rc := _in_module(_model("aws_sagemaker_model.m", {"vpc_config": []}, {}), "module.ml")
	_addresses(model_vpc_config.deny) == {"module.ml.aws_sagemaker_model.m"} with input as _module_plan([rc], [])
}

test_for_each_instances_checked_separately if {
	changes := [
		object.union(_placed, {"address": `aws_sagemaker_model.m["a"]`}),
		object.union(_model("aws_sagemaker_model.m", {"vpc_config": []}, {}), {"address": `aws_sagemaker_model.m["b"]`}),
	]
	_addresses(model_vpc_config.deny) == {`aws_sagemaker_model.m["b"]`} with input as _plan(changes, [])
}
