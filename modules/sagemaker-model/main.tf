locals {
  isolated = var.network_isolation_opt_out == null
  pipeline = length(var.containers) > 1

  opt_out_tag = local.isolated ? {} : {
    "smguard:network-isolation-opt-out" = trimspace(var.network_isolation_opt_out.reason)
  }
}

resource "aws_sagemaker_model" "this" {
  name                     = var.name
  execution_role_arn       = var.execution_role_arn
  enable_network_isolation = local.isolated

  # Static blocks before dynamic ones: tfparse (smguard scan DIR) drops the
  # dynamic blocks of a resource when a static block follows them.
  vpc_config {
    subnets            = var.vpc_config.subnet_ids
    security_group_ids = var.vpc_config.security_group_ids
  }

  dynamic "primary_container" {
    for_each = local.pipeline ? [] : var.containers

    content {
      image              = primary_container.value.image
      model_data_url     = primary_container.value.model_data_url
      environment        = primary_container.value.environment
      container_hostname = primary_container.value.container_hostname
    }
  }

  dynamic "container" {
    for_each = local.pipeline ? var.containers : []

    content {
      image              = container.value.image
      model_data_url     = container.value.model_data_url
      environment        = container.value.environment
      container_hostname = container.value.container_hostname
    }
  }

  dynamic "inference_execution_config" {
    for_each = local.pipeline ? [var.inference_execution_mode] : []

    content {
      mode = inference_execution_config.value
    }
  }

  tags = merge(var.tags, local.opt_out_tag)
}
