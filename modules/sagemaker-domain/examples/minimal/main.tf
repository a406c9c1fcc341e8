provider "aws" {
  region = var.region
}

module "domain" {
  source = "../.."

  name               = "research"
  kms_key_arn        = var.kms_key_arn
  execution_role_arn = var.execution_role_arn

  network = {
    vpc_id             = var.vpc_id
    subnet_ids         = var.subnet_ids
    security_group_ids = var.studio_security_group_ids
  }
}

# A VpcOnly domain's apps reach AWS only through VPC endpoints.
module "vpc_endpoints" {
  source = "../../../sagemaker-vpc-endpoints"

  name   = "research"
  region = var.region

  network = {
    vpc_id          = var.vpc_id
    subnet_ids      = var.subnet_ids
    route_table_ids = var.route_table_ids
  }

  allowed_security_group_ids = var.studio_security_group_ids
}
