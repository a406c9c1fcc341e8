# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.lib.plan_test

import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# Fixtures

# A managed resource change created in the root module.
_rc(address, type, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}

# The same change, planned with other actions.
_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

# The same change, inside a module instance.
_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_model(address) := _rc(address, "aws_sagemaker_model", {}, {})

_subnet(address) := _rc(address, "aws_subnet", {}, {"id": true})

# A model whose vpc_config subnets are unknown until apply.
_model_unknown_subnets(address) := _rc(
	address,
	"aws_sagemaker_model",
	{"vpc_config": [{"security_group_ids": ["sg-1"]}]},
	{"vpc_config": [{"subnets": true}]},
)

# Configuration of a resource whose vpc_config subnets refer to refs.
_config(address, refs) := {
	"address": address,
	"mode": "managed",
	"expressions": {"vpc_config": [{"subnets": {"references": refs}}]},
}

_subnets := ["vpc_config", 0, "subnets"]

# A plan with the given changes and the given root module configuration.
_plan(changes, root_module) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": root_module},
}

# ---------------------------------------------------------------------------
# doc

test_doc_is_input_for_a_plain_plan if {
	p := _plan([], {})
	plan.doc == p with input as p
}

test_doc_unwraps_input_plan if {
	p := _plan([_model("aws_sagemaker_model.m")], {})
	plan.doc == p with input as {"plan": p, "run_id": "run-1"}
}

test_doc_unwraps_input_terraform if {
	p := _plan([_model("aws_sagemaker_model.m")], {})
	plan.doc == p with input as {"terraform": p, "spacelift": {"run": "r"}}
}

test_doc_prefers_input_plan_over_input_terraform if {
	p := _plan([_model("aws_sagemaker_model.p")], {})
	t := _plan([_model("aws_sagemaker_model.t")], {})
	plan.doc == p with input as {"plan": p, "terraform": t}
}

test_doc_ignores_wrapper_keys_without_resource_changes if {
	p := object.union(_plan([], {}), {"plan": {"note": "not a plan"}})
	plan.doc == p with input as p
}

test_resources_read_through_wrapper if {
	p := _plan([_model("aws_sagemaker_model.m")], {})
	addresses := {rc.address | some rc in plan.resources("aws_sagemaker_model")} with input as {"terraform": p}
	addresses == {"aws_sagemaker_model.m"}
}

# ---------------------------------------------------------------------------
# resources, deleted

_actions_plan := _plan(
	[
		_with_actions(_model("aws_sagemaker_model.created"), ["create"]),
		_with_actions(_model("aws_sagemaker_model.updated"), ["update"]),
		_with_actions(_model("aws_sagemaker_model.unchanged"), ["no-op"]),
		_with_actions(_model("aws_sagemaker_model.replaced"), ["delete", "create"]),
		_with_actions(_model("aws_sagemaker_model.replaced_cbd"), ["create", "delete"]),
		_with_actions(_model("aws_sagemaker_model.deleted"), ["delete"]),
		object.union(_model("data.aws_sagemaker_model.read"), {"mode": "data"}),
		_subnet("aws_subnet.other_type"),
	],
	{},
)

test_resources_keeps_every_change_that_stays_after_apply if {
	addresses := {rc.address | some rc in plan.resources("aws_sagemaker_model")} with input as _actions_plan
	addresses == {
		"aws_sagemaker_model.created",
		"aws_sagemaker_model.updated",
		"aws_sagemaker_model.unchanged",
		"aws_sagemaker_model.replaced",
		"aws_sagemaker_model.replaced_cbd",
	}
}

test_resources_treats_missing_mode_as_managed if {
	rc := object.remove(_model("aws_sagemaker_model.m"), ["mode"])
	count(plan.resources("aws_sagemaker_model")) == 1 with input as _plan([rc], {})
}

test_resources_of_absent_type_is_empty if {
	count(plan.resources("aws_sagemaker_domain")) == 0 with input as _actions_plan
}

# ---------------------------------------------------------------------------
# named

