variable "name" {
  description = "Name of the IAM policy and of the service control policy."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-zA-Z0-9+=,.@_-]{1,128}$", var.name))
    error_message = "name must be 1 to 128 letters, digits and +=,.@_- (IAM policy name characters)."
  }
}

variable "allowed_subnet_ids" {
  description = "The only subnets SageMaker models, training, processing and tuning jobs and monitoring job definitions may be created in. A request with no subnet, or with any subnet outside this list, is denied (sagemaker:VpcSubnets). Use the same list as smguard's allowlists.subnets."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.allowed_subnet_ids) >= 1
    error_message = "allowed_subnet_ids must list at least one subnet ID: the guardrail denies every create outside these subnets."
  }

  validation {
    condition     = alltrue([for s in var.allowed_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "allowed_subnet_ids must hold concrete subnet IDs (subnet-0123456789abcdef0): a wildcard, name or empty string would let requests in other subnets through or deny everything."
  }
}

variable "allowed_security_group_ids" {
  description = "The only security groups those resources may use (sagemaker:VpcSecurityGroupIds). Empty (the default) allows any security group, but one must still be given. Use the same list as smguard's allowlists.security_groups."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for g in var.allowed_security_group_ids : can(regex("^sg-[0-9a-f]{8,17}$", g))])
    error_message = "allowed_security_group_ids must hold concrete security group IDs (sg-0123456789abcdef0), not wildcards or names; leave it empty to allow any security group."
  }
}

variable "exempt_principal_arns" {
  description = "Principals the deny statements do not apply to (aws:PrincipalArn, ArnNotLike): a break-glass role, for example. Each must name its account; a wildcard account or a bare * would switch the guardrail off."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.exempt_principal_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:[a-zA-Z-]+/[^*?]+.*$", a))])
    error_message = "exempt_principal_arns must be IAM role or user ARNs with a literal account ID and path (arn:aws:iam::<account id>:role/<name>); a wildcard account, a bare * or arn:aws:iam::<account>:* would exempt every principal."
  }
}

variable "attach_to_role_names" {
  description = "Names of IAM roles to attach the IAM policy to: every role that creates SageMaker models or jobs (pipelines' and CI's roles included)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for r in var.attach_to_role_names : can(regex("^[a-zA-Z0-9+=,.@_-]{1,64}$", r))])
    error_message = "attach_to_role_names must hold IAM role names (not ARNs): 1 to 64 letters, digits and +=,.@_-."
  }
}

variable "service_control_policy" {
  description = "Also create the same statements as an AWS Organizations service control policy (run from the management account or a delegated administrator), attached to `target_ids` (account, OU or root IDs). Null (the default) creates only the IAM policy."
  type = object({
    target_ids = optional(list(string), [])
  })
  default = null

  validation {
    condition     = alltrue([for t in try(var.service_control_policy.target_ids, []) : can(regex("^([0-9]{12}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$", t))])
    error_message = "service_control_policy.target_ids must hold account IDs (12 digits), OU IDs (ou-xxxx-xxxxxxxx) or root IDs (r-xxxx)."
  }
}

variable "tags" {
  description = "Tags for the policies."
  type        = map(string)
  default     = {}
  nullable    = false
}
