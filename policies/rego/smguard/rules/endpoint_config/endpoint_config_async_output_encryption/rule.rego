# METADATA
# title: Asynchronous inference outputs must be encrypted with a KMS key
# description: |
#   An endpoint configured for asynchronous inference writes every inference
#   response, and every failure, to Amazon S3 (`s3_output_path`,
#   `s3_failure_path`). Those objects hold the model's outputs for sensitive
#   inputs; `output_config.kms_key_id` makes SageMaker encrypt them with a KMS
#   key you control instead of relying on the bucket's default encryption.
#   Configurations without `async_inference_config` are not affected. A key
#   unknown until apply passes when it refers to a KMS key or alias in the
#   plan, and is reported as a warning otherwise.
# custom:
#   id: SMG-ENDPOINT-004
#   severity: medium
#   resources: [aws_sagemaker_endpoint_configuration]
#   reads: [aws_kms_key, aws_kms_alias]
#   remediation: >-
#     Set `async_inference_config.output_config.kms_key_id` on the
#     `aws_sagemaker_endpoint_configuration` to a customer managed KMS key.
#   aws_concept: AsyncInferenceConfig.OutputConfig.KmsKeyId (CreateEndpointConfig)
package smguard.rules.endpoint_config.endpoint_config_async_output_encryption

import data.smguard.lib.plan

_async := ["async_inference_config"]

_key := ["async_inference_config", 0, "output_config", 0, "kms_key_id"]

deny contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	_asynchronous(rc)
	not _compliant(rc)
	not plan.unknown(rc, _key)
	msg := concat(" ", [
		"async_inference_config.output_config.kms_key_id is not set;",
		"asynchronous inference results are written to S3 without a KMS key you control",
	])
}

warn contains plan.result(rc, _unverified(rc)) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	_asynchronous(rc)
	not _compliant(rc)
	plan.unknown(rc, _key)
}

# Configured for asynchronous inference, or possibly so: the block is unknown.
_asynchronous(rc) if plan.nonempty(plan.value(rc, _async))

_asynchronous(rc) if plan.unknown(rc, _async)

_compliant(rc) if plan.set_or_planned(rc, _key, "aws_kms_key")

_compliant(rc) if plan.set_or_planned(rc, _key, "aws_kms_alias")

_unverified(rc) := "async_inference_config is unknown until apply; its output encryption cannot be verified" if {
	not plan.nonempty(plan.value(rc, _async))
} else := concat(" ", [
	"async_inference_config.output_config.kms_key_id is unknown until apply and does not refer",
	"to a KMS key or alias in this plan; it cannot be verified",
])
