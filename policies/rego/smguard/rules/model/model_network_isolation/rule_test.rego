# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.model.model_network_isolation_test

import data.smguard.rules.model.model_network_isolation

# ---------------------------------------------------------------------------
# Fixtures

_model(address, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"name": "m",
	"change": {
		"actions": ["create"],
		"after": object.union({"name": "m", "vpc_config": []}, after),
		"after_unknown": object.union({"arn": true, "id": true, "vpc_config": []}, after_unknown),
	},
}

_isolated := _model("aws_sagemaker_model.m", {"enable_network_isolation": true}, {})

_not_isolated := _model("aws_sagemaker_model.m", {"enable_network_isolation": false}, {})

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

test_isolated_model_passes if {
	count(model_network_isolation.deny) == 0 with input as _plan([_isolated])
}

test_other_resource_types_ignored if {
	endpoint := object.union(_not_isolated, {"address": "aws_sagemaker_endpoint.e", "type": "aws_sagemaker_endpoint"})
	count(model_network_isolation.deny) == 0 with input as _plan([endpoint])
}

# ---------------------------------------------------------------------------
# Failing conditions

test_isolation_false_denied if {
	findings := model_network_isolation.deny with input as _plan([_not_isolated])
	_addresses(findings) == {"aws_sagemaker_model.m"}
	_message(findings, "aws_sagemaker_model.m") == "enable_network_isolation is false"
}

test_isolation_null_denied if {
	rc := _model("aws_sagemaker_model.m", {"enable_network_isolation": null}, {})
	findings := model_network_isolation.deny with input as _plan([rc])
	_addresses(findings) == {"aws_sagemaker_model.m"}
	contains(_message(findings, "aws_sagemaker_model.m"), "not set")
}

test_isolation_absent_denied if {
	rc := _model("aws_sagemaker_model.m", {}, {})
	findings := model_network_isolation.deny with input as _plan([rc])
	_addresses(findings) == {"aws_sagemaker_model.m"}
	contains(_message(findings, "aws_sagemaker_model.m"), "not set")
}

test_isolation_unknown_until_apply_denied if {
	rc := _model("aws_sagemaker_model.m", {}, {"enable_network_isolation": true})
	findings := model_network_isolation.deny with input as _plan([rc])
	_addresses(findings) == {"aws_sagemaker_model.m"}
	contains(_message(findings, "aws_sagemaker_model.m"), "unknown")
}

test_isolation_string_true_denied if {
	rc := _model("aws_sagemaker_model.m", {"enable_network_isolation": "true"}, {})
	_addresses(model_network_isolation.deny) == {"aws_sagemaker_model.m"} with input as _plan([rc])
}

test_only_failing_models_reported if {
	good := object.union(_isolated, {"address": "aws_sagemaker_model.good"})
	bad := object.union(_not_isolated, {"address": "aws_sagemaker_model.bad"})
	_addresses(model_network_isolation.deny) == {"aws_sagemaker_model.bad"} with input as _plan([good, bad])
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_model_ignored if {
	count(model_network_isolation.deny) == 0 with input as _plan([_with_actions(_not_isolated, ["delete"])])
}

test_replaced_model_checked if {
	every actions in [["delete", "create"], ["create", "delete"]] {
		findings := model_network_isolation.deny with input as _plan([_with_actions(_not_isolated, actions)])
		_addresses(findings) == {"aws_sagemaker_model.m"}
	}
}

test_unchanged_and_updated_models_checked if {
	changes := [
		_with_actions(object.union(_not_isolated, {"address": "aws_sagemaker_model.a"}), ["no-op"]),
		_with_actions(object.union(_not_isolated, {"address": "aws_sagemaker_model.b"}), ["update"]),
	]
	findings := model_network_isolation.deny with input as _plan(changes)
	_addresses(findings) == {"aws_sagemaker_model.a", "aws_sagemaker_model.b"}
}

test_data_source_ignored if {
	rc := object.union(_not_isolated, {"address": "data.aws_sagemaker_model.m", "mode": "data"})
	count(model_network_isolation.deny) == 0 with input as _plan([_with_actions(rc, ["read"])])
}

# ---------------------------------------------------------------------------
# Addresses

test_child_module_model_reported_with_full_address if {
	rc := _in_module(_not_isolated, `module.serving["prod"]`)
	findings := model_network_isolation.deny with input as _plan([rc])
	_addresses(findings) == {`module.serving["prod"].aws_sagemaker_model.m`}
}

test_instances_reported_separately if {
	changes := [
		object.union(_isolated, {"address": `aws_sagemaker_model.m["a"]`}),
		object.union(_not_isolated, {"address": `aws_sagemaker_model.m["b"]`}),
		object.union(_not_isolated, {"address": "aws_sagemaker_model.n[0]"}),
	]
	findings := model_network_isolation.deny with input as _plan(changes)
	_addresses(findings) == {`aws_sagemaker_model.m["b"]`, "aws_sagemaker_model.n[0]"}
}

# ---------------------------------------------------------------------------
# Plan document wrappers

test_wrapped_plans_checked if {
	every key in ["plan", "terraform"] {
		findings := model_network_isolation.deny with input as {key: _plan([_not_isolated])}
		_addresses(findings) == {"aws_sagemaker_model.m"}
	}
}
