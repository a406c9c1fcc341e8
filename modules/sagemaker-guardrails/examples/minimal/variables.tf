variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "allowed_subnet_ids" {
  description = "IDs of the subnets SageMaker workloads may use."
  type        = list(string)
  default     = ["subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718"]
}

variable "allowed_security_group_ids" {
  description = "IDs of the security groups SageMaker workloads may use."
  type        = list(string)
  default     = ["sg-0a1b2c3d4e5f60718"]
}

variable "ml_role_names" {
  description = "Names of the roles that create SageMaker models and jobs."
  type        = list(string)
  default     = ["ml-engineers", "ml-pipelines"]
}
