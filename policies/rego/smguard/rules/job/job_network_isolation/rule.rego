# METADATA
# title: SageMaker training and processing jobs must run with network isolation
# description: |
#   A job with network isolation gets no outbound network access, so its
#   container cannot send the training data, the model or anything it reads to
#   the internet or another AWS service. Jobs started by hand, by the SageMaker
#   Python SDK or by a pipeline have no Terraform resource: `smguard audit`
#   writes them as `aws_sagemaker_training_job` and `aws_sagemaker_processing_job`,
#   types that exist only in audits.
# custom:
#   id: SMG-JOB-101
#   severity: high
#   resources: [aws_sagemaker_training_job, aws_sagemaker_processing_job]
#   remediation: >-
#     Start training jobs with `EnableNetworkIsolation=True` (SDK: `enable_network_isolation=True`
#     on the Estimator) and processing jobs with `NetworkConfig.EnableNetworkIsolation=True`
#     (SDK: `network_config=NetworkConfig(enable_network_isolation=True, ...)` on the Processor).
#   aws_concept: EnableNetworkIsolation (CreateTrainingJob), NetworkConfig.EnableNetworkIsolation (CreateProcessingJob)
package smguard.rules.job.job_network_isolation

import data.smguard.lib.plan

# Where each job type keeps the flag.
_paths := {
	"aws_sagemaker_training_job": ["enable_network_isolation"],
	"aws_sagemaker_processing_job": ["network_config", 0, "enable_network_isolation"],
}

deny contains plan.result(rc, _problem(rc, path)) if {
	some type, path in _paths
	some rc in plan.resources(type)
	not _isolated(rc, path)
}

_isolated(rc, path) if plan.value(rc, path) == true

_problem(rc, path) := sprintf("%s is unknown; it must be true", [_label(path)]) if {
	plan.unknown(rc, path)
} else := "network_config is not set, so network isolation is off (the SageMaker default)" if {
	count(path) > 1
	not plan.nonempty(plan.value(rc, [path[0]]))
} else := sprintf("%s is not set (the SageMaker default is false)", [_label(path)]) if {
	plan.value(rc, path) == null
} else := sprintf("%s is false", [_label(path)])

_label(path) := concat(".", [step | some step in path; is_string(step)])