_named_plan := _plan(
	[
		_rc("aws_sagemaker_model.a", "aws_sagemaker_model", {"name": "shared"}, {}),
		_in_module(_rc("aws_sagemaker_model.b", "aws_sagemaker_model", {"name": "shared"}, {}), "module.x"),
		_rc("aws_sagemaker_model.other", "aws_sagemaker_model", {"name": "other"}, {}),
		_rc("aws_sagemaker_model.unnamed", "aws_sagemaker_model", {}, {"name": true}),
		_with_actions(_rc("aws_sagemaker_model.gone", "aws_sagemaker_model", {"name": "shared"}, {}), ["delete"]),
		_rc("aws_sagemaker_endpoint_configuration.c", "aws_sagemaker_endpoint_configuration", {"name": "shared"}, {}),
	],
	{},
)

test_named_finds_checked_resources_of_the_type_by_known_name if {
	addresses := {rc.address | some rc in plan.named("aws_sagemaker_model", "shared")} with input as _named_plan
	addresses == {"aws_sagemaker_model.a", "module.x.aws_sagemaker_model.b"}
}

_named_addresses(name) := {rc.address | some rc in plan.named("aws_sagemaker_model", name)}

# Names unique within each type take the one-pass index; a shared name (above) the grouping one.
test_named_with_unique_names if {
	changes := [
		_rc("aws_sagemaker_model.a", "aws_sagemaker_model", {"name": "a"}, {}),
		_rc("aws_sagemaker_model.b", "aws_sagemaker_model", {"name": "b"}, {}),
		_rc("aws_sagemaker_endpoint_configuration.a", "aws_sagemaker_endpoint_configuration", {"name": "a"}, {}),
	]
	_named_addresses("a") == {"aws_sagemaker_model.a"} with input as _plan(changes, {})
	_named_addresses("b") == {"aws_sagemaker_model.b"} with input as _plan(changes, {})
	_named_addresses("c") == set() with input as _plan(changes, {})
}

test_named_is_empty_for_unknown_or_absent_names if {
	count(plan.named("aws_sagemaker_model", null)) == 0 with input as _named_plan
	count(plan.named("aws_sagemaker_model", "absent")) == 0 with input as _named_plan
	count(plan.named("aws_sagemaker_domain", "shared")) == 0 with input as _named_plan
}

test_gone_only_for_pure_delete_or_forget if {
	plan.gone(_with_actions(_model("aws_sagemaker_model.m"), ["delete"]))
	plan.gone(_with_actions(_model("aws_sagemaker_model.m"), ["forget"]))
	not plan.gone(_with_actions(_model("aws_sagemaker_model.m"), ["delete", "create"]))
	not plan.gone(_with_actions(_model("aws_sagemaker_model.m"), ["no-op"]))
}

test_forgotten_resource_not_checked if {
	rc := object.union(_with_actions(_model("aws_sagemaker_model.old"), ["forget"]), {"change": {"after": null}})
	count(plan.resources("aws_sagemaker_model")) == 0 with input as _plan([rc], {})
}

test_after_is_empty_object_when_null if {
	plan.after({"change": {"actions": ["forget"], "after": null}}) == {}
}

# ---------------------------------------------------------------------------
# after, value

test_after_is_empty_object_when_absent if {
	plan.after({"change": {"actions": ["create"]}}) == {}
}

test_value_reads_nested_paths if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {"vpc_config": [{"subnets": ["subnet-1"]}]}, {})
	plan.value(rc, _subnets) == ["subnet-1"]
}

test_value_is_null_when_absent if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {"vpc_config": []}, {})
	plan.value(rc, _subnets) == null
	plan.value(rc, ["enable_network_isolation"]) == null
}

# ---------------------------------------------------------------------------
# unknown

test_unknown_top_level_attribute if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {}, {"enable_network_isolation": true})
	plan.unknown(rc, ["enable_network_isolation"])
}

test_unknown_nested_attribute if {
	plan.unknown(_model_unknown_subnets("aws_sagemaker_model.m"), _subnets)
}

test_unknown_when_containing_block_list_is_unknown if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {}, {"vpc_config": true})
	plan.unknown(rc, _subnets)
}

