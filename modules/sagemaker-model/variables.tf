variable "name" {
  description = "Name of the model. Endpoint configurations (the sagemaker-endpoint module) refer to the model by this name, and smguard links their variants to the model through it, so it must be known at plan time."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "execution_role_arn" {
  description = "ARN of the IAM role SageMaker assumes to pull the image and download the model artefact. With network isolation the containers never receive its credentials."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN: arn:aws:iam::<account id>:role/<name>."
  }
}

variable "containers" {
  description = <<-EOT
    The model's containers. One container becomes the primary container; two or more make an inference pipeline run as `inference_execution_mode` says.
    - `image`: the container image URI. With network isolation it must not be a Chainer or SageMaker Reinforcement Learning framework image (they cannot run isolated, SMG-MODEL-004).
    - `model_data_url`: the S3 URI of the model artefact. SageMaker downloads it before it isolates the container, so package the inference code and weights in it.
    - `environment`: environment variables. With network isolation no value may point the container at something it would fetch at start: an S3 URI, an AWS service endpoint, a Hugging Face Hub model id or token (SMG-MODEL-005).
    - `container_hostname`: the container's host name in an inference pipeline.
  EOT
  type = list(object({
    image              = string
    model_data_url     = optional(string)
    environment        = optional(map(string), {})
    container_hostname = optional(string)
  }))
  nullable = false

  validation {
    condition     = length(var.containers) >= 1 && length(var.containers) <= 15
    error_message = "containers must list 1 to 15 containers: one for a single-container model, several for an inference pipeline."
  }

  validation {
    condition     = alltrue([for c in var.containers : length(trimspace(c.image)) > 0])
    error_message = "Every entry in containers needs an image: the URI of the container image in ECR."
  }

  validation {
    condition = var.network_isolation_opt_out != null || alltrue([
      for c in var.containers : !can(regex("(^|/)(sagemaker-chainer|sagemaker-rl-[^/:@]*)([:@]|$)", lower(c.image)))
    ])
    error_message = "A Chainer or SageMaker Reinforcement Learning framework image cannot run with network isolation (SMG-MODEL-004). Use an image with the inference code and its dependencies built in, such as an AWS Deep Learning Container."
  }

  validation {
    condition = var.network_isolation_opt_out != null || alltrue(flatten([
      for c in var.containers : [for v in values(c.environment) : !startswith(lower(trimspace(v)), "s3://")]
    ]))
    error_message = "An environment value is an S3 URI, which an isolated container cannot download (SMG-MODEL-005). Package the code and data in the artefact at model_data_url and point the variable at the local path, e.g. SAGEMAKER_SUBMIT_DIRECTORY = \"/opt/ml/model/code\"."
  }

  validation {
    condition = var.network_isolation_opt_out != null || alltrue(flatten([
      for c in var.containers : [for v in values(c.environment) : !can(regex("(?i)([a-z0-9-]+\\.)+amazonaws\\.com(\\.cn)?([:/?#]|$)", v))]
    ]))
    error_message = "An environment value names an AWS service endpoint, which an isolated container cannot reach and has no credentials for (SMG-MODEL-005). Make such calls in front of the endpoint (for example API Gateway and Lambda) and send the data in the request."
  }

  validation {
    condition = var.network_isolation_opt_out != null || alltrue(flatten([
      for c in var.containers : [
        for k, v in c.environment :
        !(contains(["HF_MODEL_ID", "OPTION_MODEL_ID"], k) && v != "" && !startswith(v, "/")) &&
        !(contains(["HF_TOKEN", "HF_API_TOKEN", "HUGGING_FACE_HUB_TOKEN"], k) && v != "")
      ]
    ]))
    error_message = "HF_MODEL_ID or OPTION_MODEL_ID names a model hub id, or a Hugging Face token is set: an isolated container cannot download from the hub (SMG-MODEL-005). Put the weights in the artefact at model_data_url, set HF_MODEL_ID = \"/opt/ml/model\" and remove the token."
  }
}

variable "vpc_config" {
  description = "Where the model's network interfaces go: `subnet_ids` (private subnets, 1 to 16) and `security_group_ids` (1 to 5). SageMaker's own traffic for the model (artefact download, image pull) then stays in the VPC; give the subnets the endpoints of the sagemaker-vpc-endpoints module."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  nullable = false

  validation {
    condition     = length(var.vpc_config.subnet_ids) >= 1 && length(var.vpc_config.subnet_ids) <= 16
    error_message = "vpc_config.subnet_ids must list 1 to 16 private subnets: a model outside a VPC fails SMG-MODEL-002 and the guardrails' sagemaker:VpcSubnets condition."
  }

  validation {
    condition     = length(var.vpc_config.security_group_ids) >= 1 && length(var.vpc_config.security_group_ids) <= 5
    error_message = "vpc_config.security_group_ids must list 1 to 5 security groups: a model without them fails SMG-MODEL-002 and the guardrails' sagemaker:VpcSecurityGroupIds condition."
  }

  validation {
    condition     = alltrue([for s in var.vpc_config.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "vpc_config.subnet_ids must hold subnet IDs (subnet-0123456789abcdef0), not names, CIDRs or empty strings."
  }

  validation {
    condition     = alltrue([for g in var.vpc_config.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "vpc_config.security_group_ids must hold security group IDs (sg-0123456789abcdef0), not names or empty strings."
  }
}

variable "inference_execution_mode" {
  description = "How an inference pipeline (two or more containers) runs them: `Serial` passes each container's output to the next, `Direct` lets the caller invoke one container. Ignored for a single container."
  type        = string
  default     = "Serial"
  nullable    = false

  validation {
    condition     = contains(["Serial", "Direct"], var.inference_execution_mode)
    error_message = "inference_execution_mode must be \"Serial\" or \"Direct\"."
  }
}

variable "network_isolation_opt_out" {
  description = "Turns network isolation OFF: the containers can then reach the internet and AWS services with the execution role's credentials, smguard reports the model (SMG-MODEL-001) and the sagemaker-guardrails policy, where attached, denies creating it. Leave null (the default) unless the model cannot work isolated; the `reason` (10 to 256 characters, letters, digits, spaces and _.:/=+-@) is recorded in the tag smguard:network-isolation-opt-out."
  type = object({
    reason = string
  })
  default = null

  validation {
    condition     = var.network_isolation_opt_out == null || can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{10,256}$", try(trimspace(var.network_isolation_opt_out.reason), "")))
    error_message = "network_isolation_opt_out.reason must say why the model cannot run isolated, in 10 to 256 letters, digits, spaces and _.:/=+-@ (it becomes a tag value); or set network_isolation_opt_out = null to keep isolation on."
  }
}

variable "tags" {
  description = "Tags for the model."
  type        = map(string)
  default     = {}
  nullable    = false
}
