variable "name" {
  description = "Name of the Studio domain."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.name))
    error_message = "name must be 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "network" {
  description = "Where Studio runs: `vpc_id`, `subnet_ids` (private subnets, 1 to 16) and `security_group_ids` (1 to 5), which go on every user's and every shared space's apps. In VpcOnly mode all Studio traffic leaves through these subnets: give them the endpoints of the sagemaker-vpc-endpoints module. Changing the VPC or the subnets replaces the domain and its home EFS volume (SMG-DOMAIN-007)."
  type = object({
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  nullable = false

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.network.vpc_id))
    error_message = "network.vpc_id must be a VPC ID (vpc-0123456789abcdef0): a domain without a VPC fails SMG-DOMAIN-002."
  }

  validation {
    condition     = length(var.network.subnet_ids) >= 1 && length(var.network.subnet_ids) <= 16 && alltrue([for s in var.network.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "network.subnet_ids must list 1 to 16 private subnet IDs (subnet-0123456789abcdef0) of the VPC (SMG-DOMAIN-002)."
  }

  validation {
    condition     = length(var.network.security_group_ids) >= 1 && length(var.network.security_group_ids) <= 5 && alltrue([for g in var.network.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "network.security_group_ids must list 1 to 5 security group IDs (sg-0123456789abcdef0): they go in default_user_settings and default_space_settings (SMG-DOMAIN-004)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts the home EFS volume (SMG-DOMAIN-005). It can only be chosen when the domain is created: changing it replaces the domain."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a customer managed KMS key (arn:aws:kms:<region>:<account id>:key/<id>): without it the home EFS volume is encrypted with an AWS managed key (SMG-DOMAIN-005)."
  }
}

variable "execution_role_arn" {
  description = "ARN of the IAM role that users' and shared spaces' apps run as, unless a user profile names its own."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN: arn:aws:iam::<account id>:role/<name>."
  }
}

variable "auth_mode" {
  description = "How users sign in: `IAM` or `SSO` (IAM Identity Center)."
  type        = string
  default     = "IAM"
  nullable    = false

  validation {
    condition     = contains(["IAM", "SSO"], var.auth_mode)
    error_message = "auth_mode must be \"IAM\" or \"SSO\"."
  }
}

variable "user_profiles" {
  description = "User profiles by name. Each may name its own `execution_role_arn` and extra `security_group_ids`; the profile always gets the domain's security groups as well (SageMaker aggregates them anyway, and the plan then shows them: SMG-PROFILE-001), at most 5 in all."
  type = map(object({
    execution_role_arn = optional(string)
    security_group_ids = optional(list(string), [])
    tags               = optional(map(string), {})
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for name in keys(var.user_profiles) : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", name))])
    error_message = "user_profiles keys are the profile names: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit."
  }

  validation {
    condition = alltrue([
      for p in values(var.user_profiles) :
      alltrue([for g in p.security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))]) &&
      length(distinct(concat(var.network.security_group_ids, p.security_group_ids))) <= 5
    ])
    error_message = "A user profile's security_group_ids must be security group IDs (sg-0123456789abcdef0), at most 5 together with network.security_group_ids."
  }

  validation {
    condition     = alltrue([for p in values(var.user_profiles) : p.execution_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", p.execution_role_arn))])
    error_message = "A user profile's execution_role_arn must be an IAM role ARN (arn:aws:iam::<account id>:role/<name>), or left out to use execution_role_arn."
  }
}

variable "public_internet_access_opt_out" {
  description = "Switches the domain to PublicInternetOnly: Studio apps then reach the internet through a SageMaker-managed network that no security group, endpoint or firewall of yours sees, and smguard reports the domain (SMG-DOMAIN-001). Leave null (the default) for VpcOnly; the `reason` (10 to 256 characters, letters, digits, spaces and _.:/=+-@) is recorded in the tag smguard:public-internet-opt-out. Changing it replaces the domain."
  type = object({
    reason = string
  })
  default = null

  validation {
    condition     = var.public_internet_access_opt_out == null || can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{10,256}$", try(trimspace(var.public_internet_access_opt_out.reason), "")))
    error_message = "public_internet_access_opt_out.reason must say why Studio needs direct internet access, in 10 to 256 letters, digits, spaces and _.:/=+-@ (it becomes a tag value); or set public_internet_access_opt_out = null to keep the domain VpcOnly."
  }
}

variable "tags" {
  description = "Tags for the domain and the user profiles."
  type        = map(string)
  default     = {}
  nullable    = false
}
