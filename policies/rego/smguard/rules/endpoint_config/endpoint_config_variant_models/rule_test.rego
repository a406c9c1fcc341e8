# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.endpoint_config.endpoint_config_variant_models_test

import data.smguard.rules.endpoint_config.endpoint_config_variant_models as variant_models

# Every test evaluates `_result` once:
#
#   r := _result with input as PLAN
#       with data.smguard.rules.model.model_network_isolation_test as {}
#       with data.smguard.rules.model.model_vpc_config_test as {}
#
# The rule reads every package under data.smguard.rules.model; when the test
# files are loaded those include the model rules' test packages, which would
# then run all their tests inside each evaluation. Replacing them with {} keeps
# the evaluation to the model rules themselves.
_result := {"deny": variant_models.deny, "warn": variant_models.warn}

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

# Models with the given name; null means unknown until apply.
_good(address, name) := _model(address, name, {})

_not_isolated(address, name) := _model(address, name, {"enable_network_isolation": false})

_outside_vpc(address, name) := _model(address, name, {"vpc_config": []})

_model(address, name, after) := _change(
	address,
	"aws_sagemaker_model",
	object.union(object.union(_compliant_model, {"name": name}), after),
	{"arn": true, "id": true},
) if {
	is_string(name)
} else := _change(
	address,
	"aws_sagemaker_model",
	object.union(_compliant_model, after),
	{"arn": true, "id": true, "name": true},
)

# An endpoint configuration; model_names and shadow_names are the model_name of
# each production and shadow variant, null for unknown until apply.
_config(address, model_names, shadow_names) := _change(
	address,
	"aws_sagemaker_endpoint_configuration",
	{
		"name": "cfg",
		"production_variants": [_variant_after(n) | some n in model_names],
		"shadow_production_variants": [_variant_after(n) | some n in shadow_names],
	},
	{
		"arn": true,
		"id": true,
		"production_variants": [_variant_unknown(n) | some n in model_names],
		"shadow_production_variants": [_variant_unknown(n) | some n in shadow_names],
	},
)

_variant_after(name) := {"variant_name": "v", "instance_type": "ml.m5.large", "model_name": name} if is_string(name)

else := {"variant_name": "v", "instance_type": "ml.m5.large"}

_variant_unknown(name) := {} if is_string(name)

else := {"model_name": true}

# Configuration of an endpoint configuration: the references of each
# production variant's model_name.
_config_block(address, refs_per_variant) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_endpoint_configuration",
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

_c := "aws_sagemaker_endpoint_configuration.c"

# ---------------------------------------------------------------------------
# Compliant

