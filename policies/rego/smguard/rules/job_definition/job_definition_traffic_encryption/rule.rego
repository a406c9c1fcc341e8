# METADATA
# title: SageMaker monitoring job definitions must encrypt inter-container traffic
# description: |
#   A monitoring job that runs on more than one instance exchanges data between
#   its containers over the network. `enable_inter_container_traffic_encryption`
#   in the job definition's `network_config` encrypts that traffic. Without a
#   `network_config` block, or with the flag unset, it is sent unencrypted (the
#   SageMaker default is false).
# custom:
#   id: SMG-JOB-002
#   severity: medium
#   resources: [aws_sagemaker_data_quality_job_definition]
#   remediation: >-
#     Add a `network_config` block with `enable_inter_container_traffic_encryption = true`
#     to the `aws_sagemaker_data_quality_job_definition`.
#   aws_concept: NetworkConfig.EnableInterContainerTrafficEncryption (CreateDataQualityJobDefinition)
#   references:
#     checkov: [CKV_AWS_369]
package smguard.rules.job_definition.job_definition_traffic_encryption

import data.smguard.lib.plan

# Job definition types with a `network_config` block (MonitoringNetworkConfig).
# hashicorp/aws v5 has no model quality, model bias or model explainability job
# definition resources; add them here when the provider does.
_types := ["aws_sagemaker_data_quality_job_definition"]

_path := ["network_config", 0, "enable_inter_container_traffic_encryption"]

deny contains plan.result(rc, _problem(rc)) if {
	some type in _types
	some rc in plan.resources(type)
	not _encrypted(rc)
}

_encrypted(rc) if plan.value(rc, _path) == true

_problem(rc) := "network_config.enable_inter_container_traffic_encryption is unknown until apply; it must be true" if {
	plan.unknown(rc, _path)
} else := concat(" ", [
	"network_config is not set, so inter-container traffic is not encrypted",
	"(the SageMaker default is false)",
]) if {
	not plan.nonempty(plan.value(rc, ["network_config"]))
} else := "network_config.enable_inter_container_traffic_encryption is not set (the SageMaker default is false)" if {
	plan.value(rc, _path) == null
} else := "network_config.enable_inter_container_traffic_encryption is false"
