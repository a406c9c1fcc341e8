package smguard.rules.domain.domain_kms_test

import data.smguard.rules.domain.domain_kms

# ---------------------------------------------------------------------------
# Fixtures

_domain(after, after_unknown) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": object.union({"domain_name": "studio", "app_network_access_type": "VpcOnly"}, after),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_key := {
	"address": "aws_kms_key.studio",
	"mode": "managed",
	"type": "aws_kms_key",
	"change": {"actions": ["create"], "after": {"enable_key_rotation": true}, "after_unknown": {"arn": true, "id": true}},
}

_config(refs) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"expressions": {"kms_key_id": {"references": refs}},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_unknown := _domain({}, {"kms_key_id": true})

_addresses(findings) := {f.address | some f in findings}

# ---------------------------------------------------------------------------
# Compliant

test_known_key_passes if {
	rc := _domain({"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, {})
	count(domain_kms.deny) == 0 with input as _plan([rc], [])
	count(domain_kms.warn) == 0 with input as _plan([rc], [])
}

test_key_created_in_this_plan_passes if {
	input_plan := _plan([_unknown, _key], [_config(["aws_kms_key.studio.arn", "aws_kms_key.studio"])])
	count(domain_kms.deny) == 0 with input as input_plan
	count(domain_kms.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Failures

test_missing_key_denied if {
	every after in [{}, {"kms_key_id": null}, {"kms_key_id": ""}] {
		findings := domain_kms.deny with input as _plan([_domain(after, {})], [])
		_addresses(findings) == {"aws_sagemaker_domain.d"}
		some f in findings
		contains(f.message, "kms_key_id is not set")
		count(domain_kms.warn) == 0 with input as _plan([_domain(after, {})], [])
	}
}

# ---------------------------------------------------------------------------
# Warnings

test_unknown_key_from_variable_warned if {
	input_plan := _plan([_unknown], [_config(["var.kms_key_arn"])])
	count(domain_kms.deny) == 0 with input as input_plan
	findings := domain_kms.warn with input as input_plan
	_addresses(findings) == {"aws_sagemaker_domain.d"}
	some f in findings
	contains(f.message, "unknown until apply")
}

test_unknown_key_without_configuration_warned if {
	_addresses(domain_kms.warn) == {"aws_sagemaker_domain.d"} with input as {"resource_changes": [_unknown]}
}

test_reference_to_deleted_key_warned if {
	deleted := object.union(_key, {"change": {"actions": ["delete"]}})
	input_plan := _plan([_unknown, deleted], [_config(["aws_kms_key.studio.arn", "aws_kms_key.studio"])])
	_addresses(domain_kms.warn) == {"aws_sagemaker_domain.d"} with input as input_plan
}

test_reference_to_other_type_warned if {
	alias := object.union(_key, {"address": "aws_kms_alias.studio", "type": "aws_kms_alias"})
	input_plan := _plan([_unknown, alias], [_config(["aws_kms_alias.studio.arn", "aws_kms_alias.studio"])])
	_addresses(domain_kms.warn) == {"aws_sagemaker_domain.d"} with input as input_plan
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_domain_ignored if {
	rc := object.union(_domain({}, {}), {"change": {"actions": ["delete"]}})
	count(domain_kms.deny) == 0 with input as _plan([rc], [])
}

test_replaced_and_unchanged_domains_checked if {
	every actions in [["create", "delete"], ["no-op"], ["update"]] {
		rc := object.union(_domain({}, {}), {"change": {"actions": actions}})
		_addresses(domain_kms.deny) == {"aws_sagemaker_domain.d"} with input as _plan([rc], [])
	}
}

test_child_module_key_resolved_in_its_module if {
	in_module := object.union(_unknown, {"address": "module.s.aws_sagemaker_domain.d", "module_address": "module.s"})
	key := object.union(_key, {"address": "module.s.aws_kms_key.studio", "module_address": "module.s"})
	module := {"resources": [_config(["aws_kms_key.studio.arn"])]}
	input_plan := {
		"resource_changes": [in_module, key, _key],
		"configuration": {"root_module": {"module_calls": {"s": {"module": module}}}},
	}
	count(domain_kms.warn) == 0 with input as input_plan

	root_key_only := object.union(input_plan, {"resource_changes": [in_module, _key]})
	_addresses(domain_kms.warn) == {"module.s.aws_sagemaker_domain.d"} with input as root_key_only
}
