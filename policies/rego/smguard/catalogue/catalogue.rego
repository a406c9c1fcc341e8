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
	"job_definition_network_isolation": {
		"id": "SMG-JOB-001",
		"name": "job-definition-network-isolation",
		"remediation": "Add a `network_config` block with `enable_network_isolation = true` to the `aws_sagemaker_data_quality_job_definition`.",
		"severity": "high",
		"title": "SageMaker monitoring job definitions must enable network isolation",
	},
	"job_definition_traffic_encryption": {
		"id": "SMG-JOB-002",
		"name": "job-definition-traffic-encryption",
		"remediation": "Add a `network_config` block with `enable_inter_container_traffic_encryption = true` to the `aws_sagemaker_data_quality_job_definition`.",
		"severity": "medium",
		"title": "SageMaker monitoring job definitions must encrypt inter-container traffic",
	},
	"job_definition_vpc_config": {
		"id": "SMG-JOB-003",
		"name": "job-definition-vpc-config",
		"remediation": "Add a `network_config` block with a `vpc_config` listing `subnets` and `security_group_ids` to the `aws_sagemaker_data_quality_job_definition`.",
		"severity": "high",
		"title": "SageMaker monitoring job definitions must run in a VPC",
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
	"notebook_direct_internet_access": {
		"id": "SMG-NOTEBOOK-001",
		"name": "notebook-direct-internet-access",
		"remediation": "Set `direct_internet_access = \"Disabled\"` on the `aws_sagemaker_notebook_instance` (with `subnet_id` and `security_groups`), and give its subnet VPC endpoints or a NAT.",
		"severity": "high",
		"title": "SageMaker notebook instances must disable direct internet access",
	},
	"notebook_kms": {
		"id": "SMG-NOTEBOOK-004",
		"name": "notebook-kms",
		"remediation": "Set `kms_key_id` on the `aws_sagemaker_notebook_instance` to a customer managed KMS key.",
		"severity": "medium",
		"title": "SageMaker notebook instances must encrypt their storage volume with a KMS key",
	},
	"notebook_root_access": {
		"id": "SMG-NOTEBOOK-003",
		"name": "notebook-root-access",
		"remediation": "Set `root_access = \"Disabled\"` on the `aws_sagemaker_notebook_instance`.",
		"severity": "medium",
		"title": "SageMaker notebook instances must disable root access",
	},
	"notebook_vpc": {
		"id": "SMG-NOTEBOOK-002",
		"name": "notebook-vpc",
		"remediation": "Set `subnet_id` (a private subnet) and `security_groups` on the `aws_sagemaker_notebook_instance`.",
		"severity": "high",
		"title": "SageMaker notebook instances must run in a VPC subnet with security groups",
	},
	"user_profile_security_groups": {
		"id": "SMG-PROFILE-001",
		"name": "user-profile-security-groups",
		"remediation": "Set `user_settings { security_groups = [...] }` on the `aws_sagemaker_user_profile`, or `default_user_settings { security_groups = [...] }` on its `aws_sagemaker_domain`.",
		"severity": "medium",
		"title": "Studio user profiles must have security groups",
	},
}
