variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "execution_role_arn" {
  description = "ARN of the SageMaker execution role."
  type        = string
  default     = "arn:aws:iam::111122223333:role/sagemaker-execution"
}

variable "subnet_ids" {
  description = "IDs of existing private subnets for the model."
  type        = list(string)
  default     = ["subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718"]
}

variable "security_group_ids" {
  description = "IDs of existing security groups for the model."
  type        = list(string)
  default     = ["sg-0a1b2c3d4e5f60718"]
}
