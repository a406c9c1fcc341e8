package smguard.lib.hcl2_test

import data.smguard.lib.hcl2

# ---------------------------------------------------------------------------
# Fixtures: conftest's HCL2 parse, as `conftest parse main.tf` prints it.

_source(type, name, body) := {"resource": {type: {name: [body]}}}

_model_body := {
	"name": "m",
	"enable_network_isolation": false,
	"execution_role_arn": "${aws_iam_role.r.arn}",
	"primary_container": [{
		"image": "123.dkr.ecr.us-east-1.amazonaws.com/x:1",
		"environment": {"A": "${var.a}", "B": "b"},
	}],
	"vpc_config": [{"subnets": ["${aws_subnet.a.id}", "subnet-1"], "security_group_ids": ["sg-1"]}],
	"depends_on": ["${aws_iam_role.r}"],
	"lifecycle": [{"ignore_changes": ["${tags}"]}],
}

_change(converted, address) := rc if {
	some rc in converted.resource_changes
	rc.address == address
}

_block(converted, address) := block if {
	some block in converted.configuration.root_module.resources
	block.address == address
}

# ---------------------------------------------------------------------------
# Shape

test_shaped_is_top_level_block_types if {
	hcl2.shaped(_source("aws_sagemaker_model", "m", {}))
	hcl2.shaped({"variable": {"x": [{}]}, "locals": [{"a": 1}], "terraform": [{}]})
}

test_a_plan_state_or_other_document_is_not_shaped if {
	not hcl2.shaped({"format_version": "1.2", "resource_changes": []})
	not hcl2.shaped({"version": 4, "resources": []})
	not hcl2.shaped({"resource": {}, "region": "us-east-1"})
	not hcl2.shaped({})
	not hcl2.shaped([_source("aws_sagemaker_model", "m", {})])
	not hcl2.shaped("resource")
}

test_terraform_json_syntax_is_not_shaped if {
	# main.tf.json: a body is an object, and so may a nested block be
	not hcl2.shaped({"resource": {"aws_sagemaker_model": {"m": {"enable_network_isolation": true}}}})
}

test_no_plan_for_other_input if {
	not hcl2.plan with input as {"format_version": "1.2", "resource_changes": []}
	not hcl2.plan with input as {}
	not hcl2.plan with input as [{"path": "plan.json", "contents": {"resource_changes": []}}]
}

# ---------------------------------------------------------------------------
# Resource changes

test_a_resource_is_a_created_managed_change if {
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", _model_body)
	rc := _change(converted, "aws_sagemaker_model.m")
	rc.type == "aws_sagemaker_model"
	rc.name == "m"
	rc.mode == "managed"
	rc.change.actions == ["create"]
}

test_literals_are_after_and_expressions_unknown if {
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", _model_body)
	rc := _change(converted, "aws_sagemaker_model.m")
	rc.change.after.enable_network_isolation == false
	rc.change.after.name == "m"
	not "execution_role_arn" in object.keys(rc.change.after)
	rc.change.after_unknown.execution_role_arn == true
	not "name" in object.keys(rc.change.after_unknown)
}

test_a_block_keeps_its_known_arguments if {
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", _model_body)
	rc := _change(converted, "aws_sagemaker_model.m")
	rc.change.after.primary_container == [{"image": "123.dkr.ecr.us-east-1.amazonaws.com/x:1", "environment": {"B": "b"}}]
	rc.change.after_unknown.primary_container == [{"environment": {"A": true}}]
}

test_a_list_with_an_expression_is_unknown_whole if {
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", _model_body)
	rc := _change(converted, "aws_sagemaker_model.m")
	rc.change.after.vpc_config == [{"security_group_ids": ["sg-1"]}]
	rc.change.after_unknown.vpc_config == [{"subnets": true, "security_group_ids": [false]}]
}

test_meta_arguments_are_not_values if {
	body := object.union(_model_body, {"count": 2, "provider": "${aws.west}"})
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", body)
	rc := _change(converted, "aws_sagemaker_model.m")
	every key in {"count", "provider", "depends_on", "lifecycle"} {
		not key in object.keys(rc.change.after)
		not key in object.keys(rc.change.after_unknown)
	}
}

test_dynamic_blocks_are_unknown if {
	body := {"dynamic": {"vpc_config": [{"for_each": "${var.vpcs}", "content": [{"subnets": "${vpc_config.value}"}]}]}}
	source := _source("aws_sagemaker_model", "m", body)
	converted := hcl2.plan with input as source
	rc := _change(converted, "aws_sagemaker_model.m")
	rc.change.after == {}
	rc.change.after_unknown == {"vpc_config": true}
	"var.vpcs" in _block(converted, "aws_sagemaker_model.m").expressions.vpc_config.references
}

test_no_instance_no_change if {
	source := {"resource": {"aws_sagemaker_model": {
		"none": [{"count": 0}],
		"empty": [{"for_each": {}}],
		"some": [{"count": "${var.n}"}],
	}}}
	converted := hcl2.plan with input as source
	{rc.address | some rc in converted.resource_changes} == {"aws_sagemaker_model.some"}
}

