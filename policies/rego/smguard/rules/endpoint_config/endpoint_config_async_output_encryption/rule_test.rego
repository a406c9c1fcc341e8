# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.endpoint_config.endpoint_config_async_output_encryption_test

import data.smguard.rules.endpoint_config.endpoint_config_async_output_encryption as async_output

# ---------------------------------------------------------------------------
# Fixtures

_key_arn := "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

_output(kms_key_id) := {
	"s3_output_path": "s3://inference-results/async/",
	"s3_failure_path": "s3://inference-results/failures/",
	"kms_key_id": kms_key_id,
	"notification_config": [],
}

_async(kms_key_id) := [{"client_config": [], "output_config": [_output(kms_key_id)]}]

_config(address, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_endpoint_configuration",
	"change": {
		"actions": ["create"],
		"after": object.union(
			{
				"name": "cfg",
				"kms_key_arn": _key_arn,
				"async_inference_config": [],
				"production_variants": [{"variant_name": "v", "model_name": "m", "instance_type": "ml.m5.large"}],
			},
			after,
		),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_c := "aws_sagemaker_endpoint_configuration.c"

# async_inference_config with the output key unknown until apply.
_unknown_key := _config(
	_c,
	{"async_inference_config": [{
		"client_config": [],
		"output_config": [object.remove(_output(null), ["kms_key_id"])],
	}]},
	{"async_inference_config": [{
		"client_config": [],
		"output_config": [{"kms_key_id": true, "notification_config": []}],
	}]},
)

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
	"expressions": {"async_inference_config": [{"output_config": [{"kms_key_id": {"references": refs}}]}]},
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
# Not asynchronous: not checked

test_configuration_without_async_inference_passes if {
	every after in [{}, {"async_inference_config": null}, {"async_inference_config": []}] {
		rc := _config(_c, after, {"async_inference_config": []})
		count(async_output.deny) == 0 with input as _plan([rc], [])
		count(async_output.warn) == 0 with input as _plan([rc], [])
	}
}

# ---------------------------------------------------------------------------
# Compliant

test_known_output_key_passes if {
	every key in [_key_arn, "alias/async-results"] {
		rc := _config(_c, {"async_inference_config": _async(key)}, {})
		count(async_output.deny) == 0 with input as _plan([rc], [])
		count(async_output.warn) == 0 with input as _plan([rc], [])
	}
}

test_unknown_output_key_referring_to_a_planned_key_or_alias_passes if {
	every pair in [["aws_kms_key.results", "aws_kms_key"], ["aws_kms_alias.results", "aws_kms_alias"]] {
		[ref, kind] := pair
		input_plan := _plan([_unknown_key, _kms(ref, kind)], [_key_config([sprintf("%s.arn", [ref]), ref])])
		count(async_output.deny) == 0 with input as input_plan
		count(async_output.warn) == 0 with input as input_plan
	}
}

# ---------------------------------------------------------------------------
# Failing conditions

test_missing_output_key_denied if {
	every key in [null, ""] {
		rc := _config(_c, {"async_inference_config": _async(key)}, {})
		findings := async_output.deny with input as _plan([rc], [])
		_addresses(findings) == {_c}
		startswith(_message(findings, _c), "async_inference_config.output_config.kms_key_id is not set")
		count(async_output.warn) == 0 with input as _plan([rc], [])
	}
}

test_output_config_without_key_attribute_denied if {
	rc := _config(_c, {"async_inference_config": [{"output_config": [{"s3_output_path": "s3://r/"}]}]}, {})
	_addresses(async_output.deny) == {_c} with input as _plan([rc], [])
}

test_endpoint_key_does_not_cover_the_output if {
	# kms_key_arn encrypts the storage volume, not the S3 results
	rc := _config(_c, {"kms_key_arn": _key_arn, "async_inference_config": _async(null)}, {})
	_addresses(async_output.deny) == {_c} with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Unknown until apply

test_unknown_output_key_not_from_the_plan_warned if {
	findings := async_output.warn with input as _plan([_unknown_key], [_key_config(["module.kms.key_arn"])])
	_addresses(findings) == {_c}
	startswith(_message(findings, _c), "async_inference_config.output_config.kms_key_id is unknown until apply")
	count(async_output.deny) == 0 with input as _plan([_unknown_key], [])
}

test_async_config_unknown_as_a_whole_warned if {
	rc := _config(_c, {"async_inference_config": null}, {"async_inference_config": true})
	findings := async_output.warn with input as _plan([rc], [])
	_message(findings, _c) == "async_inference_config is unknown until apply; its output encryption cannot be verified"
	count(async_output.deny) == 0 with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_configuration_ignored if {
	rc := _with_actions(_config(_c, {"async_inference_config": _async(null)}, {}), ["delete"])
	count(async_output.deny) == 0 with input as _plan([rc], [])
}

test_child_module_configuration_reported_with_full_address if {
	rc := object.union(_config(_c, {"async_inference_config": _async(null)}, {}), {
		"address": `module.serving["a"].aws_sagemaker_endpoint_configuration.c`,
		"module_address": `module.serving["a"]`,
	})
	findings := async_output.deny with input as _plan([rc], [])
	_addresses(findings) == {`module.serving["a"].aws_sagemaker_endpoint_configuration.c`}
}
