# METADATA
# title: When IAM guardrails are required, the plan must deny non-isolated SageMaker creates
# description: |
#   With `iam_guardrails.required`, the plan's IAM policies and service control
#   policies must together deny sagemaker:CreateModel, CreateTrainingJob,
#   CreateProcessingJob, CreateHyperParameterTuningJob and the four monitoring
#   job definition creates whenever sagemaker:VpcSubnets or
#   sagemaker:VpcSecurityGroupIds is missing (or outside allowlists.subnets /
#   allowlists.security_groups when those are set), or sagemaker:NetworkIsolation
#   is not true. Such a guardrail also stops resources created outside Terraform.
#   The finding is about the whole plan and is reported on the address `plan`.
# custom:
#   id: SMG-IAM-001
#   severity: high
#   resources: [aws_organizations_policy]
#   reads: [aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy]
#   remediation: >-
#     Add an `aws_iam_policy` (attached to every role that creates SageMaker resources) or an
#     `aws_organizations_policy` (SERVICE_CONTROL_POLICY) with Deny statements on the guarded create
#     actions: one with `"Null": {"sagemaker:VpcSubnets": "true"}`, one with
#     `"ForAnyValue:StringNotEquals"` on `sagemaker:VpcSubnets` / `sagemaker:VpcSecurityGroupIds`
#     listing the allowed IDs, and one with `"BoolIfExists": {"sagemaker:NetworkIsolation": "false"}`.
#   aws_concept: IAM condition keys sagemaker:VpcSubnets, sagemaker:VpcSecurityGroupIds, sagemaker:NetworkIsolation
package smguard.rules.iam.iam_guardrail_present

import data.smguard.lib.config
import data.smguard.lib.iam
import data.smguard.lib.plan

# The plan as a whole, not one resource.
_plan := {"address": "plan"}

deny contains plan.result(_plan, _message("no Deny statement in this plan's IAM policies or SCPs")) if {
	_required
	count(_gaps) > 0
	count(_unknown) == 0
}

warn contains plan.result(_plan, message) if {
	_required
	count(_gaps) > 0
	count(_unknown) > 0
	message := concat("", [
		_message("no Deny statement the plan shows"),
		sprintf(" (unknown until apply, and may provide it: %s)", [concat(", ", _unknown)]),
	])
}

_required if config.setting(["iam_guardrails", "required"]) == true

_statements := [s |
	some rc in iam.policy_resources
	iam.status(rc) == "known"
	some s in iam.statements(rc)
]

_model := iam.model(_allowed("subnets"), _allowed("security_groups"), _statements)

_allowed(name) := [id | some id in _list(config.setting(["allowlists", name])); is_string(id)]

_list(x) := x if {
	is_array(x)
} else := []

_gaps := iam.gaps(_statements, _model)

_unknown := sort([rc.address |
	some rc in iam.policy_resources
	iam.status(rc) == "unknown"
])

_message(subject) := sprintf("iam_guardrails.required is set, but %s denies %s", [
	subject,
	concat("; ", [sprintf("%s for %s", [_requests[item], iam.action_list(actions)]) |
		some item in iam.items
		actions := {pair[1] | some pair in _gaps; pair[0] == item}
		count(actions) > 0
	]),
])

_requests := {
	"vpc_absent": "requests without a VpcConfig (no sagemaker:VpcSubnets / sagemaker:VpcSecurityGroupIds)",
	"subnets_outside": "requests with subnets outside allowlists.subnets",
	"subnets_mixed": "requests adding a subnet outside allowlists.subnets to an allowed one",
	"sgs_outside": "requests with security groups outside allowlists.security_groups",
	"sgs_mixed": "requests adding a security group outside allowlists.security_groups to an allowed one",
	"isolation_absent": "requests that do not set network isolation (no sagemaker:NetworkIsolation)",
	"isolation_false": "requests with sagemaker:NetworkIsolation false",
}