test_compliant_model_by_name_passes if {
	r := _result with input as _plan([_good("aws_sagemaker_model.m", "good"), _config(_c, ["good"], [])], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_compliant_models_in_every_variant_pass if {
	changes := [
		_good("aws_sagemaker_model.a", "a"),
		_good("aws_sagemaker_model.b", "b"),
		_good("aws_sagemaker_model.s", "s"),
		_config(_c, ["a", "b"], ["s"]),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_other_resource_types_ignored if {
	endpoint := object.union(_config("aws_sagemaker_endpoint.e", ["external"], []), {"type": "aws_sagemaker_endpoint"})
	r := _result with input as _plan([endpoint], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

# ---------------------------------------------------------------------------
# A variant's model fails a model rule

test_model_without_isolation_denied if {
	changes := [_not_isolated("aws_sagemaker_model.m", "bad"), _config(_c, ["bad"], [])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_c}
	msg := _message(r.deny, _c)
	contains(msg, "production_variants[0] serves aws_sagemaker_model.m")
	contains(msg, "SMG-MODEL-001")
	not contains(msg, "SMG-MODEL-002")
	count(r.warn) == 0
}

test_model_outside_vpc_denied if {
	changes := [_outside_vpc("aws_sagemaker_model.m", "bad"), _config(_c, ["bad"], [])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	endswith(_message(r.deny, _c), "fails SMG-MODEL-002")
}

test_model_failing_both_rules_lists_both if {
	rc := _model("aws_sagemaker_model.m", "bad", {"enable_network_isolation": null, "vpc_config": []})
	r := _result with input as _plan([rc, _config(_c, ["bad"], [])], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	endswith(_message(r.deny, _c), "fails SMG-MODEL-001, SMG-MODEL-002")
}

test_multi_variant_with_one_bad_model_denied if {
	changes := [
		_good("aws_sagemaker_model.a", "a"),
		_not_isolated("aws_sagemaker_model.b", "b"),
		_good("aws_sagemaker_model.c", "c"),
		_config(_c, ["a", "b", "c"], []),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_c}
	msg := _message(r.deny, _c)
	startswith(msg, "production_variants[1] serves aws_sagemaker_model.b")
	not contains(msg, ";")
}

test_shadow_variant_with_bad_model_denied if {
	changes := [
		_good("aws_sagemaker_model.live", "live"),
		_outside_vpc("aws_sagemaker_model.shadow", "shadow"),
		_config(_c, ["live"], ["shadow"]),
	]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	startswith(_message(r.deny, _c), "shadow_production_variants[0] serves aws_sagemaker_model.shadow")
}

test_failure_takes_precedence_over_warning if {
	changes := [_not_isolated("aws_sagemaker_model.b", "b"), _config(_c, ["b", "not-in-plan"], [])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {_c}
	count(r.warn) == 0
}

# ---------------------------------------------------------------------------
# Models outside the plan

test_model_not_in_plan_warned if {
	r := _result with input as _plan([_config(_c, ["external-model"], [])], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {_c}
	contains(_message(r.warn, _c), `serves model "external-model", which is not in this plan`)
	count(r.deny) == 0
}

test_deleted_model_is_not_in_plan if {
	changes := [_with_actions(_not_isolated("aws_sagemaker_model.m", "old"), ["delete"]), _config(_c, ["old"], [])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.warn, _c), "not in this plan")
	count(r.deny) == 0
}

test_variant_without_model_name_warned if {
	# e.g. a variant for inference components: its models are not named here
	rc := _change(
		_c,
		"aws_sagemaker_endpoint_configuration",
		{"name": "cfg", "production_variants": [{"variant_name": "v", "model_name": null}]},
		{},
	)
	r := _result with input as _plan([rc], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	_addresses(r.warn) == {_c}
}

test_shadow_model_not_in_plan_warned if {
	changes := [_good("aws_sagemaker_model.live", "live"), _config(_c, ["live"], ["external"])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}

	# only the shadow variant is reported
	startswith(_message(r.warn, _c), "shadow_production_variants[0] serves model")
	not contains(_message(r.warn, _c), ";")
}

# ---------------------------------------------------------------------------
# model_name unknown until apply: resolved through configuration references

test_unknown_model_name_resolved_by_reference_passes if {
	changes := [_good("aws_sagemaker_model.m", null), _config(_c, [null], [])]
	config := [_config_block(_c, [["aws_sagemaker_model.m.name", "aws_sagemaker_model.m"]])]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_unknown_model_name_resolved_by_reference_to_bad_model_denied if {
	changes := [_not_isolated("aws_sagemaker_model.m", null), _config(_c, [null], [])]
	config := [_config_block(_c, [["aws_sagemaker_model.m.name", "aws_sagemaker_model.m"]])]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.deny, _c), "serves aws_sagemaker_model.m, which fails SMG-MODEL-001")
}

test_unknown_model_name_from_variable_warned if {
	changes := [_good("aws_sagemaker_model.m", null), _config(_c, [null], [])]
	r := _result with input as _plan(changes, [_config_block(_c, [["var.model_name"]])])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {_c}
	contains(_message(r.warn, _c), "production_variants[0] model_name is unknown")
}

test_unknown_model_name_without_configuration_warned if {
	changes := [_good("aws_sagemaker_model.m", null), _config(_c, [null], [])]
	r := _result with input as {"resource_changes": changes}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.warn, _c), "unknown")
}

# ---------------------------------------------------------------------------
# count / for_each instances

# m["a"] passes the model rules, m["b"] does not; both names are unknown.
_instances := [
	_good(`aws_sagemaker_model.m["a"]`, null),
	_not_isolated(`aws_sagemaker_model.m["b"]`, null),
]

test_reference_to_one_good_instance_passes if {
	config := [_config_block(_c, [[`aws_sagemaker_model.m["a"].name`, `aws_sagemaker_model.m["a"]`]])]
	r := _result with input as _plan(array.concat(_instances, [_config(_c, [null], [])]), config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_reference_to_one_bad_instance_denied if {
	config := [_config_block(_c, [[`aws_sagemaker_model.m["a"].name`], [`aws_sagemaker_model.m["b"].name`]])]
	r := _result with input as _plan(array.concat(_instances, [_config(_c, [null, null], [])]), config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	msg := _message(r.deny, _c)
	startswith(msg, `production_variants[1] serves aws_sagemaker_model.m["b"]`)
	not contains(msg, `aws_sagemaker_model.m["a"]`)
}

test_dynamic_instance_reference_checks_every_instance if {
	config := [_config_block(_c, [["aws_sagemaker_model.m", "each.key"]])]
	r := _result with input as _plan(array.concat(_instances, [_config(_c, [null], [])]), config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	contains(_message(r.deny, _c), `serves aws_sagemaker_model.m["b"]`)
}

test_counted_configurations_checked_per_instance if {
	changes := [
		_good("aws_sagemaker_model.m[0]", null),
		_not_isolated("aws_sagemaker_model.m[1]", null),
		_config(sprintf("%s[0]", [_c]), [null], []),
		_config(sprintf("%s[1]", [_c]), [null], []),
	]
	config := [_config_block(_c, [["aws_sagemaker_model.m[1].name"]])]
	r := _result with input as _plan(changes, config)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.deny) == {"aws_sagemaker_endpoint_configuration.c[0]", "aws_sagemaker_endpoint_configuration.c[1]"}
}

# ---------------------------------------------------------------------------
# Child modules

_module_plan(changes) := {
	"resource_changes": changes,
	"configuration": {"root_module": {"module_calls": {"serving": {
		"source": "./serving",
		"module": {"resources": [_config_block(_c, [["aws_sagemaker_model.m.name", "aws_sagemaker_model.m"]])]},
	}}}},
}

test_child_module_reference_resolved_in_the_same_module_instance if {
	changes := [
		_in_module(_not_isolated("aws_sagemaker_model.m", null), `module.serving["prod"]`),
		_in_module(_config(_c, [null], []), `module.serving["prod"]`),
		_in_module(_good("aws_sagemaker_model.m", null), `module.serving["dev"]`),
		_in_module(_config(_c, [null], []), `module.serving["dev"]`),
	]
	r := _result with input as _module_plan(changes)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	prod := `module.serving["prod"].aws_sagemaker_endpoint_configuration.c`
	_addresses(r.deny) == {prod}
	contains(_message(r.deny, prod), `serves module.serving["prod"].aws_sagemaker_model.m`)
	count(r.warn) == 0
}

test_child_module_does_not_resolve_to_root_models if {
	changes := [_good("aws_sagemaker_model.m", null), _in_module(_config(_c, [null], []), "module.serving")]
	r := _result with input as _module_plan(changes)
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	_addresses(r.warn) == {"module.serving.aws_sagemaker_endpoint_configuration.c"}
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_configuration_ignored if {
	changes := [_not_isolated("aws_sagemaker_model.m", "bad"), _with_actions(_config(_c, ["bad", "gone"], []), ["delete"])]
	r := _result with input as _plan(changes, [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	count(r.warn) == 0
}

test_replaced_and_unchanged_configurations_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["no-op"], ["update"]] {
		changes := [_not_isolated("aws_sagemaker_model.m", "bad"), _with_actions(_config(_c, ["bad"], []), actions)]
		r := _result with input as _plan(changes, [])
			with data.smguard.rules.model.model_network_isolation_test as {}
			with data.smguard.rules.model.model_vpc_config_test as {}
		_addresses(r.deny) == {_c}
	}
}

# ---------------------------------------------------------------------------
# Unknown until apply: never a silent pass

# A model whose subnets are unknown and refer to a variable: model_vpc_config
# warns about it instead of failing it.
_unverified_model := _change(
	"aws_sagemaker_model.m",
	"aws_sagemaker_model",
	{"name": "m", "enable_network_isolation": true, "vpc_config": [{"security_group_ids": ["sg-1"]}]},
	{"vpc_config": [{"subnets": true}]},
)

_unverified_model_config := {
	"address": "aws_sagemaker_model.m",
	"expressions": {"vpc_config": [{"subnets": {"references": ["var.subnet_ids"]}}]},
}

test_model_the_model_rules_could_not_verify_warned if {
	r := _result with input as _plan([_unverified_model, _config(_c, ["m"], [])], [_unverified_model_config])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	_addresses(r.warn) == {_c}
	msg := _message(r.warn, _c)
	contains(msg, "aws_sagemaker_model.m")
	contains(msg, "SMG-MODEL-002")
}

test_variants_unknown_as_a_whole_warned if {
	rc := _change(_c, "aws_sagemaker_endpoint_configuration", {"name": "cfg"}, {"production_variants": true})
	r := _result with input as _plan([rc], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	count(r.deny) == 0
	_addresses(r.warn) == {_c}
	contains(_message(r.warn, _c), "production_variants is unknown")
}

test_shadow_variants_unknown_as_a_whole_warned if {
	rc := _change(
		_c,
		"aws_sagemaker_endpoint_configuration",
		{"name": "cfg", "production_variants": [_variant_after("good")]},
		{"shadow_production_variants": true},
	)
	r := _result with input as _plan([_good("aws_sagemaker_model.m", "good"), rc], [])
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	startswith(_message(r.warn, _c), "shadow_production_variants is unknown")
}
