package smguard.rules.job_definition.job_definition_traffic_encryption_test

import data.smguard.rules.job_definition.job_definition_traffic_encryption as rule

# ---------------------------------------------------------------------------
# Fixtures

_type := "aws_sagemaker_data_quality_job_definition"

_address := "aws_sagemaker_data_quality_job_definition.dq"

_module := `module.monitoring["prod"]`

_job(address, network_config, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": _type,
	"name": "dq",
	"change": {
		"actions": ["create"],
		"after": {"name": "dq", "network_config": network_config, "role_arn": "arn:aws:iam::123456789012:role/monitor"},
		"after_unknown": object.union({"arn": true, "id": true, "network_config": []}, after_unknown),
	},
}

_network(encryption) := [{
	"enable_inter_container_traffic_encryption": encryption,
	"enable_network_isolation": true,
	"vpc_config": [{"security_group_ids": ["sg-1"], "subnets": ["subnet-1"]}],
}]

_encrypted := _job(_address, _network(true), {})

_not_encrypted := _job(_address, _network(false), {})

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# ---------------------------------------------------------------------------
# Compliant

test_encrypted_job_definition_passes if {
	count(rule.deny) == 0 with input as _plan([_encrypted])
}

test_other_resource_types_ignored if {
	model := object.union(_not_encrypted, {"address": "aws_sagemaker_model.m", "type": "aws_sagemaker_model"})
	count(rule.deny) == 0 with input as _plan([model])
}

# ---------------------------------------------------------------------------
# Failing conditions

test_encryption_false_denied if {
	findings := rule.deny with input as _plan([_not_encrypted])
	_addresses(findings) == {_address}
	contains(_message(findings, _address), "network_config.enable_inter_container_traffic_encryption is false")
}

test_encryption_null_denied if {
	rc := _job(_address, _network(null), {})
	findings := rule.deny with input as _plan([rc])
	contains(_message(findings, _address), "is not set")
}

test_encryption_absent_from_block_denied if {
	rc := _job(_address, [{"vpc_config": []}], {})
	findings := rule.deny with input as _plan([rc])
	contains(_message(findings, _address), "is not set")
}

test_network_config_absent_denied if {
	every network_config in [[], null] {
		rc := _job(_address, network_config, {})
		findings := rule.deny with input as _plan([rc])
		_addresses(findings) == {_address}
		contains(_message(findings, _address), "network_config is not set")
	}
}

test_encryption_unknown_until_apply_denied if {
	rc := _job(
		"aws_sagemaker_data_quality_job_definition.dq",
		[{"vpc_config": []}],
		{"network_config": [{"enable_inter_container_traffic_encryption": true}]},
	)
	findings := rule.deny with input as _plan([rc])
	contains(_message(findings, _address), "unknown until apply")
}

test_whole_network_config_unknown_denied if {
	rc := _job(_address, null, {"network_config": true})
	findings := rule.deny with input as _plan([rc])
	contains(_message(findings, _address), "unknown until apply")
}

test_only_failing_job_definitions_reported if {
	good := object.union(_encrypted, {"address": "aws_sagemaker_data_quality_job_definition.good"})
	bad := object.union(_not_encrypted, {"address": "aws_sagemaker_data_quality_job_definition.bad"})
	_addresses(rule.deny) == {"aws_sagemaker_data_quality_job_definition.bad"} with input as _plan([good, bad])
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_and_forgotten_job_definitions_ignored if {
	every actions in [["delete"], ["forget"]] {
		count(rule.deny) == 0 with input as _plan([_with_actions(_not_encrypted, actions)])
	}
}

test_replaced_updated_and_unchanged_job_definitions_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["update"], ["no-op"]] {
		findings := rule.deny with input as _plan([_with_actions(_not_encrypted, actions)])
		_addresses(findings) == {_address}
	}
}

test_child_module_job_definition_reported_with_full_address if {
	rc := object.union(_not_encrypted, {
		"address": concat(".", [_module, _address]),
		"module_address": _module,
	})
	_addresses(rule.deny) == {concat(".", [_module, _address])} with input as _plan([rc])
}

test_wrapped_plans_checked if {
	every key in ["plan", "terraform"] {
		_addresses(rule.deny) == {_address} with input as {key: _plan([_not_encrypted])}
	}
}
