# METADATA
# title: SageMaker monitoring job definitions must enable network isolation
# description: |
#   A data quality monitoring job runs a container against data captured from an
#   endpoint or a batch transform. With network isolation in its `network_config`
#   the container gets no inbound or outbound network access, so code or a
#   compromised dependency inside it cannot send that data anywhere. Without a
#   `network_config` block the job runs with isolation off (the SageMaker default).
# custom:
#   id: SMG-JOB-001
#   severity: high
#   resources: [aws_sagemaker_data_quality_job_definition]
#   remediation: >-
#     Add a `network_config` block with `enable_network_isolation = true` to the
#     `aws_sagemaker_data_quality_job_definition`.
#   aws_concept: NetworkConfig.EnableNetworkIsolation (CreateDataQualityJobDefinition)
#   references:
#     aws_config: [sagemaker-data-quality-job-isolation]
package smguard.rules.job_definition.job_definition_network_isolation

import data.smguard.lib.plan

# Job definition types with a `network_config` block (MonitoringNetworkConfig).
# hashicorp/aws v5 has no model quality, model bias or model explainability job
# definition resources; add them here when the provider does.
_types := ["aws_sagemaker_data_quality_job_definition"]

_path := ["network_config", 0, "enable_network_isolation"]

deny contains plan.result(rc, _problem(rc)) if {
	some type in _types
	some rc in plan.resources(type)
	not _isolated(rc)
}

_isolated(rc) if plan.value(rc, _path) == true

_problem(rc) := "network_config.enable_network_isolation is unknown until apply; it must be true" if {
	plan.unknown(rc, _path)
} else := "network_config is not set, so network isolation is off (the SageMaker default is false)" if {
	not plan.nonempty(plan.value(rc, ["network_config"]))
} else := "network_config.enable_network_isolation is not set (the SageMaker default is false)" if {
	plan.value(rc, _path) == null
} else := "network_config.enable_network_isolation is false"
