# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.endpoint_config.endpoint_config_kms_test

import data.smguard.rules.endpoint_config.endpoint_config_kms

# ---------------------------------------------------------------------------
# Fixtures

_key_arn := "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_variant(instance_type) := {
	"variant_name": "primary",
	"model_name": "fraud-detector",
	"initial_instance_count": 1,
	"instance_type": instance_type,
	"serverless_config": [],
}

# An endpoint configuration with production variants of the given types.
_config(address, after, after_unknown, instance_types) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_endpoint_configuration",
	"change": {
		"actions": ["create"],
		"after": object.union(
			{
				"name": "cfg",
				"async_inference_config": [],
				"production_variants": [_variant(t) | some t in instance_types],
				"shadow_production_variants": [],
			},
			after,
		),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_c := "aws_sagemaker_endpoint_configuration.c"

_unknown_key := _config(_c, {}, {"kms_key_arn": true}, ["ml.m5.large"])

_kms(address, kind) := {
	"address": address,
	"mode": "managed",
	"type": kind,
	"change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true, "id": true}},
}

_key_config(refs) := {
	"address": _c,
	"mode": "managed",
	"type": "aws_sagemaker_endpoint_configuration",
	"expressions": {"kms_key_arn": {"references": refs}},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# ---------------------------------------------------------------------------
# Compliant

test_known_key_passes if {
	every key in [_key_arn, "alias/sagemaker", "1234abcd-12ab-34cd-56ef-1234567890ab"] {
		rc := _config(_c, {"kms_key_arn": key}, {}, ["ml.m5.large"])
		count(endpoint_config_kms.deny) == 0 with input as _plan([rc], [])
		count(endpoint_config_kms.warn) == 0 with input as _plan([rc], [])
	}
}

test_unknown_key_referring_to_a_planned_key_or_alias_passes if {
	every pair in [["aws_kms_key.endpoint", "aws_kms_key"], ["aws_kms_alias.endpoint", "aws_kms_alias"]] {
		[ref, kind] := pair
		input_plan := _plan(
			[_unknown_key, _kms(ref, kind)],
			[_key_config([sprintf("%s.arn", [ref]), ref])],
		)
		count(endpoint_config_kms.deny) == 0 with input as input_plan
		count(endpoint_config_kms.warn) == 0 with input as input_plan
	}
}

test_local_nvme_instance_types_pass_without_a_key if {
	every instance_type in ["ml.g5.xlarge", "ml.g4dn.xlarge", "ml.p4d.24xlarge", "ml.m5d.large", "ml.c6gd.large"] {
		rc := _config(_c, {"kms_key_arn": null}, {}, ["ml.m5.large", instance_type])
		count(endpoint_config_kms.deny) == 0 with input as _plan([rc], [])
	}
}

test_local_nvme_shadow_variant_passes_without_a_key if {
	rc := _config(_c, {"shadow_production_variants": [_variant("ml.g5.2xlarge")]}, {}, ["ml.m5.large"])
	count(endpoint_config_kms.deny) == 0 with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Failing conditions

test_null_absent_or_empty_key_denied if {
	every after in [{"kms_key_arn": null}, {}, {"kms_key_arn": ""}] {
		rc := _config(_c, after, {}, ["ml.m5.large"])
		findings := endpoint_config_kms.deny with input as _plan([rc], [])
		_addresses(findings) == {_c}
		startswith(_message(findings, _c), "kms_key_arn is not set")
		count(endpoint_config_kms.warn) == 0 with input as _plan([rc], [])
	}
}

test_ebs_instance_types_need_a_key if {
	every instance_type in ["ml.m5.large", "ml.c5.xlarge", "ml.g6.xlarge", "ml.inf2.xlarge", "ml.c5n.large", null] {
		rc := _config(_c, {}, {}, [instance_type])
		_addresses(endpoint_config_kms.deny) == {_c} with input as _plan([rc], [])
	}
}

test_serverless_variant_needs_a_key if {
	serverless := {"serverless_config": [{"max_concurrency": 5, "memory_size_in_mb": 2048}]}
	variant := object.union(object.remove(_variant(null), ["instance_type"]), serverless)
	rc := _config(_c, {"production_variants": [variant]}, {}, [])
	_addresses(endpoint_config_kms.deny) == {_c} with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Unknown until apply

test_unknown_key_not_from_the_plan_warned if {
	findings := endpoint_config_kms.warn with input as _plan([_unknown_key], [_key_config(["module.kms.key_arn"])])
	_addresses(findings) == {_c}
	startswith(_message(findings, _c), "kms_key_arn is unknown until apply")
	count(endpoint_config_kms.deny) == 0 with input as _plan([_unknown_key], [])
}

test_unknown_key_referring_to_another_type_warned if {
	input_plan := _plan([_unknown_key, _kms("aws_iam_role.r", "aws_iam_role")], [_key_config(["aws_iam_role.r.arn"])])
	_addresses(endpoint_config_kms.warn) == {_c} with input as input_plan
}

test_unknown_key_on_local_storage_still_warned if {
	rc := _config(_c, {}, {"kms_key_arn": true}, ["ml.g5.xlarge"])
	_addresses(endpoint_config_kms.warn) == {_c} with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_configuration_ignored if {
	rc := _with_actions(_config(_c, {}, {}, ["ml.m5.large"]), ["delete"])
	count(endpoint_config_kms.deny) == 0 with input as _plan([rc], [])
}

test_child_module_reference_resolved_in_the_same_module if {
	rc := object.union(_unknown_key, {
		"address": `module.serving["prod"].aws_sagemaker_endpoint_configuration.c`,
		"module_address": `module.serving["prod"]`,
	})
	key := object.union(_kms("aws_kms_key.k", "aws_kms_key"), {
		"address": `module.serving["prod"].aws_kms_key.k`,
		"module_address": `module.serving["prod"]`,
	})
	input_plan := {"resource_changes": [rc, key], "configuration": {"root_module": {"module_calls": {"serving": {
		"source": "./serving",
		"module": {"resources": [_key_config(["aws_kms_key.k.arn", "aws_kms_key.k"])]},
	}}}}}
	count(endpoint_config_kms.warn) == 0 with input as input_plan
	count(endpoint_config_kms.deny) == 0 with input as input_plan
}

test_root_key_does_not_vouch_for_a_child_module if {
	rc := object.union(_unknown_key, {
		"address": "module.serving.aws_sagemaker_endpoint_configuration.c",
		"module_address": "module.serving",
	})
	input_plan := {"resource_changes": [rc, _kms("aws_kms_key.k", "aws_kms_key")], "configuration": {"root_module": {
		"resources": [_key_config(["aws_kms_key.k.arn"])],
		"module_calls": {"serving": {"module": {"resources": [_key_config(["aws_kms_key.k.arn"])]}}},
	}}}
	findings := endpoint_config_kms.warn with input as input_plan
	_addresses(findings) == {"module.serving.aws_sagemaker_endpoint_configuration.c"}
}