test_unknown_when_containing_block_is_unknown if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {"vpc_config": [null]}, {"vpc_config": [true]})
	plan.unknown(rc, _subnets)
}

# A known list with unknown elements: Terraform writes `[null]` in after and
# `[true]` in after_unknown.
_unknown_elements := _rc(
	"aws_sagemaker_model.m",
	"aws_sagemaker_model",
	{"vpc_config": [{"subnets": ["subnet-1", null]}]},
	{"vpc_config": [{"subnets": [false, true]}]},
)

test_unknown_when_list_has_unknown_elements if {
	plan.unknown(_unknown_elements, _subnets)
	not plan.known_nonempty(_unknown_elements, _subnets)
}

test_not_unknown_when_every_element_is_known if {
	rc := _rc(
		"aws_sagemaker_model.m",
		"aws_sagemaker_model",
		{"vpc_config": [{"subnets": ["subnet-1"]}]},
		{"vpc_config": [{"subnets": [false]}]},
	)
	not plan.unknown(rc, _subnets)
	plan.known_nonempty(rc, _subnets)
}

test_not_unknown_when_known if {
	rc := _rc(
		"aws_sagemaker_model.m",
		"aws_sagemaker_model",
		{"enable_network_isolation": false, "vpc_config": []},
		{"enable_network_isolation": false, "vpc_config": [], "arn": true},
	)
	not plan.unknown(rc, ["enable_network_isolation"])
	not plan.unknown(rc, _subnets)
}

test_not_unknown_without_after_unknown if {
	not plan.unknown({"change": {"actions": ["create"], "after": {}}}, ["enable_network_isolation"])
}

test_not_unknown_for_a_sibling_attribute if {
	not plan.unknown(_model_unknown_subnets("aws_sagemaker_model.m"), ["vpc_config", 0, "security_group_ids"])
}

# ---------------------------------------------------------------------------
# nonempty, known_nonempty

test_nonempty_values if {
	plan.nonempty("subnet-1")
	plan.nonempty(["subnet-1"])
}

test_empty_values if {
	not plan.nonempty("")
	not plan.nonempty([])
	not plan.nonempty(null)
	not plan.nonempty({})
	not plan.nonempty(1)
}

test_known_nonempty if {
	rc := _rc("aws_sagemaker_domain.d", "aws_sagemaker_domain", {"vpc_id": "vpc-1", "subnet_ids": []}, {})
	plan.known_nonempty(rc, ["vpc_id"])
	not plan.known_nonempty(rc, ["subnet_ids"])
	not plan.known_nonempty(rc, ["absent"])
}

test_known_nonempty_false_when_unknown if {
	not plan.known_nonempty(_model_unknown_subnets("aws_sagemaker_model.m"), _subnets)
}

# ---------------------------------------------------------------------------
# base_address

test_base_address_removes_instance_keys if {
	plan.base_address(`module.a["x"].aws_sagemaker_model.m[0]`) == "module.a.aws_sagemaker_model.m"
	plan.base_address(`module.a[1].module.b["k.with.dots"].aws_subnet.s["z"]`) == "module.a.module.b.aws_subnet.s"
}

test_base_address_keeps_plain_addresses if {
	plan.base_address("aws_sagemaker_model.m") == "aws_sagemaker_model.m"
	plan.base_address("module.a.aws_sagemaker_model.m") == "module.a.aws_sagemaker_model.m"
}

# ---------------------------------------------------------------------------
# config_resource

_nested_root := {
	"resources": [_config("aws_sagemaker_model.m", ["var.root"])],
	"module_calls": {"a": {
		"source": "./a",
		"module": {
			"resources": [_config("aws_sagemaker_model.m", ["var.a"])],
			"module_calls": {"b": {
				"source": "./b",
				"module": {"resources": [
					_config("aws_sagemaker_model.other", ["var.other"]),
					_config("aws_sagemaker_model.m", ["var.b"]),
				]},
			}},
		},
	}},
}

_config_refs(rc) := plan.config_resource(rc).expressions.vpc_config[0].subnets.references

