# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.endpoint.endpoint_config_compliant_test

import data.smguard.rules.endpoint.endpoint_config_compliant

# Every test evaluates `_result` once:
#
#   r := _result with input as PLAN
#       with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
#       with data.smguard.rules.model.model_network_isolation_test as {}
#       with data.smguard.rules.model.model_vpc_config_test as {}
#
# The rule reads every package under data.smguard.rules.endpoint_config, whose
# rule in turn reads every package under data.smguard.rules.model; when the
# test files are loaded those include the rules' test packages, which would
# then run all their tests inside each evaluation. Replacing them with {} keeps
# the evaluation to the rules themselves.
_result := {"deny": endpoint_config_compliant.deny, "warn": endpoint_config_compliant.warn}

# ---------------------------------------------------------------------------
# Fixtures

_change(address, type, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}

_compliant_model := {
	"enable_network_isolation": true,
	"vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
}

# Models; name null means unknown until apply.
_good(address, name) := _model(address, name, {})

_not_isolated(address, name) := _model(address, name, {"enable_network_isolation": false})

_model(address, name, after) := _change(
	address,
	"aws_sagemaker_model",
	object.union(object.union(_compliant_model, {"name": name}), after),
	{"arn": true},
) if {
	is_string(name)
} else := _change(address, "aws_sagemaker_model", object.union(_compliant_model, after), {"arn": true, "name": true})

# An endpoint configuration named name (null: unknown until apply) whose
# production and shadow variants serve the named models (null: unknown).
_config(address, name, model_names, shadow_names) := _change(
	address,
	"aws_sagemaker_endpoint_configuration",
	object.union(_named(name), {
		# a KMS key, so that only the variants decide (SMG-ENDPOINT-003)
		"kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/1",
		"production_variants": [_variant_after(n) | some n in model_names],
		"shadow_production_variants": [_variant_after(n) | some n in shadow_names],
	}),
	object.union(_name_unknown(name), {
		"arn": true,
		"production_variants": [_variant_unknown(n) | some n in model_names],
		"shadow_production_variants": [_variant_unknown(n) | some n in shadow_names],
	}),
)

_named(name) := {"name": name} if is_string(name)

else := {}

_name_unknown(name) := {} if is_string(name)

else := {"name": true}

_variant_after(name) := {"variant_name": "v", "model_name": name} if is_string(name)

else := {"variant_name": "v"}

_variant_unknown(name) := {} if is_string(name)

else := {"model_name": true}

# An endpoint serving the configuration named config_name (null: unknown).
_endpoint(address, config_name) := _change(
	address,
	"aws_sagemaker_endpoint",
	{"name": "ep", "endpoint_config_name": config_name},
	{"arn": true},
) if {
	is_string(config_name)
} else := _change(address, "aws_sagemaker_endpoint", {"name": "ep"}, {"arn": true, "endpoint_config_name": true})

# Configuration blocks with the references of endpoint_config_name and of the
# variants' model_name.
_endpoint_block(address, refs) := {"address": address, "expressions": {"endpoint_config_name": {"references": refs}}}

