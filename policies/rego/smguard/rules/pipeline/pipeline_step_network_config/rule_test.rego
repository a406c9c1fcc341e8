package smguard.rules.pipeline.pipeline_step_network_config_test

import data.smguard.rules.pipeline.pipeline_step_network_config as rule

# ---------------------------------------------------------------------------
# Fixtures

_address := "aws_sagemaker_pipeline.p"

_pipeline_change(after, after_unknown) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_pipeline",
	"change": {
		"actions": ["create"],
		"after": object.union(
			{
				"pipeline_name": "churn",
				"pipeline_display_name": "churn",
				"pipeline_definition_s3_location": [],
				"role_arn": "arn:aws:iam::123456789012:role/pipeline",
			},
			after,
		),
		"after_unknown": object.union({"arn": true, "id": true, "pipeline_definition_s3_location": []}, after_unknown),
	},
}

_pipeline(steps) := _pipeline_change(
	{"pipeline_definition": json.marshal({"Version": "2020-12-01", "Steps": steps})},
	{},
)

_vpc := {"Subnets": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]}

_processing(name, network_config) := {"Name": name, "Type": "Processing", "Arguments": {
	"AppSpecification": {"ImageUri": "123456789012.dkr.ecr.us-west-2.amazonaws.com/prep:1"},
	"NetworkConfig": network_config,
	"RoleArn": "arn:aws:iam::123456789012:role/pipeline",
}}

_training(name, settings) := {"Name": name, "Type": "Training", "Arguments": object.union(
	{
		"AlgorithmSpecification": {"TrainingImage": "123456789012.dkr.ecr.us-west-2.amazonaws.com/train:1"},
		"RoleArn": "arn:aws:iam::123456789012:role/pipeline",
	},
	settings,
)}

_isolated_in_vpc := {"EnableNetworkIsolation": true, "VpcConfig": _vpc}

_tuning(name, arguments) := {"Name": name, "Type": "Tuning", "Arguments": object.union(
	{"HyperParameterTuningJobConfig": {"Strategy": "Bayesian"}},
	arguments,
)}

_model_step(name, settings) := {"Name": name, "Type": "Model", "Arguments": object.union(
	{"ExecutionRoleArn": "arn:aws:iam::123456789012:role/pipeline"},
	settings,
)}

_transform(name, model_name) := {"Name": name, "Type": "Transform", "Arguments": {
	"ModelName": model_name,
	"TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m5.large"},
}}

_condition(name, if_steps, else_steps) := {"Name": name, "Type": "Condition", "Arguments": {
	"Conditions": [],
	"IfSteps": if_steps,
	"ElseSteps": else_steps,
}}

_model(address, after) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {"actions": ["create"], "after": after, "after_unknown": {"arn": true}},
}

_vpc_only := {"pipelines": {"minimum": "vpc"}}

_isolation_only := {"pipelines": {"minimum": "isolation"}}

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_addresses(findings) := {f.address | some f in findings}

_message(findings) := f.message if {
	some f in findings
	f.address == _address
}

# ---------------------------------------------------------------------------
# Compliant

