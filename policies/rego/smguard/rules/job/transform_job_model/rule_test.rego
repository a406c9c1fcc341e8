package smguard.rules.job.transform_job_model_test

import data.smguard.rules.job.transform_job_model

_rc(type, name, after) := {
	"address": sprintf("%s.%s[\"us-east-1\"]", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"index": "us-east-1",
	"change": {"actions": ["no-op"], "after": object.union({"region": "us-east-1"}, after), "after_unknown": {}},
}

_job(model_name) := _rc("aws_sagemaker_transform_job", "x", {"name": "x", "model_name": model_name})

_model(name, isolated) := _rc("aws_sagemaker_model", name, {
	"name": name,
	"enable_network_isolation": isolated,
	"vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
	"primary_container": [{"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference:1"}],
})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_x := "aws_sagemaker_transform_job.x[\"us-east-1\"]"

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

test_job_on_a_compliant_model_passes if {
	changes := [_job("good"), _model("good", true)]
	count(transform_job_model.deny) == 0 with input as _plan(changes)
	count(transform_job_model.warn) == 0 with input as _plan(changes)
}

test_job_on_a_model_without_isolation_denied if {
	changes := [_job("open"), _model("open", false)]
	findings := transform_job_model.deny with input as _plan(changes)
	{f.address | some f in findings} == {_x}
	contains(_message(findings, _x), "aws_sagemaker_model.open[\"us-east-1\"]")
	contains(_message(findings, _x), "SMG-MODEL-001")
	count(transform_job_model.warn) == 0 with input as _plan(changes)
}

test_model_of_another_name_does_not_count if {
	changes := [_job("gone"), _model("other", true)]
	findings := transform_job_model.warn with input as _plan(changes)
	contains(_message(findings, _x), "\"gone\" is not in the account")
	count(transform_job_model.deny) == 0 with input as _plan(changes)
}

test_missing_model_name_warned if {
	rc := _rc("aws_sagemaker_transform_job", "x", {"name": "x"})
	findings := transform_job_model.warn with input as _plan([rc])
	contains(_message(findings, _x), "model_name is not set")
}

test_unknown_model_name_warned if {
	rc := object.union(_job(null), {"change": {"after_unknown": {"model_name": true}}})
	findings := transform_job_model.warn with input as _plan([rc])
	contains(_message(findings, _x), "model_name is unknown")
}

test_model_the_model_rules_warn_about_warned if {
	model := object.union(_model("half", true), {"change": {"after_unknown": {"vpc_config": true}}})
	changes := [_job("half"), model]
	findings := transform_job_model.warn with input as _plan(changes)
	contains(_message(findings, _x), "could not be fully verified")
	count(transform_job_model.deny) == 0 with input as _plan(changes)
}
