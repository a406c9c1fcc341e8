variable "name" {
  description = "Name of the endpoint. The endpoint configuration is named `<name>-<hash of its settings>`, so that a change creates a new configuration and updates the endpoint to it instead of replacing it in place."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,53}$", var.name))
    error_message = "name must be 1 to 54 letters, digits and hyphens, starting and ending with a letter or digit (9 characters are kept for the configuration's hash suffix)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key (or alias) that encrypts the ML storage volume of every instance (SMG-ENDPOINT-003) and, unless async_inference names another, the asynchronous inference output (SMG-ENDPOINT-004). AWS refuses a volume key for instance types with local NVMe storage (ml.m5d, ml.g4dn, ml.g5, ...), which encrypt it in hardware: for those the module leaves the volume key out."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a customer managed KMS key or alias (arn:aws:kms:<region>:<account id>:key/<id>): without it the storage volume is encrypted with a key you do not control."
  }
}

variable "production_variants" {
  description = <<-EOT
    The production variants, 1 to 10, each serving a model of the sagemaker-model module:
    - `model_name`: the model's name (the sagemaker-model module's `name` output);
    - `instance_type`, `initial_instance_count` (1), `initial_variant_weight` (1): instance-based capacity. Serverless inference is not offered: it supports neither a VPC configuration nor network isolation;
    - `variant_name`: defaults to `variant-<n>`;
    - `volume_size_in_gb`, `model_data_download_timeout_in_seconds`, `container_startup_health_check_timeout_in_seconds`: optional tuning.
  EOT
  type = list(object({
    model_name                                        = string
    instance_type                                     = string
    initial_instance_count                            = optional(number, 1)
    initial_variant_weight                            = optional(number, 1)
    variant_name                                      = optional(string)
    volume_size_in_gb                                 = optional(number)
    model_data_download_timeout_in_seconds            = optional(number)
    container_startup_health_check_timeout_in_seconds = optional(number)
  }))
  nullable = false

  validation {
    condition     = length(var.production_variants) >= 1 && length(var.production_variants) <= 10
    error_message = "production_variants must list 1 to 10 variants."
  }

  validation {
    condition     = alltrue([for v in var.production_variants : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", v.model_name))])
    error_message = "Every variant's model_name must be a model name (the sagemaker-model module's name output), known at plan time so that smguard can check the model (SMG-ENDPOINT-001)."
  }

  validation {
    condition     = alltrue([for v in var.production_variants : can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", v.instance_type))])
    error_message = "Every variant needs an instance_type such as ml.m5.large: serverless inference supports neither a VPC configuration nor network isolation."
  }

  validation {
    condition     = alltrue([for v in var.production_variants : v.initial_instance_count >= 1])
    error_message = "Every variant's initial_instance_count must be at least 1."
  }

  validation {
    condition     = length(distinct([for i, v in var.production_variants : coalesce(v.variant_name, "variant-${i + 1}")])) == length(var.production_variants)
    error_message = "production_variants must have distinct variant_name values."
  }
}

variable "async_inference" {
  description = "Asynchronous inference: `output_s3_uri` (required) and `failure_s3_uri` receive the results, encrypted with `kms_key_arn` (default: the module's kms_key_arn); `success_topic_arn` / `error_topic_arn` are SNS topics to notify; `max_concurrent_invocations_per_instance` limits each instance. Null (the default) for real-time inference."
  type = object({
    output_s3_uri                           = string
    failure_s3_uri                          = optional(string)
    kms_key_arn                             = optional(string)
    success_topic_arn                       = optional(string)
    error_topic_arn                         = optional(string)
    max_concurrent_invocations_per_instance = optional(number)
  })
  default = null

  validation {
    condition     = var.async_inference == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.async_inference.output_s3_uri))
    error_message = "async_inference.output_s3_uri must be an S3 URI (s3://bucket/prefix)."
  }

  validation {
    condition     = try(var.async_inference.failure_s3_uri, null) == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", var.async_inference.failure_s3_uri))
    error_message = "async_inference.failure_s3_uri must be an S3 URI (s3://bucket/prefix), or left out."
  }

  validation {
    condition     = try(var.async_inference.kms_key_arn, null) == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/.+$", var.async_inference.kms_key_arn))
    error_message = "async_inference.kms_key_arn must be a KMS key or alias ARN, or left out to encrypt the output with kms_key_arn (SMG-ENDPOINT-004)."
  }
}

variable "tags" {
  description = "Tags for the endpoint configuration and the endpoint."
  type        = map(string)
  default     = {}
  nullable    = false
}
