locals {
  vpc_only = var.public_internet_access_opt_out == null

  opt_out_tag = local.vpc_only ? {} : {
    "smguard:public-internet-opt-out" = trimspace(var.public_internet_access_opt_out.reason)
  }
}

resource "aws_sagemaker_domain" "this" {
  domain_name             = var.name
  auth_mode               = var.auth_mode
  vpc_id                  = var.network.vpc_id
  subnet_ids              = var.network.subnet_ids
  app_network_access_type = local.vpc_only ? "VpcOnly" : "PublicInternetOnly"
  kms_key_id              = var.kms_key_arn

  default_user_settings {
    execution_role  = var.execution_role_arn
    security_groups = var.network.security_group_ids
  }

  default_space_settings {
    execution_role  = var.execution_role_arn
    security_groups = var.network.security_group_ids
  }

  # Deleting the domain keeps the users' home directories.
  retention_policy {
    home_efs_file_system = "Retain"
  }

  tags = merge(var.tags, local.opt_out_tag)
}

resource "aws_sagemaker_user_profile" "this" {
  for_each = var.user_profiles

  domain_id         = aws_sagemaker_domain.this.id
  user_profile_name = each.key

  user_settings {
    execution_role  = coalesce(each.value.execution_role_arn, var.execution_role_arn)
    security_groups = distinct(concat(var.network.security_group_ids, each.value.security_group_ids))
  }

  tags = merge(var.tags, each.value.tags)
}
