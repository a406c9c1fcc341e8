locals {
  variants = [
    for i, v in var.production_variants : merge(v, { variant_name = coalesce(v.variant_name, "variant-${i + 1}") })
  ]

  # AWS refuses a KMS key for the ML storage volume when a variant runs on an
  # instance type with local NVMe storage, which is encrypted in hardware.
  local_storage = anytrue([
    for v in local.variants : can(regex("^ml\\.([a-z]+[0-9]+[a-z]*d[a-z]*|g5)\\.", v.instance_type))
  ])

  async = var.async_inference == null ? [] : [merge(var.async_inference, {
    kms_key_arn = coalesce(var.async_inference.kms_key_arn, var.kms_key_arn)
  })]

  # Endpoint configurations cannot change in place: a new name per content
  # lets create_before_destroy switch the endpoint over to the new one.
  config_hash = substr(sha1(jsonencode([local.variants, local.async, var.kms_key_arn])), 0, 8)
}

resource "aws_sagemaker_endpoint_configuration" "this" {
  name        = "${var.name}-${local.config_hash}"
  kms_key_arn = local.local_storage ? null : var.kms_key_arn

  # Static blocks before dynamic ones: tfparse (smguard scan DIR) drops the
  # dynamic blocks of a resource when a static block follows them.
  lifecycle {
    create_before_destroy = true
  }

  dynamic "production_variants" {
    for_each = local.variants

    content {
      variant_name                                      = production_variants.value.variant_name
      model_name                                        = production_variants.value.model_name
      instance_type                                     = production_variants.value.instance_type
      initial_instance_count                            = production_variants.value.initial_instance_count
      initial_variant_weight                            = production_variants.value.initial_variant_weight
      volume_size_in_gb                                 = production_variants.value.volume_size_in_gb
      model_data_download_timeout_in_seconds            = production_variants.value.model_data_download_timeout_in_seconds
      container_startup_health_check_timeout_in_seconds = production_variants.value.container_startup_health_check_timeout_in_seconds
    }
  }

  dynamic "async_inference_config" {
    for_each = local.async

    content {
      output_config {
        s3_output_path  = async_inference_config.value.output_s3_uri
        s3_failure_path = async_inference_config.value.failure_s3_uri
        kms_key_id      = async_inference_config.value.kms_key_arn

        dynamic "notification_config" {
          for_each = async_inference_config.value.success_topic_arn != null || async_inference_config.value.error_topic_arn != null ? [async_inference_config.value] : []

          content {
            success_topic = notification_config.value.success_topic_arn
            error_topic   = notification_config.value.error_topic_arn
          }
        }
      }

      dynamic "client_config" {
        for_each = async_inference_config.value.max_concurrent_invocations_per_instance != null ? [async_inference_config.value] : []

        content {
          max_concurrent_invocations_per_instance = client_config.value.max_concurrent_invocations_per_instance
        }
      }
    }
  }

  tags = var.tags
}

resource "aws_sagemaker_endpoint" "this" {
  name                 = var.name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.this.name

  tags = var.tags
}