test_escapes_are_literals if {
	body := {"a": "$${x}", "b": "%%{y}", "c": "${x}", "d": "%{if true}y%{endif}", "e": "x-${var.y}"}
	converted := hcl2.plan with input as _source("aws_thing", "t", body)
	rc := _change(converted, "aws_thing.t")
	rc.change.after == {"a": "${x}", "b": "%{y}"}
	rc.change.after_unknown == {"c": true, "d": true, "e": true}
}

test_null_number_and_bool_are_literals if {
	converted := hcl2.plan with input as _source("aws_thing", "t", {"a": null, "b": 5, "c": true})
	rc := _change(converted, "aws_thing.t")
	rc.change.after == {"a": null, "b": 5, "c": true}
	rc.change.after_unknown == {}
}

test_values_below_the_deepest_level_are_taken_whole if {
	deep := [{"l": [{"l": [{"l": [{"l": [{"v": "k", "w": "${var.x}"}]}]}]}]}]
	converted := hcl2.plan with input as _source("aws_thing", "t", {"d": deep})
	rc := _change(converted, "aws_thing.t")

	# the eighth level, the list holding the too-deep block, is unknown
	path := ["d", 0, "l", 0, "l", 0, "l"]
	object.get(rc.change.after, path, "absent") == "absent"
	object.get(rc.change.after_unknown, path, null) == true
}

test_deep_literals_below_the_deepest_level_are_kept if {
	deep := [{"l": [{"l": [{"l": [{"l": [{"v": "k"}]}]}]}]}]
	converted := hcl2.plan with input as _source("aws_thing", "t", {"d": deep})
	rc := _change(converted, "aws_thing.t")
	rc.change.after.d == deep
}

# ---------------------------------------------------------------------------
# Configuration

test_expressions_record_references_and_constants if {
	converted := hcl2.plan with input as _source("aws_sagemaker_model", "m", _model_body)
	block := _block(converted, "aws_sagemaker_model.m")
	block.expressions.name == {"constant_value": "m"}
	block.expressions.execution_role_arn == {"references": ["aws_iam_role.r", "aws_iam_role.r.arn"]}
	block.expressions.vpc_config[0].subnets == {"references": ["aws_subnet.a", "aws_subnet.a.id"]}
	block.expressions.vpc_config[0].security_group_ids == {"constant_value": ["sg-1"]}
	block.expressions.primary_container[0].environment == {"references": ["var.a"]}
}

test_references_of_splats_keys_and_functions if {
	hcl2.references("${aws_subnet.a[*].id}") == ["aws_subnet.a"]
	hcl2.references(`${aws_subnet.a["k"].id}`) == [`aws_subnet.a["k"]`, `aws_subnet.a["k"].id`]
	hcl2.references("${coalesce(var.x, module.m.out)}") == ["module.m", "module.m.out", "var.x"]
	hcl2.references("${timestamp()}") == []
	hcl2.references("literal.text") == []
}

test_combined_variable_values_are_left_out if {
	files := [
		{"path": "terraform.tfvars", "contents": {"region": "us-east-1"}},
		{"path": "prod.auto.tfvars.json", "contents": {"region": "eu-west-1"}},
		{"path": "main.tf", "contents": _source("aws_subnet", "a", {"vpc_id": "vpc-1"})},
	]
	converted := hcl2.plan with input as files
	[rc.address | some rc in converted.resource_changes] == ["aws_subnet.a"]
	not hcl2.plan with input as [files[0]]
	not hcl2.plan with input as array.concat(files, [{"path": "plan.json", "contents": {"resource_changes": []}}])
}

test_combined_files_are_one_plan if {
	files := [
		{"path": "network.tf", "contents": _source("aws_subnet", "a", {"vpc_id": "vpc-1"})},
		{"path": "model.tf", "contents": _source("aws_sagemaker_model", "m", _model_body)},
	]
	converted := hcl2.plan with input as files
	{rc.address | some rc in converted.resource_changes} == {"aws_subnet.a", "aws_sagemaker_model.m"}
}

# ---------------------------------------------------------------------------
# What a verdict on source cannot see

test_note_when_a_value_depends_on_more_than_the_input if {
	hcl2.note with input as _source("aws_sagemaker_model", "m", {"enable_network_isolation": "${var.isolated}"})
	hcl2.note with input as _source("aws_sagemaker_model", "m", {"name": "${timestamp()}"})
}

test_no_note_when_every_reference_is_declared if {
	source := {"resource": {
		"aws_subnet": {"a": [{"vpc_id": "vpc-1"}]},
		"aws_sagemaker_model": {"m": [{
			"vpc_config": [{"subnets": ["${aws_subnet.a[0].id}"]}],
			"depends_on": ["${var.x}"],
		}]},
	}}
	not hcl2.note with input as source
	not hcl2.note with input as _source("aws_sagemaker_model", "m", {"enable_network_isolation": true})
	not hcl2.note with input as _source("aws_subnet", "a", {"vpc_id": "${var.vpc}"})
}

test_module_calls_are_reported_unread if {
	source := {"module": {"notebook": [{"source": "./modules/notebook", "direct_internet_access": "Enabled"}]}}
	msgs := hcl2.unread_modules with input as source
	count(msgs) == 1
	some msg in msgs
	contains(msg, "module.notebook (source ./modules/notebook) is not checked")
}