test_config_resource_in_root_module if {
	_configured(_model("aws_sagemaker_model.m")) with input as _plan([], _nested_root)
	_config_refs(_model("aws_sagemaker_model.m")) == ["var.root"] with input as _plan([], _nested_root)
}

test_config_resource_in_child_module if {
	rc := _in_module(_model("aws_sagemaker_model.m"), "module.a")
	_config_refs(rc) == ["var.a"] with input as _plan([], _nested_root)
}

test_config_resource_in_nested_module if {
	rc := _in_module(_model("aws_sagemaker_model.m"), "module.a.module.b")
	_config_refs(rc) == ["var.b"] with input as _plan([], _nested_root)
}

test_config_resource_ignores_instance_keys if {
	rc := _in_module(_model(`aws_sagemaker_model.m["k"]`), `module.a[0].module.b["x"]`)
	_config_refs(rc) == ["var.b"] with input as _plan([], _nested_root)
	_config_refs(_model("aws_sagemaker_model.m[3]")) == ["var.root"] with input as _plan([], _nested_root)
}

# Whether config_resource found a configuration block (it is undefined, null
# or {} when there is none).
_configured(rc) if plan.config_resource(rc).address

test_config_resource_absent_when_not_configured if {
	not _configured(_model("aws_sagemaker_model.absent")) with input as _plan([], _nested_root)
	not _configured(_in_module(_model("aws_sagemaker_model.m"), "module.z")) with input as _plan([], _nested_root)
}

test_config_resource_absent_without_configuration if {
	not _configured(_model("aws_sagemaker_model.m")) with input as {"resource_changes": []}
}

test_config_resource_through_wrapper if {
	_config_refs(_model("aws_sagemaker_model.m")) == ["var.root"] with input as {"plan": _plan([], _nested_root)}
}

# ---------------------------------------------------------------------------
# references

test_references_of_an_expression if {
	refs := plan.references(_model("aws_sagemaker_model.m"), _subnets) with input as _plan([], _nested_root)
	refs == ["var.root"]
}

test_references_empty_for_constant_or_absent_expression if {
	root := {"resources": [{
		"address": "aws_sagemaker_model.m",
		"expressions": {"vpc_config": [{"subnets": {"constant_value": ["subnet-1"]}}]},
	}]}
	plan.references(_model("aws_sagemaker_model.m"), _subnets) == [] with input as _plan([], root)
	plan.references(_model("aws_sagemaker_model.m"), ["execution_role_arn"]) == [] with input as _plan([], root)

	# a path that ends at a list of blocks (an inline `ingress`) is not an expression
	plan.references(_model("aws_sagemaker_model.m"), ["vpc_config"]) == [] with input as _plan([], root)
}

test_references_empty_without_configuration if {
	plan.references(_model("aws_sagemaker_model.m"), _subnets) == [] with input as {"resource_changes": []}
}

# ---------------------------------------------------------------------------
# referenced

# The subnets a model's vpc_config refers to.
_subnet_refs(rc) := {t.address | some t in plan.referenced(rc, _subnets, "aws_subnet")}

_m := _model("aws_sagemaker_model.m")

# A plan whose model aws_sagemaker_model.m refers to refs for its subnets.
_refs_plan(refs, changes) := _plan(changes, {"resources": [_config("aws_sagemaker_model.m", refs)]})

test_referenced_follows_attribute_references if {
	changes := [_subnet("aws_subnet.a"), _subnet("aws_subnet.b")]
	refs := ["aws_subnet.a.id", "aws_subnet.a"]
	_subnet_refs(_m) == {"aws_subnet.a"} with input as _refs_plan(refs, changes)
}

test_referenced_whole_resource_matches_every_instance if {
	changes := [_subnet("aws_subnet.s[0]"), _subnet("aws_subnet.s[1]"), _subnet("aws_subnet.s_other")]
	refs := ["aws_subnet.s", "count.index"]
	_subnet_refs(_m) == {"aws_subnet.s[0]", "aws_subnet.s[1]"} with input as _refs_plan(refs, changes)
}

