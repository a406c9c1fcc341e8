# METADATA
# title: SageMaker pipelines must run their jobs with network isolation and in a VPC
# description: |
#   A pipeline's Processing, Training and Tuning steps start SageMaker jobs, and its
#   Transform steps start batch transform jobs that run a model with that model's
#   network settings. Every such step must carry what the `pipelines.minimum` setting
#   requires: network isolation and a VPC (the default), only the VPC, or only
#   isolation. Pipeline parameters, and definitions stored in S3 or unknown until
#   apply, cannot be verified from the plan and are reported as warnings.
# custom:
#   id: SMG-PIPELINE-001
#   severity: high
#   resources: [aws_sagemaker_pipeline]
#   reads: [aws_sagemaker_model, aws_subnet, aws_security_group]
#   remediation: >-
#     In the `pipeline_definition` of the `aws_sagemaker_pipeline`, give every Processing step
#     `Arguments.NetworkConfig` with `EnableNetworkIsolation = true` and a `VpcConfig` (`Subnets`,
#     `SecurityGroupIds`); every Training step, and every training job definition of a Tuning
#     step, `EnableNetworkIsolation = true` and a `VpcConfig`; and run Transform steps on models
#     with network isolation and a VPC configuration.
#   aws_concept: >-
#     NetworkConfig (CreateProcessingJob), EnableNetworkIsolation and VpcConfig
#     (CreateTrainingJob, CreateHyperParameterTuningJob, CreateModel) in the pipeline definition
package smguard.rules.pipeline.pipeline_step_network_config

import data.smguard.lib.config
import data.smguard.lib.plan

# Where each step type keeps its network settings (pipeline definition JSON
# schema; a step's Arguments are the request of the API call it makes):
# - Processing: Arguments.NetworkConfig.{EnableNetworkIsolation, VpcConfig}
#   (CreateProcessingJob).
# - Training: Arguments.EnableNetworkIsolation and Arguments.VpcConfig
#   (CreateTrainingJob).
# - Tuning: the same two keys in Arguments.TrainingJobDefinition and in every
#   element of Arguments.TrainingJobDefinitions (CreateHyperParameterTuningJob).
# - Transform: CreateTransformJob has no network settings; the job runs the model
#   named by Arguments.ModelName with that model's EnableNetworkIsolation and
#   VpcConfig. The model is a Model step of this pipeline (`{"Get":
#   "Steps.<step>.ModelName"}`) or, by name, an aws_sagemaker_model in the plan.
# Steps nested in Condition steps (IfSteps, ElseSteps) are checked too.
_job_types := {"Processing", "Training", "Tuning", "Transform"}

# "isolation_and_vpc" (default), "vpc" or "isolation". Any other value requires
# both: the strictest reading.
_minimum := config.setting(["pipelines", "minimum"])

_requires_isolation if _minimum != "vpc"

_requires_vpc if _minimum != "isolation"

default _requirement := "EnableNetworkIsolation true"

_requirement := "EnableNetworkIsolation true and a VpcConfig with Subnets and SecurityGroupIds" if {
	_requires_isolation
	_requires_vpc
} else := "a VpcConfig with Subnets and SecurityGroupIds" if {
	_requires_vpc
}

_minimum_text := _minimum if is_string(_minimum)

else := json.marshal(_minimum)

deny contains plan.result(rc, verdict[1]) if {
	some rc in plan.resources("aws_sagemaker_pipeline")
	verdict := object.get(_verdicts, rc.address, [])
	verdict[0] == "deny"
}

warn contains plan.result(rc, verdict[1]) if {
	some rc in plan.resources("aws_sagemaker_pipeline")
	verdict := object.get(_verdicts, rc.address, [])
	verdict[0] == "warn"
}

# Each pipeline's definition is parsed and checked once, by address (a
# comprehension: object rules are quadratic in their keys in OPA, see lib/plan).
# regal ignore:prefer-set-or-object-rule
_verdicts := {rc.address: _verdict(rc) | some rc in plan.resources("aws_sagemaker_pipeline")}

# One verdict per pipeline: ["deny" | "warn" | "pass", message].
_verdict(rc) := ["warn", "pipeline_definition is unknown until apply; its steps cannot be verified"] if {
	plan.unknown(rc, ["pipeline_definition"])
} else := _definition_verdict(definition) if {
	definition := plan.value(rc, ["pipeline_definition"])
	is_string(definition)
} else := ["warn", _s3_message(rc)] if {
	_s3_location(rc)
} else := ["deny", "neither pipeline_definition nor pipeline_definition_s3_location is set"]

_s3_location(rc) if plan.unknown(rc, ["pipeline_definition_s3_location"])

_s3_location(rc) if plan.nonempty(plan.value(rc, ["pipeline_definition_s3_location"]))

