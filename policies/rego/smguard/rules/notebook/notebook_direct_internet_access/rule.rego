# METADATA
# title: SageMaker notebook instances must disable direct internet access
# description: |
#   With direct internet access, the provider's default, SageMaker gives the
#   notebook instance a network interface in a SageMaker-managed VPC with a
#   route to the internet, so code in the notebook can send data anywhere
#   regardless of your VPC's security groups, endpoints and routes. With
#   `Disabled`, all of its traffic leaves through the subnet and security
#   groups you give it.
# custom:
#   id: SMG-NOTEBOOK-001
#   severity: high
#   resources: [aws_sagemaker_notebook_instance]
#   remediation: >-
#     Set `direct_internet_access = "Disabled"` on the `aws_sagemaker_notebook_instance`
#     (with `subnet_id` and `security_groups`), and give its subnet `aws_vpc_endpoint`s for
#     the AWS services it uses, with no route to a public NAT gateway or internet gateway
#     (SMG-EGRESS-001); egress that must leave the VPC goes to a target listed in
#     `egress.allowed_targets`, or its `security_groups` allow egress only inside the VPC.
#   aws_concept: DirectInternetAccess (CreateNotebookInstance)
#   references:
#     checkov: [CKV_AWS_122]
#     security_hub: [SageMaker.1]
#     aws_config: [sagemaker-notebook-no-direct-internet-access]
package smguard.rules.notebook.notebook_direct_internet_access

import data.smguard.lib.plan

deny contains plan.result(rc, _problem(rc)) if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	not _compliant(rc)
}

_compliant(rc) if plan.value(rc, ["direct_internet_access"]) == "Disabled"

_problem(rc) := "direct_internet_access is unknown until apply; it must be Disabled" if {
	plan.unknown(rc, ["direct_internet_access"])
} else := "direct_internet_access is not set (the provider default is Enabled)" if {
	plan.value(rc, ["direct_internet_access"]) == null
} else := sprintf("direct_internet_access is %v; it must be Disabled", [plan.value(rc, ["direct_internet_access"])])