test_referenced_instance_key_matches_only_that_instance if {
	changes := [_subnet(`aws_subnet.s["a"]`), _subnet(`aws_subnet.s["b"]`), _subnet("aws_subnet.s[0]")]
	_subnet_refs(_m) == {`aws_subnet.s["a"]`} with input as _refs_plan([`aws_subnet.s["a"].id`], changes)
	_subnet_refs(_m) == {"aws_subnet.s[0]"} with input as _refs_plan(["aws_subnet.s[0].id"], changes)
	_subnet_refs(_m) == set() with input as _refs_plan([`aws_subnet.s["c"].id`], changes)
}

test_referenced_ignores_variables_data_sources_and_module_outputs if {
	changes := [
		_subnet("aws_subnet.a"),
		object.union(_subnet("data.aws_subnet.a"), {"mode": "data"}),
		_in_module(_subnet("aws_subnet.a"), "module.net"),
	]
	refs := ["var.subnets", "data.aws_subnet.a.id", "data.aws_subnet.a", "module.net.subnet_id", "local.subnet"]
	_subnet_refs(_m) == set() with input as _refs_plan(refs, changes)
}

test_referenced_ignores_other_types if {
	changes := [_rc("aws_security_group.a", "aws_security_group", {}, {"id": true})]
	_subnet_refs(_m) == set() with input as _refs_plan(["aws_security_group.a.id"], changes)
}

test_referenced_ignores_deleted_targets if {
	changes := [_with_actions(_subnet("aws_subnet.a"), ["delete"])]
	_subnet_refs(_m) == set() with input as _refs_plan(["aws_subnet.a.id"], changes)
}

test_referenced_resolves_in_the_same_module_instance if {
	rc := _in_module(_model("aws_sagemaker_model.m"), `module.net["x"]`)
	changes := [
		_subnet("aws_subnet.a"),
		_in_module(_subnet("aws_subnet.a"), `module.net["x"]`),
		_in_module(_subnet("aws_subnet.a"), `module.net["y"]`),
	]
	root := {"module_calls": {"net": {"module": {"resources": [_config("aws_sagemaker_model.m", ["aws_subnet.a.id"])]}}}}
	_subnet_refs(rc) == {`module.net["x"].aws_subnet.a`} with input as _plan(changes, root)
}

test_referenced_empty_without_configuration if {
	rc := _model("aws_sagemaker_model.m")
	_subnet_refs(rc) == set() with input as {"resource_changes": [_subnet("aws_subnet.a")]}
}

# ---------------------------------------------------------------------------
# set_or_planned

test_set_or_planned_when_known_and_nonempty if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {"vpc_config": [{"subnets": ["subnet-1"]}]}, {})
	plan.set_or_planned(rc, _subnets, "aws_subnet") with input as _plan([rc], {})
}

test_set_or_planned_when_unknown_and_created_in_plan if {
	rc := _model_unknown_subnets("aws_sagemaker_model.m")
	root := {"resources": [_config("aws_sagemaker_model.m", ["aws_subnet.a.id", "aws_subnet.a"])]}
	plan.set_or_planned(rc, _subnets, "aws_subnet") with input as _plan([rc, _subnet("aws_subnet.a")], root)
}

test_not_set_or_planned_when_unknown_and_not_in_plan if {
	rc := _model_unknown_subnets("aws_sagemaker_model.m")
	root := {"resources": [_config("aws_sagemaker_model.m", ["var.subnets"])]}
	not plan.set_or_planned(rc, _subnets, "aws_subnet") with input as _plan([rc, _subnet("aws_subnet.a")], root)
}

test_not_set_or_planned_when_empty if {
	rc := _rc("aws_sagemaker_model.m", "aws_sagemaker_model", {"vpc_config": [{"subnets": []}]}, {})
	not plan.set_or_planned(rc, _subnets, "aws_subnet") with input as _plan([rc], {})
}

# ---------------------------------------------------------------------------
# result

test_result_carries_address_and_message if {
	plan.result(_model(`module.a["x"].aws_sagemaker_model.m`), "problem") == {
		"address": `module.a["x"].aws_sagemaker_model.m`,
		"message": "problem",
	}
}