_s3_message(rc) := concat("", [
	"the pipeline definition is read from s3://", bucket, "/", key,
	" (pipeline_definition_s3_location); its steps cannot be verified from the plan",
]) if {
	bucket := plan.value(rc, ["pipeline_definition_s3_location", 0, "bucket"])
	is_string(bucket)
	key := plan.value(rc, ["pipeline_definition_s3_location", 0, "object_key"])
	is_string(key)
} else := concat(" ", [
	"the pipeline definition is read from pipeline_definition_s3_location;",
	"its steps cannot be verified from the plan",
])

_definition_verdict(text) := ["deny", "pipeline_definition is not valid JSON"] if {
	not json.is_valid(text)
} else := ["deny", "pipeline_definition is not a JSON object"] if {
	not is_object(json.unmarshal(text))
} else := _summary(_checked_steps(json.unmarshal(text)))

_summary(checked) := ["deny", msg] if {
	failing := sort([_describe(c.label, c.problems) | some c in checked; count(c.problems) > 0])
	count(failing) > 0
	unverified := sort([_describe(c.label, c.unverified) |
		some c in checked
		count(c.problems) == 0
		count(c.unverified) > 0
	])
	msg := concat("", [
		"steps without ", _requirement, " (pipelines.minimum ", _minimum_text, "): ",
		concat("; ", failing), _also_unverified(unverified),
	])
} else := ["warn", msg] if {
	unverified := sort([_describe(c.label, c.unverified) | some c in checked; count(c.unverified) > 0])
	count(unverified) > 0
	msg := concat("", [
		"network settings of steps cannot be verified from the plan (pipelines.minimum ",
		_minimum_text, "): ", concat("; ", unverified),
	])
} else := ["pass", ""]

_also_unverified(unverified) := "" if {
	count(unverified) == 0
} else := concat("", ["; cannot be verified: ", concat("; ", unverified)])

_describe(label, notes) := concat(": ", [label, concat(", ", notes)])

# Every step that starts a job, with what is wrong with it and what cannot be
# verified.
_checked_steps(definition) := [{"label": _label(step), "problems": c.problems, "unverified": c.unverified} |
	some step in _steps(definition)
	step.Type in _job_types
	c := _check(step, definition)
]

# Steps at the top level and inside Condition steps, at any depth.
_steps(definition) := [step |
	walk(definition, [path, step])
	count(path) > 1
	path[count(path) - 2] in {"Steps", "IfSteps", "ElseSteps"}
	is_number(path[count(path) - 1])
	is_object(step)
]

_label(step) := concat("", [step.Name, " (", step.Type, ")"]) if is_string(step.Name)

else := concat("", ["unnamed step (", step.Type, ")"])

_arguments(step) := step.Arguments if is_object(step.Arguments)

else := {}

_check(step, definition) := {"problems": ["no NetworkConfig"], "unverified": []} if {
	step.Type == "Processing"
	not is_object(object.get(_arguments(step), "NetworkConfig", null))
} else := _units_check([_unit("NetworkConfig.", object.get(_arguments(step), "NetworkConfig", null))]) if {
	step.Type == "Processing"
} else := _units_check([_unit("", _arguments(step))]) if {
	step.Type == "Training"
} else := {"problems": ["no TrainingJobDefinition or TrainingJobDefinitions"], "unverified": []} if {
	step.Type == "Tuning"
	count(_tuning_definitions(step)) == 0
} else := _units_check([_unit(label, d) | some [label, d] in _tuning_definitions(step)]) if {
	step.Type == "Tuning"
} else := _transform_check(object.get(_arguments(step), "ModelName", null), definition)

_tuning_definitions(step) := array.concat(
	[["TrainingJobDefinition.", d] | d := object.get(_arguments(step), "TrainingJobDefinition", null); is_object(d)],
	[[sprintf("TrainingJobDefinitions[%d].", [i]), d] |
		some i, d in object.get(_arguments(step), "TrainingJobDefinitions", [])
		is_object(d)
	],
)

# The network settings of one job (or model): label, EnableNetworkIsolation,
# VpcConfig; null when absent.
_unit(label, request) := {
	"label": label,
	"isolation": object.get(request, "EnableNetworkIsolation", null),
	"vpc": object.get(request, "VpcConfig", null),
}

_units_check(settings) := {
	"problems": [p | some u in settings; some p in array.concat(_isolation_problems(u), _vpc_problems(u))],
	"unverified": [v | some u in settings; some v in array.concat(_isolation_unverified(u), _vpc_unverified(u))],
}

# A pipeline expression: a parameter or property reference ({"Get": ...}) or a
# function such as {"Std:Join": ...}. Its value is only known when the
# pipeline runs.
_expression(v) if is_string(v.Get)

_expression(v) if {
	is_object(v)
	some key, _ in v
	startswith(key, "Std:")
}

