provider "aws" {
  region = var.region
}

module "guardrails" {
  source = "../.."

  name                       = "sagemaker-network-guardrail"
  allowed_subnet_ids         = var.allowed_subnet_ids
  allowed_security_group_ids = var.allowed_security_group_ids
  attach_to_role_names       = var.ml_role_names
}
