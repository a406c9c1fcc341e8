# METADATA
# title: SageMaker batch transform jobs must run compliant models
# description: |
#   A batch transform job has no network settings of its own: its containers
#   run with the `EnableNetworkIsolation` and `VpcConfig` of the model it names,
#   so the job is only as isolated as that model, which must pass the model
#   rules. Models cannot be changed after creation, so a model of that name in
#   the audit is the one the job ran, unless it was deleted and created again.
#   A model that is no longer in the account cannot be verified and is a
#   warning. `aws_sagemaker_transform_job` exists only in audits.
# custom:
#   id: SMG-JOB-103
#   severity: high
#   resources: [aws_sagemaker_transform_job]
#   reads: [aws_sagemaker_model]
#   remediation: >-
#     Run batch transform jobs (`ModelName` of CreateTransformJob; SDK: `Model.transformer()`) on a
#     model created with `EnableNetworkIsolation=True` and a `VpcConfig` with subnets and security
#     groups (`aws_sagemaker_model` with `enable_network_isolation = true` and a `vpc_config`).
#   aws_concept: ModelName (CreateTransformJob)
package smguard.rules.job.transform_job_model

import data.smguard.lib.plan

# kind ("deny" or "warn") -> model address -> ids of the model rules that
# report it.
_model_findings.deny[finding.address] contains id if {
	# Read `deny`/`warn` only: the whole package would include test packages.
	some name
	findings := data.smguard.rules.model[name].deny # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_model_findings.warn[finding.address] contains id if {
	some name
	findings := data.smguard.rules.model[name].warn # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_flagged(kind, model) := object.get(_model_findings, [kind, model.address], set())

_ids(kind, model) := concat(", ", sort(_flagged(kind, model)))

_models(rc) := plan.named("aws_sagemaker_model", plan.value(rc, ["model_name"]))

deny contains plan.result(rc, concat("; ", failing)) if {
	some rc in plan.resources("aws_sagemaker_transform_job")
	failing := sort([sprintf("it ran %s, which fails %s", [m.address, _ids("deny", m)]) |
		some m in _models(rc)
		count(_flagged("deny", m)) > 0
	])
	count(failing) > 0
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_transform_job")
	count([m | some m in _models(rc); count(_flagged("deny", m)) > 0]) == 0
	msg := _unverified(rc)
}

_unverified(rc) := "model_name is unknown; the model the job ran cannot be verified" if {
	plan.unknown(rc, ["model_name"])
} else := "model_name is not set; the model the job ran cannot be verified" if {
	not is_string(plan.value(rc, ["model_name"]))
} else := msg if {
	count(_models(rc)) == 0
	msg := sprintf("model %q is not in the account (%s); the network settings the job ran with cannot be verified", [
		plan.value(rc, ["model_name"]),
		"deleted since the job ran, or not readable",
	])
} else := msg if {
	warned := sort([sprintf("%s (%s)", [m.address, _ids("warn", m)]) |
		some m in _models(rc)
		count(_flagged("warn", m)) > 0
	])
	count(warned) > 0
	msg := sprintf("it ran %s, which could not be fully verified", [concat(", ", warned)])
}
