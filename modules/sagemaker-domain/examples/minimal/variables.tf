variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "execution_role_arn" {
  description = "ARN of the Studio execution role."
  type        = string
  default     = "arn:aws:iam::111122223333:role/sagemaker-studio-execution"
}

variable "kms_key_arn" {
  description = "ARN of an existing customer managed KMS key."
  type        = string
  default     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "vpc_id" {
  description = "ID of the existing VPC."
  type        = string
  default     = "vpc-0a1b2c3d4e5f60718"
}

variable "subnet_ids" {
  description = "IDs of the existing private subnets."
  type        = list(string)
  default     = ["subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718"]
}

variable "route_table_ids" {
  description = "IDs of the private subnets' route tables."
  type        = list(string)
  default     = ["rtb-0a1b2c3d4e5f60718"]
}

variable "studio_security_group_ids" {
  description = "IDs of the existing security groups for Studio apps."
  type        = list(string)
  default     = ["sg-0c1d2e3f4a5b60718"]
}