_config_block(address, refs_per_variant) := {
	"address": address,
	"expressions": {"production_variants": [{"model_name": {"references": refs}} | some refs in refs_per_variant]},
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

_e := "aws_sagemaker_endpoint.e"

_c := "aws_sagemaker_endpoint_configuration.c"

# ---------------------------------------------------------------------------
# Compliant

test_endpoint_with_compliant_configuration_passes if {
	changes := [_good("aws_sagemaker_model.m", "good"), _config(_c, "cfg", ["good"], []), _endpoint(_e, "cfg")]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_unknown_config_name_resolved_by_reference_passes if {
	changes := [_good("aws_sagemaker_model.m", "good"), _config(_c, null, ["good"], []), _endpoint(_e, null)]
	r := _result with input as _plan(changes, [_endpoint_block(_e, [sprintf("%s.name", [_c]), _c])])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

# ---------------------------------------------------------------------------
# The configuration fails the endpoint configuration rules

test_configuration_serving_failing_model_denied if {
	changes := [_not_isolated("aws_sagemaker_model.m", "bad"), _config(_c, "cfg", ["bad"], []), _endpoint(_e, "cfg")]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_e}
	contains(_message(r.deny, _e), sprintf("%s fails SMG-ENDPOINT-001", [_c]))
	count(r.warn) == 0
}

test_multi_variant_configuration_with_one_bad_model_denied if {
	changes := [
		_good("aws_sagemaker_model.a", "a"),
		_not_isolated("aws_sagemaker_model.b", "b"),
		_config(_c, "cfg", ["a", "b"], []),
		_endpoint(_e, "cfg"),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_e}
}

test_shadow_variant_with_bad_model_denied if {
	changes := [
		_good("aws_sagemaker_model.a", "a"),
		_not_isolated("aws_sagemaker_model.s", "s"),
		_config(_c, "cfg", ["a"], ["s"]),
		_endpoint(_e, "cfg"),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_e}
}

test_model_resolved_only_through_references_denied if {
	# Neither the configuration's nor the model's name is known: both links
	# are followed through `configuration`.
	changes := [_not_isolated("aws_sagemaker_model.m", null), _config(_c, null, [null], []), _endpoint(_e, null)]
	config := [
		_endpoint_block(_e, [sprintf("%s.name", [_c]), _c]),
		_config_block(_c, [["aws_sagemaker_model.m.name", "aws_sagemaker_model.m"]]),
	]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.deny, _e), sprintf("%s fails", [_c]))
}

# ---------------------------------------------------------------------------
# Warnings

test_configuration_not_in_plan_warned if {
	r := _result with input as _plan([_endpoint(_e, "external-cfg")], [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {_e}
	contains(_message(r.warn, _e), `"external-cfg" is not in this plan`)
	count(r.deny) == 0
}

test_deleted_configuration_is_not_in_plan if {
	changes := [_with_actions(_config(_c, "cfg", [], []), ["delete"]), _endpoint(_e, "cfg")]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.warn, _e), "not in this plan")
}

test_unknown_config_name_from_variable_warned if {
	changes := [_config(_c, null, [], []), _endpoint(_e, null)]
	r := _result with input as _plan(changes, [_endpoint_block(_e, ["var.config_name"])])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {_e}
	contains(_message(r.warn, _e), "endpoint_config_name is unknown")
}

test_unknown_config_name_without_configuration_warned if {
	r := _result with input as {"resource_changes": [_endpoint(_e, null)]}
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.warn, _e), "unknown")
}

test_configuration_with_model_outside_plan_warned if {
	changes := [_config(_c, "cfg", ["external-model"], []), _endpoint(_e, "cfg")]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {_e}
	contains(_message(r.warn, _e), sprintf("%s could not be fully verified", [_c]))
	count(r.deny) == 0
}

test_configuration_with_unresolved_model_reference_warned if {
	changes := [_config(_c, "cfg", [null], []), _endpoint(_e, "cfg")]
	r := _result with input as _plan(changes, [_config_block(_c, [["var.model"]])])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.warn, _e), "could not be fully verified")
}

test_failing_configuration_is_not_also_a_warning if {
	changes := [
		_not_isolated("aws_sagemaker_model.m", "bad"),
		_config(_c, "cfg", ["bad"], []),
		_config("aws_sagemaker_endpoint_configuration.other", "cfg", ["external"], []),
		_endpoint(_e, "cfg"),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_e}
	count(r.warn) == 0
}

# ---------------------------------------------------------------------------
# count / for_each instances

test_instance_references if {
	changes := [
		_good("aws_sagemaker_model.good", "good"),
		_not_isolated("aws_sagemaker_model.bad", "bad"),
		_config(`aws_sagemaker_endpoint_configuration.c["a"]`, null, ["good"], []),
		_config(`aws_sagemaker_endpoint_configuration.c["b"]`, null, ["bad"], []),
		_endpoint(`aws_sagemaker_endpoint.e["a"]`, null),
		_endpoint("aws_sagemaker_endpoint.pinned", null),
	]
	config := [
		_endpoint_block("aws_sagemaker_endpoint.e", ["aws_sagemaker_endpoint_configuration.c", "each.key"]),
		_endpoint_block("aws_sagemaker_endpoint.pinned", [`aws_sagemaker_endpoint_configuration.c["a"].name`]),
	]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}

	# e refers to every instance of c and sees c["b"] fail; pinned only to c["a"]
	_addresses(r.deny) == {`aws_sagemaker_endpoint.e["a"]`}
	contains(_message(r.deny, `aws_sagemaker_endpoint.e["a"]`), `aws_sagemaker_endpoint_configuration.c["b"] fails`)
}

