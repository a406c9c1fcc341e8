package smguard.rules.job.job_network_isolation_test

import data.smguard.rules.job.job_network_isolation

# Jobs exist only in audits: no-op changes of what AWS returned.
_job(type, name, after) := {
	"address": sprintf("%s.%s[\"us-east-1\"]", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"index": "us-east-1",
	"change": {
		"actions": ["no-op"],
		"after": object.union({"name": name, "region": "us-east-1"}, after),
		"after_unknown": {},
	},
}

_training(after) := _job("aws_sagemaker_training_job", "t", after)

_processing(after) := _job("aws_sagemaker_processing_job", "p", after)

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

_t := "aws_sagemaker_training_job.t[\"us-east-1\"]"

_p := "aws_sagemaker_processing_job.p[\"us-east-1\"]"

test_isolated_jobs_pass if {
	changes := [
		_training({"enable_network_isolation": true}),
		_processing({"network_config": [{"enable_network_isolation": true}]}),
	]
	count(job_network_isolation.deny) == 0 with input as _plan(changes)
}

test_training_job_isolation_false_or_absent_denied if {
	every after in [{"enable_network_isolation": false}, {"enable_network_isolation": null}, {}] {
		findings := job_network_isolation.deny with input as _plan([_training(after)])
		{f.address | some f in findings} == {_t}
	}
	findings := job_network_isolation.deny with input as _plan([_training({"enable_network_isolation": false})])
	_message(findings, _t) == "enable_network_isolation is false"
	absent := job_network_isolation.deny with input as _plan([_training({})])
	contains(_message(absent, _t), "not set")
}

test_processing_job_without_network_config_denied if {
	every after in [{}, {"network_config": []}, {"network_config": null}] {
		findings := job_network_isolation.deny with input as _plan([_processing(after)])
		contains(_message(findings, _p), "network_config is not set")
	}
}

test_processing_job_isolation_false_or_unset_denied if {
	isolation_off := _processing({"network_config": [{"enable_network_isolation": false}]})
	off := job_network_isolation.deny with input as _plan([isolation_off])
	_message(off, _p) == "network_config.enable_network_isolation is false"
	isolation_unset := _processing({"network_config": [{"enable_inter_container_traffic_encryption": true}]})
	unset := job_network_isolation.deny with input as _plan([isolation_unset])
	contains(_message(unset, _p), "network_config.enable_network_isolation is not set")
}

test_unknown_isolation_denied if {
	rc := object.union(_training({}), {"change": {"after_unknown": {"enable_network_isolation": true}}})
	findings := job_network_isolation.deny with input as _plan([rc])
	contains(_message(findings, _t), "unknown")
}

test_other_types_ignored if {
	rc := object.union(_training({}), {"type": "aws_sagemaker_model", "address": "aws_sagemaker_model.t"})
	count(job_network_isolation.deny) == 0 with input as _plan([rc])
}
