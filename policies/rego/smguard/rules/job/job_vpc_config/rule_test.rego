package smguard.rules.job.job_vpc_config_test

import data.smguard.rules.job.job_vpc_config

_job(type, name, after) := {
	"address": sprintf("%s.%s[\"eu-west-1\"]", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"index": "eu-west-1",
	"change": {
		"actions": ["no-op"],
		"after": object.union({"name": name, "region": "eu-west-1"}, after),
		"after_unknown": {},
	},
}

_training(after) := _job("aws_sagemaker_training_job", "t", after)

_processing(after) := _job("aws_sagemaker_processing_job", "p", after)

_vpc(subnets, groups) := [{"subnets": subnets, "security_group_ids": groups}]

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

_t := "aws_sagemaker_training_job.t[\"eu-west-1\"]"

_p := "aws_sagemaker_processing_job.p[\"eu-west-1\"]"

test_jobs_in_a_vpc_pass if {
	changes := [
		_training({"vpc_config": _vpc(["subnet-1"], ["sg-1"])}),
		_processing({"network_config": [{"vpc_config": _vpc(["subnet-1"], ["sg-1"])}]}),
	]
	count(job_vpc_config.deny) == 0 with input as _plan(changes)
}

test_training_job_without_vpc_config_denied if {
	every after in [{}, {"vpc_config": []}, {"vpc_config": null}] {
		findings := job_vpc_config.deny with input as _plan([_training(after)])
		_message(findings, _t) == "vpc_config is not set; the job does not run in a VPC"
	}
}

test_training_job_empty_lists_denied if {
	no_subnets := job_vpc_config.deny with input as _plan([_training({"vpc_config": _vpc([], ["sg-1"])})])
	_message(no_subnets, _t) == "vpc_config.subnets is empty"
	no_groups := job_vpc_config.deny with input as _plan([_training({"vpc_config": _vpc(["subnet-1"], null)})])
	_message(no_groups, _t) == "vpc_config.security_group_ids is empty"
}

test_processing_job_without_network_config_denied if {
	findings := job_vpc_config.deny with input as _plan([_processing({"network_config": []})])
	_message(findings, _p) == "network_config is not set; the job does not run in a VPC"
}

test_processing_job_without_vpc_config_denied if {
	after := {"network_config": [{"enable_network_isolation": true, "vpc_config": []}]}
	findings := job_vpc_config.deny with input as _plan([_processing(after)])
	_message(findings, _p) == "network_config.vpc_config is not set; the job does not run in a VPC"
}

test_processing_job_empty_groups_denied if {
	after := {"network_config": [{"vpc_config": _vpc(["subnet-1"], [])}]}
	findings := job_vpc_config.deny with input as _plan([_processing(after)])
	_message(findings, _p) == "network_config.vpc_config.security_group_ids is empty"
}

test_unknown_subnets_denied if {
	rc := object.union(
		_training({"vpc_config": [{"security_group_ids": ["sg-1"]}]}),
		{"change": {"after_unknown": {"vpc_config": [{"subnets": true}]}}},
	)
	findings := job_vpc_config.deny with input as _plan([rc])
	contains(_message(findings, _t), "unknown")
}
