# METADATA
# title: SageMaker models must enable network isolation
# description: |
#   With network isolation the model container gets no outbound network access
#   and no AWS credentials, so code or a compromised dependency inside it cannot
#   reach the internet or other AWS services. Data must arrive in the request
#   payload; calls to other services move in front of the endpoint.
# custom:
#   id: SMG-MODEL-001
#   severity: high
#   resources: [aws_sagemaker_model]
#   remediation: Set `enable_network_isolation = true` on the `aws_sagemaker_model`.
#   aws_concept: EnableNetworkIsolation (CreateModel)
#   references:
#     checkov: [CKV_AWS_370]
#     aws_config: [sagemaker-model-isolation-enabled]
package smguard.rules.model.model_network_isolation

import data.smguard.lib.plan

deny contains plan.result(rc, _problem(rc)) if {
	some rc in plan.resources("aws_sagemaker_model")
	not _isolated(rc)
}

_isolated(rc) if plan.value(rc, ["enable_network_isolation"]) == true

_problem(rc) := "enable_network_isolation is unknown until apply; it must be true" if {
	plan.unknown(rc, ["enable_network_isolation"])
} else := "enable_network_isolation is not set (the default is false)" if {
	plan.value(rc, ["enable_network_isolation"]) == null
} else := "enable_network_isolation is false"
