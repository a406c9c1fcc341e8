# METADATA
# description: |
#   Generated from the METADATA of every rule by `make catalogue`. Do not edit.
package smguard.catalogue

rules := {
	"domain_vpc_only": {
		"id": "SMG-DOMAIN-001",
		"name": "domain-vpc-only",
		"remediation": "Set `app_network_access_type = \"VpcOnly\"` on the `aws_sagemaker_domain`, and provide VPC endpoints (or a NAT) in its subnets.",
		"severity": "high",
		"title": "Studio domains must use VpcOnly network access",
	},
	"domain_vpc_placement": {
		"id": "SMG-DOMAIN-002",
		"name": "domain-vpc-placement",
		"remediation": "Set `vpc_id` and `subnet_ids` on the `aws_sagemaker_domain` to the VPC and private subnets it must use.",
		"severity": "medium",
		"title": "Studio domains must name their VPC and subnets",
	},
	"endpoint_config_compliant": {
		"id": "SMG-ENDPOINT-002",
		"name": "endpoint-config-compliant",
		"remediation": "Set `endpoint_config_name` to an `aws_sagemaker_endpoint_configuration` whose variants all serve compliant models.",
		"severity": "high",
		"title": "Endpoints must use a compliant endpoint configuration",
	},
	"endpoint_config_variant_models": {
		"id": "SMG-ENDPOINT-001",
		"name": "endpoint-config-variant-models",
		"remediation": "Point every `production_variants` and `shadow_production_variants` `model_name` at an `aws_sagemaker_model` with `enable_network_isolation = true` and a `vpc_config`.",
		"severity": "high",
		"title": "Endpoint configurations must serve only compliant models",
	},
	"model_network_isolation": {
		"id": "SMG-MODEL-001",
		"name": "model-network-isolation",
		"remediation": "Set `enable_network_isolation = true` on the `aws_sagemaker_model`.",
		"severity": "high",
		"title": "SageMaker models must enable network isolation",
	},
	"model_vpc_config": {
		"id": "SMG-MODEL-002",
		"name": "model-vpc-config",
		"remediation": "Add a `vpc_config` block with `subnets` and `security_group_ids` to the `aws_sagemaker_model`.",
		"severity": "high",
		"title": "SageMaker models must run in a VPC",
	},
}
