# METADATA
# title: SageMaker notebook instances must run in a VPC subnet with security groups
# description: |
#   Without `subnet_id` a notebook instance has no interface in your VPC, so
#   none of your security groups, endpoints, flow logs or routes apply to it;
#   `security_groups` decide what that interface may reach. Both are also
#   required for `direct_internet_access = "Disabled"` (SMG-NOTEBOOK-001): a
#   notebook without a subnet can only have direct internet access. Values
#   that are unknown until apply and refer to nothing in this plan cannot be
#   verified.
# custom:
#   id: SMG-NOTEBOOK-002
#   severity: high
#   resources: [aws_sagemaker_notebook_instance]
#   reads: [aws_subnet, aws_security_group]
#   remediation: >-
#     Set `subnet_id` (a private subnet) and `security_groups` on the
#     `aws_sagemaker_notebook_instance`.
#   aws_concept: SubnetId and SecurityGroupIds (CreateNotebookInstance)
#   references:
#     checkov: [CKV_AWS_306]
#     security_hub: [SageMaker.2]
#     aws_config: [sagemaker-notebook-instance-inside-vpc]
package smguard.rules.notebook.notebook_vpc

import data.smguard.lib.plan

_attributes := [["subnet_id", "aws_subnet"], ["security_groups", "aws_security_group"]]

deny contains plan.result(rc, _not_set_message(missing)) if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	missing := [name | some [name, _] in _attributes; _missing(rc, name)]
	count(missing) > 0
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	count([name | some [name, _] in _attributes; _missing(rc, name)]) == 0
	unresolved := [name | some [name, type] in _attributes; _unresolved(rc, name, type)]
	count(unresolved) > 0
	msg := _unresolved_message(unresolved)
}

_not_set_message(missing) := sprintf("%s not set", [_subject(missing)])

_unresolved_message(names) := sprintf(
	"%s unknown until apply and not a reference to a resource in this plan; it cannot be verified",
	[_subject(names)],
) if {
	count(names) == 1
} else := sprintf(
	"%s unknown until apply and not references to resources in this plan; they cannot be verified",
	[_subject(names)],
)

_subject(names) := concat("", [names[0], " is"]) if count(names) == 1

else := concat("", [concat(" and ", names), " are"])

# Known and empty or absent; or, for `security_groups` (optional and computed:
# AWS fills in the VPC's default group), unknown only because the
# configuration does not set it.
_missing(rc, name) if {
	not plan.unknown(rc, [name])
	not plan.nonempty(plan.value(rc, [name]))
}

_missing(rc, name) if {
	plan.unknown(rc, [name])
	_not_configured(rc, name)
}

_unresolved(rc, name, type) if {
	plan.unknown(rc, [name])
	not _not_configured(rc, name)
	count(plan.referenced(rc, [name], type)) == 0
}

# The plan has the resource's configuration and it has no expression for name.
_not_configured(rc, name) if {
	expressions := object.get(plan.config_resource(rc), "expressions", null)
	is_object(expressions)
	object.get(expressions, name, null) == null
}
