package smguard.rules.job_definition.job_definition_vpc_config_test

import data.smguard.rules.job_definition.job_definition_vpc_config as rule

# ---------------------------------------------------------------------------
# Fixtures

_address := "aws_sagemaker_data_quality_job_definition.dq"

_job(network_config, after_unknown) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_data_quality_job_definition",
	"change": {
		"actions": ["create"],
		"after": {"name": "dq", "network_config": network_config},
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_network(vpc_config) := [{
	"enable_inter_container_traffic_encryption": true,
	"enable_network_isolation": true,
	"vpc_config": vpc_config,
}]

_vpc(subnets, groups) := _network([{"subnets": subnets, "security_group_ids": groups}])

_placed := _job(_vpc(["subnet-1"], ["sg-1"]), {})

# vpc_config with subnets unknown until apply and known security groups.
_subnets_unknown := _job(
	_network([{"security_group_ids": ["sg-1"]}]),
	{"network_config": [{"vpc_config": [{"subnets": true}]}]},
)

# vpc_config with both lists unknown until apply.
_both_unknown := _job(
	_network([{}]),
	{"network_config": [{"vpc_config": [{"subnets": true, "security_group_ids": true}]}]},
)

_subnet(address) := {
	"address": address,
	"mode": "managed",
	"type": "aws_subnet",
	"change": {"actions": ["create"], "after": {"vpc_id": "vpc-1"}, "after_unknown": {"id": true}},
}

_group(address) := object.union(_subnet(address), {"type": "aws_security_group"})

_config(subnet_refs, group_refs) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_data_quality_job_definition",
	"expressions": {"network_config": [{"vpc_config": [{
		"subnets": {"references": subnet_refs},
		"security_group_ids": {"references": group_refs},
	}]}]},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_addresses(findings) := {f.address | some f in findings}

_message(findings) := f.message if {
	some f in findings
	f.address == _address
}

# ---------------------------------------------------------------------------
# Compliant

test_known_subnets_and_groups_pass if {
	count(rule.deny) == 0 with input as _plan([_placed], [])
	count(rule.warn) == 0 with input as _plan([_placed], [])
}

test_unknown_lists_referring_to_planned_resources_pass if {
	changes := [_both_unknown, _subnet("aws_subnet.a"), _group("aws_security_group.g")]
	config := [_config(["aws_subnet.a.id", "aws_subnet.a"], ["aws_security_group.g.id", "aws_security_group.g"])]
	count(rule.deny) == 0 with input as _plan(changes, config)
	count(rule.warn) == 0 with input as _plan(changes, config)
}

test_unknown_subnets_referring_to_counted_subnets_pass if {
	changes := [_subnets_unknown, _subnet("aws_subnet.private[0]"), _subnet("aws_subnet.private[1]")]
	config := [_config(["aws_subnet.private", "count.index"], [])]
	count(rule.deny) == 0 with input as _plan(changes, config)
	count(rule.warn) == 0 with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Failing conditions

test_network_config_absent_denied if {
	every network_config in [[], null] {
		findings := rule.deny with input as _plan([_job(network_config, {})], [])
		_addresses(findings) == {_address}
		contains(_message(findings), "network_config is not set")
	}
}

test_vpc_config_absent_denied if {
	every vpc_config in [[], null] {
		findings := rule.deny with input as _plan([_job(_network(vpc_config), {})], [])
		contains(_message(findings), "vpc_config is missing")
	}
}

test_empty_or_null_subnets_denied if {
	every subnets in [[], null] {
		findings := rule.deny with input as _plan([_job(_vpc(subnets, ["sg-1"]), {})], [])
		contains(_message(findings), "subnets is empty")
	}
}

test_empty_or_null_security_groups_denied if {
	every groups in [[], null] {
		findings := rule.deny with input as _plan([_job(_vpc(["subnet-1"], groups), {})], [])
		contains(_message(findings), "security_group_ids is empty")
	}
}

test_unknown_subnets_with_empty_groups_denied if {
	rc := _job(_network([{"security_group_ids": []}]), {"network_config": [{"vpc_config": [{"subnets": true}]}]})
	input_plan := _plan([rc], [_config(["var.subnets"], [])])
	contains(_message(rule.deny), "security_group_ids is empty") with input as input_plan
	count(rule.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Warnings: unknown until apply and not created in this plan

test_unknown_subnets_from_variable_warned if {
	input_plan := _plan([_subnets_unknown], [_config(["var.subnet_ids"], [])])
	findings := rule.warn with input as input_plan
	_addresses(findings) == {_address}
	contains(_message(findings), "unknown until apply")
	count(rule.deny) == 0 with input as input_plan
}

test_unknown_groups_from_data_source_warned if {
	rc := _job(_network([{"subnets": ["subnet-1"]}]), {"network_config": [{"vpc_config": [{"security_group_ids": true}]}]})
	config := [_config([], ["data.aws_security_group.g.id", "data.aws_security_group.g"])]
	_addresses(rule.warn) == {_address} with input as _plan([rc], config)
}

test_one_unresolved_list_is_enough_to_warn if {
	changes := [_both_unknown, _subnet("aws_subnet.a")]
	config := [_config(["aws_subnet.a.id"], ["module.net.security_group_id"])]
	_addresses(rule.warn) == {_address} with input as _plan(changes, config)
}

test_unknown_network_config_without_configuration_warned if {
	rc := _job(null, {"network_config": true})
	_addresses(rule.warn) == {_address} with input as {"resource_changes": [rc]}
	count(rule.deny) == 0 with input as {"resource_changes": [rc]}
}

test_reference_to_deleted_subnet_warned if {
	changes := [_subnets_unknown, _with_actions(_subnet("aws_subnet.a"), ["delete"])]
	config := [_config(["aws_subnet.a.id"], [])]
	_addresses(rule.warn) == {_address} with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_job_definition_ignored if {
	rc := _with_actions(_job([], {}), ["delete"])
	count(rule.deny) == 0 with input as _plan([rc], [])
}

test_replaced_and_unchanged_job_definitions_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["no-op"], ["update"]] {
		rc := _with_actions(_job([], {}), actions)
		_addresses(rule.deny) == {_address} with input as _plan([rc], [])
	}
}

test_child_module_reference_to_subnet_in_same_module_passes if {
	module_address := `module.monitoring["prod"]`
	changes := [
		object.union(_subnets_unknown, {
			"address": concat(".", [module_address, _address]),
			"module_address": module_address,
		}),
		object.union(_subnet("aws_subnet.a"), {
			"address": concat(".", [module_address, "aws_subnet.a"]),
			"module_address": module_address,
		}),
	]
	input_plan := {
		"resource_changes": changes,
		"configuration": {"root_module": {
			"resources": [],
			"module_calls": {"monitoring": {"module": {"resources": [_config(["aws_subnet.a.id"], [])]}}},
		}},
	}
	count(rule.warn) == 0 with input as input_plan
	count(rule.deny) == 0 with input as input_plan
}
