# METADATA
# title: SageMaker notebook instances must encrypt their storage volume with a KMS key
# description: |
#   `kms_key_id` names the customer managed KMS key that encrypts the ML
#   storage volume attached to the notebook instance, where its notebooks and
#   the data copied to it live. The key's policy then controls, and CloudTrail
#   records, every use of that data at rest. A value that is unknown until
#   apply and refers to no `aws_kms_key` in this plan cannot be verified.
# custom:
#   id: SMG-NOTEBOOK-004
#   severity: medium
#   resources: [aws_sagemaker_notebook_instance]
#   reads: [aws_kms_key]
#   remediation: Set `kms_key_id` on the `aws_sagemaker_notebook_instance` to a customer managed KMS key.
#   aws_concept: KmsKeyId (CreateNotebookInstance)
#   references:
#     checkov: [CKV_AWS_22, CKV_AWS_187]
#     aws_config: [sagemaker-notebook-instance-kms-key-configured]
package smguard.rules.notebook.notebook_kms

import data.smguard.lib.plan

deny contains plan.result(rc, "kms_key_id is not set") if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	not plan.unknown(rc, ["kms_key_id"])
	not plan.nonempty(plan.value(rc, ["kms_key_id"]))
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_notebook_instance")
	plan.unknown(rc, ["kms_key_id"])
	count(plan.referenced(rc, ["kms_key_id"], "aws_kms_key")) == 0
	msg := "kms_key_id is unknown until apply and not a reference to an aws_kms_key in this plan; it cannot be verified"
}
