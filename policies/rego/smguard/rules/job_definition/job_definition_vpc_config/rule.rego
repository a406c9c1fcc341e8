# METADATA
# title: SageMaker monitoring job definitions must run in a VPC
# description: |
#   A `vpc_config` with subnets and security groups in the job definition's
#   `network_config` places the monitoring job's instances in your VPC, so their
#   traffic to S3, ECR and the monitored endpoint goes through your subnets,
#   security groups and VPC endpoints. Without a `network_config` block the job
#   has no VPC placement.
# custom:
#   id: SMG-JOB-003
#   severity: high
#   resources: [aws_sagemaker_data_quality_job_definition]
#   reads: [aws_subnet, aws_security_group]
#   remediation: >-
#     Add a `network_config` block with a `vpc_config` listing `subnets` and
#     `security_group_ids` to the `aws_sagemaker_data_quality_job_definition`.
#   aws_concept: NetworkConfig.VpcConfig (CreateDataQualityJobDefinition)
package smguard.rules.job_definition.job_definition_vpc_config

import data.smguard.lib.plan

# Job definition types with a `network_config` block (MonitoringNetworkConfig).
# hashicorp/aws v5 has no model quality, model bias or model explainability job
# definition resources; add them here when the provider does.
_types := ["aws_sagemaker_data_quality_job_definition"]

_vpc := ["network_config", 0, "vpc_config"]

_subnets := ["network_config", 0, "vpc_config", 0, "subnets"]

_groups := ["network_config", 0, "vpc_config", 0, "security_group_ids"]

_job_definitions := [rc | some type in _types; some rc in plan.resources(type)]

deny contains plan.result(rc, _problem(rc)) if {
	some rc in _job_definitions
	not _has_vpc_config(rc)
	not _unresolved(rc)
}

# Unknown lists that do not refer to subnets or security groups in this plan
# (variables, data sources, module outputs) cannot be verified from the plan.
warn contains plan.result(rc, msg) if {
	some rc in _job_definitions
	not _has_vpc_config(rc)
	_unresolved(rc)
	msg := concat(" ", [
		"network_config.vpc_config subnets or security_group_ids are unknown until apply",
		"and do not refer to subnets and security groups in this plan; they cannot be verified",
	])
}

_has_vpc_config(rc) if {
	plan.set_or_planned(rc, _subnets, "aws_subnet")
	plan.set_or_planned(rc, _groups, "aws_security_group")
}

_present_or_unknown(rc, path) if plan.unknown(rc, path)

_present_or_unknown(rc, path) if plan.known_nonempty(rc, path)

_unresolved(rc) if {
	_present_or_unknown(rc, _subnets)
	_present_or_unknown(rc, _groups)
	some [path, type] in [[_subnets, "aws_subnet"], [_groups, "aws_security_group"]]
	plan.unknown(rc, path)
	not plan.set_or_planned(rc, path, type)
}

_problem(rc) := "network_config is not set; the job does not run in a VPC" if {
	not plan.unknown(rc, ["network_config"])
	not plan.nonempty(plan.value(rc, ["network_config"]))
} else := "network_config.vpc_config is missing; the job does not run in a VPC" if {
	not plan.unknown(rc, _vpc)
	not plan.nonempty(plan.value(rc, _vpc))
} else := "network_config.vpc_config.subnets is empty" if {
	not _present_or_unknown(rc, _subnets)
} else := "network_config.vpc_config.security_group_ids is empty"