test_configuration_serving_model_instances if {
	changes := [
		_good(`aws_sagemaker_model.m["a"]`, null),
		_not_isolated(`aws_sagemaker_model.m["b"]`, null),
		_config(_c, "cfg", [null, null], []),
		_endpoint(_e, "cfg"),
	]
	config := [_config_block(_c, [[`aws_sagemaker_model.m["a"].name`], [`aws_sagemaker_model.m["b"].name`]])]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_e}
}

# ---------------------------------------------------------------------------
# Child modules

_module_plan(changes) := {
	"resource_changes": changes,
	"configuration": {"root_module": {"module_calls": {"serving": {
		"source": "./serving",
		"module": {"resources": [
			_endpoint_block(_e, [sprintf("%s.name", [_c])]),
			_config_block(_c, [["aws_sagemaker_model.m.name"]]),
		]},
	}}}},
}

test_child_module_references_resolved_in_the_same_module_instance if {
	changes := [
		_in_module(_not_isolated("aws_sagemaker_model.m", null), `module.serving["prod"]`),
		_in_module(_config(_c, null, [null], []), `module.serving["prod"]`),
		_in_module(_endpoint(_e, null), `module.serving["prod"]`),
		_in_module(_good("aws_sagemaker_model.m", null), `module.serving["dev"]`),
		_in_module(_config(_c, null, [null], []), `module.serving["dev"]`),
		_in_module(_endpoint(_e, null), `module.serving["dev"]`),
	]
	r := _result with input as _module_plan(changes)
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {`module.serving["prod"].aws_sagemaker_endpoint.e`}
	count(r.warn) == 0
}

test_child_module_does_not_resolve_to_root_configuration if {
	changes := [_config(_c, null, [], []), _in_module(_endpoint(_e, null), "module.serving")]
	r := _result with input as _module_plan(changes)
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {"module.serving.aws_sagemaker_endpoint.e"}
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_endpoint_ignored if {
	changes := [
		_not_isolated("aws_sagemaker_model.m", "bad"),
		_config(_c, "cfg", ["bad"], []),
		_with_actions(_endpoint(_e, "cfg"), ["delete"]),
		_with_actions(_endpoint("aws_sagemaker_endpoint.gone", "missing"), ["delete"]),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_replaced_and_unchanged_endpoints_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["no-op"], ["update"]] {
		changes := [
			_not_isolated("aws_sagemaker_model.m", "bad"),
			_config(_c, "cfg", ["bad"], []),
			_with_actions(_endpoint(_e, "cfg"), actions),
		]
		r := _result with input as _plan(changes, [])
			with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
			with data.smguard.rules.model.model_network_isolation_test as {}
			with data.smguard.rules.model.model_vpc_config_test as {}
		_addresses(r.deny) == {_e}
	}
}

test_configuration_serving_unverified_model_warned if {
	# model_vpc_config warns about the model (unknown subnets from a variable),
	# the configuration is warned in turn, and so is the endpoint.
	model := _change(
		"aws_sagemaker_model.m",
		"aws_sagemaker_model",
		{"name": "m", "enable_network_isolation": true, "vpc_config": [{"security_group_ids": ["sg-1"]}]},
		{"vpc_config": [{"subnets": true}]},
	)
	model_config := {
		"address": "aws_sagemaker_model.m",
		"expressions": {"vpc_config": [{"subnets": {"references": ["var.subnet_ids"]}}]},
	}
	r := _result with input as _plan([model, _config(_c, "cfg", ["m"], []), _endpoint(_e, "cfg")], [model_config])
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	_addresses(r.warn) == {_e}
	contains(_message(r.warn, _e), "could not be fully verified")
}
