provider "aws" {
  region = var.region
}

module "vpc_endpoints" {
  source = "../.."

  name   = "ml-platform"
  region = var.region

  network = {
    vpc_id          = var.vpc_id
    subnet_ids      = var.subnet_ids
    route_table_ids = var.route_table_ids
  }

  allowed_security_group_ids = var.workload_security_group_ids
}
