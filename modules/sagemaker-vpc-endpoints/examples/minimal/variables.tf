variable "region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
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

variable "workload_security_group_ids" {
  description = "IDs of the workloads' security groups."
  type        = list(string)
  default     = ["sg-0a1b2c3d4e5f60718"]
}