_refers(v) := concat("", ["refers to ", v.Get]) if is_string(v.Get)

else := concat("", ["is computed by ", concat(", ", sort(object.keys(v)))])

_isolation_problems(u) := [] if {
	not _requires_isolation
} else := [] if {
	u.isolation == true
} else := [] if {
	_expression(u.isolation)
} else := [concat("", [u.label, "EnableNetworkIsolation is not set"])] if {
	u.isolation == null
} else := [concat("", [u.label, "EnableNetworkIsolation is not true"])]

_isolation_unverified(u) := [concat("", [u.label, "EnableNetworkIsolation ", _refers(u.isolation)])] if {
	_requires_isolation
	_expression(u.isolation)
} else := []

_vpc_problems(u) := [] if {
	not _requires_vpc
} else := [] if {
	_expression(u.vpc)
} else := [concat("", [u.label, "VpcConfig is missing"])] if {
	not is_object(u.vpc)
} else := [concat("", [u.label, "VpcConfig.", field, problem]) |
	some field in ["Subnets", "SecurityGroupIds"]
	problem := _list_problem(object.get(u.vpc, field, null))
]

_list_problem(list) := " is empty" if {
	not _expression(list)
	not plan.nonempty(list)
} else := " contains an empty or non-string value" if {
	is_array(list)
	some e in list
	not _expression(e)
	not _id(e)
}

# A subnet or security group id: a non-empty string.
_id(v) if {
	is_string(v)
	v != ""
}

_vpc_unverified(u) := [] if {
	not _requires_vpc
} else := [concat("", [u.label, "VpcConfig ", _refers(u.vpc)])] if {
	_expression(u.vpc)
} else := [concat("", [u.label, "VpcConfig.", field, " ", concat(", ", refs)]) |
	some field in ["Subnets", "SecurityGroupIds"]
	refs := _list_refs(object.get(u.vpc, field, null))
	count(refs) > 0
] if {
	is_object(u.vpc)
} else := []

_list_refs(list) := [_refers(list)] if _expression(list)

else := [_refers(e) | some e in list; _expression(e)] if is_array(list)

else := []

# Transform steps: the model's settings decide.
_transform_check(name, definition) := _units_check([_unit(concat("", ["model step ", step_name, ": "]), args)]) if {
	step_name := _model_step_name(name)
	model_steps := [s | some s in _steps(definition); s.Name == step_name; s.Type == "Model"]
	count(model_steps) > 0
	args := _arguments(model_steps[0])
} else := {"problems": [], "unverified": [concat("", ["ModelName ", _refers(name)])]} if {
	_expression(name)
} else := _plan_model_check(name) if {
	count(plan.named("aws_sagemaker_model", name)) > 0
} else := {"problems": [], "unverified": [concat("", ["model \"", name, "\" is not in this plan"])]} if {
	is_string(name)
} else := {"problems": ["ModelName is not set"], "unverified": []}

# {"Get": "Steps.<step>.ModelName"}: the ModelName property of a Model step.
_model_step_name(v) := parts[1] if {
	parts := split(v.Get, ".")
	count(parts) == 3
	parts[0] == "Steps"
	parts[2] == "ModelName"
}

_plan_model_check(name) := {
	"problems": [p | some m in models; some p in _model_problems(m)],
	"unverified": [v | some m in models; some v in _model_unverified(m)],
} if {
	models := plan.named("aws_sagemaker_model", name)
}

_model_subnets := ["vpc_config", 0, "subnets"]

_model_groups := ["vpc_config", 0, "security_group_ids"]

_model_problems(m) := array.concat(
	[concat("", ["model ", m.address, ": enable_network_isolation is not true"]) |
		_requires_isolation
		plan.value(m, ["enable_network_isolation"]) != true
	],
	[concat("", ["model ", m.address, ": vpc_config is missing or incomplete"]) |
		_requires_vpc
		not _model_in_vpc(m)
		not _model_vpc_unresolved(m)
	],
)

_model_unverified(m) := [concat("", [
	"model ", m.address,
	": vpc_config is unknown until apply and does not refer to subnets and security groups in this plan",
]) |
	_requires_vpc
	not _model_in_vpc(m)
	_model_vpc_unresolved(m)
]

_model_in_vpc(m) if {
	plan.set_or_planned(m, _model_subnets, "aws_subnet")
	plan.set_or_planned(m, _model_groups, "aws_security_group")
}

_present_or_unknown(m, path) if plan.unknown(m, path)

_present_or_unknown(m, path) if plan.known_nonempty(m, path)

_model_vpc_unresolved(m) if {
	_present_or_unknown(m, _model_subnets)
	_present_or_unknown(m, _model_groups)
	some [path, type] in [[_model_subnets, "aws_subnet"], [_model_groups, "aws_security_group"]]
	plan.unknown(m, path)
	not plan.set_or_planned(m, path, type)
}
