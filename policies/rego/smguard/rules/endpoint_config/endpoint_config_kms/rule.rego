# METADATA
# title: Endpoint configurations must encrypt the ML storage volume with a KMS key
# description: |
#   The storage volume attached to each endpoint instance holds the model
#   artefact and whatever the container writes to disk. Without `kms_key_arn`
#   SageMaker encrypts it with a transient key that you cannot audit, rotate or
#   revoke. Instance types with local NVMe storage (`ml.g5` and the families
#   whose name has `d` after the generation, such as `ml.g4dn`, `ml.p4d`,
#   `ml.m5d`) are the exception: their storage is encrypted by the instance
#   hardware, and CreateEndpointConfig rejects a KMS key when any variant uses
#   one. A `kms_key_arn` unknown until apply passes when it refers to a KMS key
#   or alias in the plan, and is reported as a warning otherwise.
# custom:
#   id: SMG-ENDPOINT-003
#   severity: medium
#   resources: [aws_sagemaker_endpoint_configuration]
#   reads: [aws_kms_key, aws_kms_alias]
#   remediation: >-
#     Set `kms_key_arn` on the `aws_sagemaker_endpoint_configuration` to a
#     customer managed KMS key whose key policy lets the SageMaker execution
#     role use it.
#   aws_concept: KmsKeyId (CreateEndpointConfig)
#   references:
#     checkov: [CKV_AWS_98]
#     aws_config: [sagemaker-endpoint-configuration-kms-key-configured, sagemaker-endpoint-config-kms-key-required]
package smguard.rules.endpoint_config.endpoint_config_kms

import data.smguard.lib.plan

_key := ["kms_key_arn"]

deny contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	not _compliant(rc)
	not plan.unknown(rc, _key)
	msg := "kms_key_arn is not set; the storage volume is encrypted with a transient key you do not control"
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	not _compliant(rc)
	plan.unknown(rc, _key)
	msg := concat(" ", [
		"kms_key_arn is unknown until apply and does not refer to a KMS key or alias",
		"in this plan; it cannot be verified",
	])
}

_compliant(rc) if plan.set_or_planned(rc, _key, "aws_kms_key")

_compliant(rc) if plan.set_or_planned(rc, _key, "aws_kms_alias")

# No key where AWS does not accept one: a variant on local NVMe storage.
_compliant(rc) if {
	not plan.unknown(rc, _key)
	some block in ["production_variants", "shadow_production_variants"]
	some variant in object.get(plan.after(rc), block, [])
	_local_storage(object.get(variant, "instance_type", null))
}

# ml.<family>.<size> where the family has local NVMe instance storage: `d`
# after the generation (m5d, c5d, r5d, g4dn, p3dn, p4d, p4de, ...), and g5.
_local_storage(instance_type) if {
	is_string(instance_type)
	family := split(instance_type, ".")[1]
	regex.match(`^[a-z]+[0-9]+[a-z]*d[a-z]*$`, family)
}

_local_storage(instance_type) if {
	is_string(instance_type)
	split(instance_type, ".")[1] == "g5"
}
