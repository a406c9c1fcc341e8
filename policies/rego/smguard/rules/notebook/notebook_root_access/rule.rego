# METADATA
# title: SageMaker notebook instances must disable root access
# description: |
#   With root access, the provider's default, every notebook user can change
#   the instance's operating system: its firewall, proxy and DNS settings,
#   installed agents and logs. Network controls that rely on the instance
#   itself then hold only as long as no user undoes them. Lifecycle
#   configurations still run as root when user root access is disabled.
# custom:
#   id: SMG-NOTEBOOK-003
#   severity: medium
#   resources: [aws_sagemaker_notebook_instance]
#   remediation: Set `root_access = "Disabled"` on the `aws_sagemaker_notebook_instance`.
#   aws_concept: RootAccess (CreateNotebookInstance)
#   references:
#     checkov: [CKV_AWS_307]
#     security_hub: [SageMaker.3]
#     aws_config: [sagemaker-notebook-instance-root-access-check]
package smguard.rules.notebook.notebook_root_access

import data.smguard.lib.plan

deny contains plan.result(rc, _problem(rc)) if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	not _compliant(rc)
}

_compliant(rc) if plan.value(rc, ["root_access"]) == "Disabled"

_problem(rc) := "root_access is unknown until apply; it must be Disabled" if {
	plan.unknown(rc, ["root_access"])
} else := "root_access is not set (the provider default is Enabled)" if {
	plan.value(rc, ["root_access"]) == null
} else := sprintf("root_access is %v; it must be Disabled", [plan.value(rc, ["root_access"])])
