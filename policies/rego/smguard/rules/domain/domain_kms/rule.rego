# METADATA
# title: Studio domains must encrypt their home EFS volume with a customer managed KMS key
# description: |
#   Every user's home directory (notebooks, data, credentials left in files)
#   lives on the domain's EFS volume. Without `kms_key_id`, SageMaker encrypts it
#   with an AWS managed key, whose use you cannot restrict or revoke with a key
#   policy. The key can only be chosen when the domain is created.
# custom:
#   id: SMG-DOMAIN-005
#   severity: medium
#   resources: [aws_sagemaker_domain]
#   reads: [aws_kms_key]
#   remediation: >-
#     Set `kms_key_id` on the `aws_sagemaker_domain` to a customer managed
#     `aws_kms_key`. On an existing domain this forces replacement (see
#     SMG-DOMAIN-007): plan the migration of users' home directories first.
#   aws_concept: KmsKeyId (CreateDomain)
#   references:
#     checkov: [CKV_AWS_187]
package smguard.rules.domain.domain_kms

import data.smguard.lib.plan

_key := ["kms_key_id"]

deny contains plan.result(rc, "kms_key_id is not set (the home EFS volume is encrypted with an AWS managed key)") if {
	some rc in plan.resources("aws_sagemaker_domain")
	not _compliant(rc)
	not plan.unknown(rc, _key)
}

# Unknown until apply and not a key created in this plan (a variable, a data
# source, a module output): it cannot be verified.
warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_domain")
	not _compliant(rc)
	plan.unknown(rc, _key)
	msg := "kms_key_id is unknown until apply and refers to no aws_kms_key in this plan; it cannot be verified"
}

_compliant(rc) if plan.set_or_planned(rc, _key, "aws_kms_key")
