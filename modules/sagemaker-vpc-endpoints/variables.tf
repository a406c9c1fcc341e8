variable "name" {
  description = "Prefix for the names of the endpoints' security group and tags."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$", var.name))
    error_message = "name must be 1 to 63 letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "region" {
  description = "Region of the VPC, for the endpoints' service names (com.amazonaws.<region>.<service>). A literal, not a data source, so that the service names are known at plan time and smguard can match them (SMG-DOMAIN-006)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", var.region))
    error_message = "region must be an AWS region code such as eu-west-1."
  }
}

variable "network" {
  description = "The VPC: `vpc_id`; `subnet_ids`, the private subnets that get an interface endpoint network interface (those of the domain and the models, one per Availability Zone); `route_table_ids`, the route tables of those subnets, which get the S3 gateway endpoint."
  type = object({
    vpc_id          = string
    subnet_ids      = list(string)
    route_table_ids = list(string)
  })
  nullable = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.network.vpc_id))
    error_message = "network.vpc_id must be a VPC ID (vpc-0123456789abcdef0)."
  }

  validation {
    condition     = length(var.network.subnet_ids) >= 1 && alltrue([for s in var.network.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "network.subnet_ids must list at least one subnet ID (subnet-0123456789abcdef0), at most one per Availability Zone: the interface endpoints are reachable only from the VPC through them."
  }

  validation {
    condition     = length(var.network.route_table_ids) >= 1 && alltrue([for r in var.network.route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", r))])
    error_message = "network.route_table_ids must list the route tables (rtb-0123456789abcdef0) of the workloads' subnets: without them the S3 gateway endpoint routes nothing, and isolated models cannot download their artefacts."
  }
}

variable "allowed_security_group_ids" {
  description = "Security groups of the workloads (Studio domain, models, jobs) that may reach the interface endpoints: each gets an ingress rule for TCP 443 on the endpoints' security group."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.allowed_security_group_ids) >= 1 && alltrue([for g in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "allowed_security_group_ids must list the workloads' security group IDs (sg-0123456789abcdef0): without them nothing can reach the endpoints and Studio apps hang while starting (SMG-DOMAIN-006)."
  }
}

variable "services" {
  description = "Services to create endpoints for, as the part of the service name after com.amazonaws.<region>.: s3 gets a gateway endpoint, every other service an interface endpoint with private DNS. The default is what a VpcOnly Studio domain and isolated models need (smguard's vpc_endpoints.required_services); add services (kms, monitoring, sagemaker.featurestore-runtime, ...) but do not remove these."
  type        = list(string)
  default     = ["s3", "sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr"]
  nullable    = false

  validation {
    condition     = alltrue([for s in var.services : can(regex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$", s)) && !startswith(s, "com.amazonaws.")])
    error_message = "services must hold service names such as sagemaker.api, without the com.amazonaws.<region>. prefix."
  }

  validation {
    condition     = length(setsubtract(["s3", "sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr"], var.services)) == 0
    error_message = "services must include s3, sagemaker.api, sagemaker.runtime, sts, logs, ecr.api and ecr.dkr: without any of them Studio apps in a VpcOnly domain fail to start (SMG-DOMAIN-006). Add services to the default list rather than replacing it."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