test_compliant_steps_of_every_type_pass if {
	plan_input := _plan([_pipeline([
		_processing("Prep", _isolated_in_vpc),
		_training("Train", _isolated_in_vpc),
		_tuning("Tune", {"TrainingJobDefinition": _isolated_in_vpc}),
		_tuning("TuneMany", {"TrainingJobDefinitions": [_isolated_in_vpc, _isolated_in_vpc]}),
		_model_step("CreateModel", _isolated_in_vpc),
		_transform("Batch", {"Get": "Steps.CreateModel.ModelName"}),
		{"Name": "Register", "Type": "RegisterModel", "Arguments": {}},
		{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": "stop"}},
	])])
	count(rule.deny) == 0 with input as plan_input
	count(rule.warn) == 0 with input as plan_input
}

test_transform_on_compliant_model_in_plan_passes if {
	model := _model("aws_sagemaker_model.batch", {
		"name": "churn-batch",
		"enable_network_isolation": true,
		"vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
	})
	plan_input := _plan([_pipeline([_transform("Batch", "churn-batch")]), model])
	count(rule.deny) == 0 with input as plan_input
	count(rule.warn) == 0 with input as plan_input
}

test_pipeline_without_job_steps_passes if {
	plan_input := _plan([_pipeline([{"Name": "Stop", "Type": "Fail", "Arguments": {"ErrorMessage": "stop"}}])])
	count(rule.deny) == 0 with input as plan_input
	count(rule.warn) == 0 with input as plan_input
}

test_other_resource_types_ignored if {
	other := object.union(
		_pipeline([_training("Train", {})]),
		{"address": "aws_sagemaker_model.p", "type": "aws_sagemaker_model"},
	)
	plan_input := _plan([other])
	count(rule.deny) == 0 with input as plan_input
	count(rule.warn) == 0 with input as plan_input
}

# ---------------------------------------------------------------------------
# Failing steps

test_processing_step_without_network_config_denied if {
	step := {"Name": "Prep", "Type": "Processing", "Arguments": {"RoleArn": "arn:aws:iam::123456789012:role/p"}}
	plan_input := _plan([_pipeline([step])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Prep (Processing): no NetworkConfig")
}

test_processing_step_without_isolation_denied if {
	plan_input := _plan([_pipeline([_processing("Prep", {"EnableNetworkIsolation": false, "VpcConfig": _vpc})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Prep (Processing): NetworkConfig.EnableNetworkIsolation is not true")
}

test_training_step_without_settings_denied if {
	plan_input := _plan([_pipeline([_training("Train", {})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Train (Training): EnableNetworkIsolation is not set, VpcConfig is missing")
}

test_training_step_with_empty_vpc_lists_denied if {
	vpc := {"Subnets": [], "SecurityGroupIds": [""]}
	nested := {"Subnets": [["subnet-1"]], "SecurityGroupIds": ["sg-1"]}
	nested_input := _plan([_pipeline([_training("Train", {"EnableNetworkIsolation": true, "VpcConfig": nested})])])
	contains(_message(rule.deny), "VpcConfig.Subnets contains an empty or non-string value") with input as nested_input
	plan_input := _plan([_pipeline([_training("Train", {"EnableNetworkIsolation": true, "VpcConfig": vpc})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "VpcConfig.Subnets is empty")
	contains(msg, "VpcConfig.SecurityGroupIds contains an empty or non-string value")
}

test_string_true_is_not_true if {
	plan_input := _plan([_pipeline([_training("Train", {"EnableNetworkIsolation": "true", "VpcConfig": _vpc})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "EnableNetworkIsolation is not true")
}

test_tuning_step_checks_every_training_job_definition if {
	definitions := [_isolated_in_vpc, {"EnableNetworkIsolation": true}]
	plan_input := _plan([_pipeline([_tuning("Tune", {"TrainingJobDefinitions": definitions})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Tune (Tuning): TrainingJobDefinitions[1].VpcConfig is missing")
	not contains(msg, "TrainingJobDefinitions[0]")
}

test_tuning_step_without_training_job_definition_denied if {
	plan_input := _plan([_pipeline([_tuning("Tune", {})])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Tune (Tuning): no TrainingJobDefinition")
}

test_transform_step_on_model_step_without_vpc_denied if {
	steps := [
		_model_step("CreateModel", {"EnableNetworkIsolation": true}),
		_transform("Batch", {"Get": "Steps.CreateModel.ModelName"}),
	]
	plan_input := _plan([_pipeline(steps)])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Batch (Transform): model step CreateModel: VpcConfig is missing")
}

test_transform_step_on_non_compliant_model_in_plan_denied if {
	model := _model(
		"aws_sagemaker_model.batch",
		{"name": "churn-batch", "enable_network_isolation": false, "vpc_config": []},
	)
	plan_input := _plan([_pipeline([_transform("Batch", "churn-batch")]), model])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "model aws_sagemaker_model.batch: enable_network_isolation is not true")
	contains(msg, "model aws_sagemaker_model.batch: vpc_config is missing or incomplete")
}

test_transform_step_without_model_name_denied if {
	step := {"Name": "Batch", "Type": "Transform", "Arguments": {}}
	plan_input := _plan([_pipeline([step])])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Batch (Transform): ModelName is not set")
}

test_steps_inside_condition_steps_checked if {
	steps := [_condition("Check", [_training("Retrain", {})], [_condition("Inner", [], [_processing("Report", {})])])]
	plan_input := _plan([_pipeline(steps)])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Retrain (Training)")
	contains(msg, "Report (Processing)")
}

test_one_finding_lists_every_offending_step if {
	steps := [
		_processing("Prep", _isolated_in_vpc),
		_training("Train", {"VpcConfig": _vpc}),
		{"Name": "Eval", "Type": "Processing", "Arguments": {}},
	]
	findings := rule.deny with input as _plan([_pipeline(steps)])
	count(findings) == 1
	msg := _message(findings)
	contains(msg, "Eval (Processing): no NetworkConfig; Train (Training): EnableNetworkIsolation is not set")
	not contains(msg, "Prep")
}

test_offending_and_unverifiable_steps_in_one_denial if {
	steps := [
		_training("Train", {"VpcConfig": _vpc}),
		_processing("Prep", {"EnableNetworkIsolation": {"Get": "Parameters.Isolate"}, "VpcConfig": _vpc}),
	]
	plan_input := _plan([_pipeline(steps)])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "Train (Training)")
	contains(msg, "cannot be verified: Prep (Processing)")
	contains(msg, "NetworkConfig.EnableNetworkIsolation refers to Parameters.Isolate")
}

# ---------------------------------------------------------------------------
# Warnings: values only known when the pipeline runs

test_parameter_reference_warned if {
	settings := {"EnableNetworkIsolation": {"Get": "Parameters.Isolate"}, "VpcConfig": _vpc}
	plan_input := _plan([_pipeline([_training("Train", settings)])])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "Train (Training): EnableNetworkIsolation refers to Parameters.Isolate")
}

test_parameter_reference_in_vpc_lists_warned if {
	vpc := {"Subnets": [{"Get": "Parameters.SubnetA"}, "subnet-2"], "SecurityGroupIds": {"Get": "Parameters.Groups"}}
	plan_input := _plan([_pipeline([_processing("Prep", {"EnableNetworkIsolation": true, "VpcConfig": vpc})])])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "NetworkConfig.VpcConfig.Subnets refers to Parameters.SubnetA")
	contains(msg, "NetworkConfig.VpcConfig.SecurityGroupIds refers to Parameters.Groups")
}

test_pipeline_function_warned if {
	settings := {"EnableNetworkIsolation": true, "VpcConfig": {
		"Subnets": [{"Std:Join": {"On": "", "Values": ["subnet-", {"Get": "Parameters.Suffix"}]}}],
		"SecurityGroupIds": ["sg-1"],
	}}
	plan_input := _plan([_pipeline([_training("Train", settings)])])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "is computed by Std:Join")
}

test_transform_model_name_parameter_warned if {
	plan_input := _plan([_pipeline([_transform("Batch", {"Get": "Parameters.ModelName"})])])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "Batch (Transform): ModelName refers to Parameters.ModelName")
}

test_transform_model_outside_plan_warned if {
	plan_input := _plan([_pipeline([_transform("Batch", "existing-model")])])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, `model "existing-model" is not in this plan`)
}

test_transform_model_with_unresolved_vpc_warned if {
	model := {
		"address": "aws_sagemaker_model.batch",
		"mode": "managed",
		"type": "aws_sagemaker_model",
		"change": {
			"actions": ["create"],
			"after": {"name": "churn-batch", "enable_network_isolation": true, "vpc_config": [{}]},
			"after_unknown": {"vpc_config": [{"subnets": true, "security_group_ids": true}]},
		},
	}
	plan_input := _plan([_pipeline([_transform("Batch", "churn-batch")]), model])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "vpc_config is unknown until apply")
}

test_definition_in_s3_warned if {
	rc := _pipeline_change(
		{
			"pipeline_definition": null,
			"pipeline_definition_s3_location": [{"bucket": "ml-pipelines", "object_key": "churn.json"}],
		},
		{"pipeline_definition_s3_location": [{}]},
	)
	plan_input := _plan([rc])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "s3://ml-pipelines/churn.json")
	contains(msg, "cannot be verified")
}

test_definition_unknown_until_apply_warned if {
	rc := _pipeline_change({}, {"pipeline_definition": true})
	plan_input := _plan([rc])
	count(rule.deny) == 0 with input as plan_input
	msg := _message(rule.warn) with input as plan_input
	contains(msg, "pipeline_definition is unknown until apply")
}

# ---------------------------------------------------------------------------
# Definitions that are not pipeline definitions

test_invalid_json_denied if {
	rc := _pipeline_change({"pipeline_definition": `{"Version": "2020-12-01", "Steps": [`}, {})
	plan_input := _plan([rc])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "not valid JSON")
}

test_json_that_is_not_an_object_denied if {
	rc := _pipeline_change({"pipeline_definition": "[]"}, {})
	plan_input := _plan([rc])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "not a JSON object")
}

test_no_definition_denied if {
	rc := _pipeline_change({"pipeline_definition": null}, {})
	plan_input := _plan([rc])
	count(rule.warn) == 0 with input as plan_input
	msg := _message(rule.deny) with input as plan_input
	contains(msg, "neither pipeline_definition nor pipeline_definition_s3_location is set")
}

# ---------------------------------------------------------------------------
# pipelines.minimum

test_minimum_vpc_requires_only_the_vpc if {
	changes := [_pipeline([_training("Train", {"VpcConfig": _vpc})])]
	count(rule.deny) == 0 with input as _plan(changes) with data.smguard.config.settings as _vpc_only
	count(rule.warn) == 0 with input as _plan(changes) with data.smguard.config.settings as _vpc_only
}

test_minimum_vpc_still_requires_the_vpc if {
	changes := [_pipeline([_training("Train", {"EnableNetworkIsolation": true})])]
	msg := _message(rule.deny) with input as _plan(changes)
		with data.smguard.config.settings as _vpc_only
	contains(msg, "Train (Training): VpcConfig is missing")
	not contains(msg, "EnableNetworkIsolation")
	contains(msg, "(pipelines.minimum vpc)")
}

test_minimum_vpc_ignores_isolation_parameters if {
	changes := [_pipeline([_training("Train", {"EnableNetworkIsolation": {"Get": "Parameters.I"}, "VpcConfig": _vpc})])]
	count(rule.warn) == 0 with input as _plan(changes) with data.smguard.config.settings as _vpc_only
}

test_minimum_isolation_requires_only_isolation if {
	changes := [_pipeline([_processing("Prep", {"EnableNetworkIsolation": true})])]
	count(rule.deny) == 0 with input as _plan(changes)
		with data.smguard.config.settings as _isolation_only
	count(rule.warn) == 0 with input as _plan(changes)
		with data.smguard.config.settings as _isolation_only
}

test_minimum_isolation_still_requires_isolation if {
	changes := [_pipeline([_processing("Prep", {"VpcConfig": _vpc})])]
	msg := _message(rule.deny) with input as _plan(changes)
		with data.smguard.config.settings as _isolation_only
	contains(msg, "Prep (Processing): NetworkConfig.EnableNetworkIsolation is not set")
	not contains(msg, "VpcConfig")
}

test_minimum_isolation_checks_transform_models_for_isolation_only if {
	model := _model(
		"aws_sagemaker_model.batch",
		{"name": "churn-batch", "enable_network_isolation": true, "vpc_config": []},
	)
	changes := [_pipeline([_transform("Batch", "churn-batch")]), model]
	count(rule.deny) == 0 with input as _plan(changes)
		with data.smguard.config.settings as _isolation_only
	count(rule.deny) == 1 with input as _plan(changes)
}

test_processing_without_network_config_fails_under_every_minimum if {
	changes := [_pipeline([{"Name": "Prep", "Type": "Processing", "Arguments": {}}])]
	every minimum in ["isolation_and_vpc", "vpc", "isolation"] {
		_addresses(rule.deny) == {_address} with input as _plan(changes)
			with data.smguard.config.settings as {"pipelines": {"minimum": minimum}}
	}
}

test_unexpected_minimum_requires_both if {
	changes := [_pipeline([_training("Train", {"VpcConfig": _vpc})])]
	msg := _message(rule.deny) with input as _plan(changes)
		with data.smguard.config.settings as {"pipelines": {"minimum": "none"}}
	contains(msg, "EnableNetworkIsolation is not set")
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_pipeline_ignored if {
	rc := object.union(_pipeline([_training("Train", {})]), {"change": {"actions": ["delete"]}})
	plan_input := _plan([rc])
	count(rule.deny) == 0 with input as plan_input
	count(rule.warn) == 0 with input as plan_input
}

test_updated_pipeline_checked if {
	rc := object.union(_pipeline([_training("Train", {})]), {"change": {"actions": ["update"]}})
	_addresses(rule.deny) == {_address} with input as _plan([rc])
}

test_child_module_pipeline_reported_with_full_address if {
	rc := object.union(_pipeline([_training("Train", {})]), {
		"address": "module.ml.aws_sagemaker_pipeline.p",
		"module_address": "module.ml",
	})
	_addresses(rule.deny) == {"module.ml.aws_sagemaker_pipeline.p"} with input as _plan([rc])
}
