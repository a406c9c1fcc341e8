variable "name" {
  description = "Name of the ML platform, the prefix of every resource's name."
  type        = string
  default     = "ml-platform"
}

variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "network" {
  description = "The existing VPC: its ID, private subnets (one per Availability Zone) and their route tables."
  type = object({
    vpc_id                  = string
    private_subnet_ids      = list(string)
    private_route_table_ids = list(string)
  })
  default = {
    vpc_id                  = "vpc-0a1b2c3d4e5f60718"
    private_subnet_ids      = ["subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718", "subnet-0c1d2e3f4a5b60718"]
    private_route_table_ids = ["rtb-0a1b2c3d4e5f60718", "rtb-0b1c2d3e4f5a60718", "rtb-0c1d2e3f4a5b60718"]
  }
}

variable "security_group_ids" {
  description = "Existing security groups: `studio` for Studio apps, `models` for models and jobs."
  type = object({
    studio = string
    models = string
  })
  default = {
    studio = "sg-0c1d2e3f4a5b60718"
    models = "sg-0a1b2c3d4e5f60718"
  }
}

variable "kms_key_arn" {
  description = "ARN of the existing customer managed KMS key for Studio's home volume, endpoint volumes and asynchronous results."
  type        = string
  default     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "roles" {
  description = "ARNs of the existing execution roles."
  type = object({
    studio      = string
    ml_engineer = string
    models      = string
  })
  default = {
    studio      = "arn:aws:iam::111122223333:role/sagemaker-studio-execution"
    ml_engineer = "arn:aws:iam::111122223333:role/sagemaker-ml-engineer"
    models      = "arn:aws:iam::111122223333:role/sagemaker-model-execution"
  }
}

variable "artefact_bucket" {
  description = "Name of the S3 bucket with the model artefacts and the asynchronous results."
  type        = string
  default     = "example-ml-artefacts"
}

variable "guarded_role_names" {
  description = "Names of the roles that create SageMaker models and jobs; the guardrail policy is attached to them."
  type        = list(string)
  default     = ["sagemaker-studio-execution", "sagemaker-ml-engineer", "ml-pipelines"]
}

variable "break_glass_role_arns" {
  description = "ARNs of the roles the guardrail does not apply to."
  type        = list(string)
  default     = ["arn:aws:iam::111122223333:role/break-glass"]
}

variable "organizational_unit_ids" {
  description = "IDs of the organizational units the service control policy is attached to."
  type        = list(string)
  default     = ["ou-ab12-cd34ef56"]
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = { Project = "ml-platform" }
}
