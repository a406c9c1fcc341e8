# METADATA
# title: SageMaker models must run in a VPC
# description: |
#   A `vpc_config` with subnets and security groups makes SageMaker's own traffic
#   for the model (model artefact download from S3, image pull from ECR) go
#   through your VPC instead of the public service network. Isolation and VPC
#   placement are independent; the strict posture needs both.
# custom:
#   id: SMG-MODEL-002
#   severity: high
#   resources: [aws_sagemaker_model]
#   reads: [aws_subnet, aws_security_group]
#   remediation: Add a `vpc_config` block with `subnets` and `security_group_ids` to the `aws_sagemaker_model`.
#   aws_concept: VpcConfig (CreateModel)
package smguard.rules.model.model_vpc_config

import data.smguard.lib.plan

_subnets := ["vpc_config", 0, "subnets"]

_groups := ["vpc_config", 0, "security_group_ids"]

deny contains plan.result(rc, _problem(rc)) if {
	some rc in plan.resources("aws_sagemaker_model")
	not _has_vpc_config(rc)
	not _unresolved(rc)
}

# Unknown lists that do not refer to subnets or security groups in this plan
# (variables, data sources, module outputs) cannot be verified from the plan.
warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_model")
	not _has_vpc_config(rc)
	_unresolved(rc)
	msg := concat(" ", [
		"vpc_config subnets or security_group_ids are unknown until apply",
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

_problem(rc) := "vpc_config is missing; the model is not placed in a VPC" if {
	not plan.unknown(rc, ["vpc_config"])
	not plan.nonempty(plan.value(rc, ["vpc_config"]))
} else := "vpc_config.subnets is empty" if {
	not _present_or_unknown(rc, _subnets)
} else := "vpc_config.security_group_ids is empty"
