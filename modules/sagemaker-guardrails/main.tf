locals {
  # The SageMaker create actions that take the sagemaker:VpcSubnets,
  # sagemaker:VpcSecurityGroupIds and sagemaker:NetworkIsolation condition keys.
  actions = [
    "sagemaker:CreateModel",
    "sagemaker:CreateTrainingJob",
    "sagemaker:CreateProcessingJob",
    "sagemaker:CreateHyperParameterTuningJob",
    "sagemaker:CreateDataQualityJobDefinition",
    "sagemaker:CreateModelBiasJobDefinition",
    "sagemaker:CreateModelExplainabilityJobDefinition",
    "sagemaker:CreateModelQualityJobDefinition",
  ]

  exempt = length(var.exempt_principal_arns) == 0 ? {} : {
    ArnNotLike = { "aws:PrincipalArn" = var.exempt_principal_arns }
  }

  # Each statement denies one way of breaking the guardrail. A missing key
  # means the request has no VPC configuration; ForAnyValue:StringNotEquals
  # matches a list with any value outside the allowlist; BoolIfExists also
  # matches a request that does not set network isolation at all.
  conditions = merge(
    {
      DenyWithoutVpcSubnets        = { Null = { "sagemaker:VpcSubnets" = "true" } }
      DenyWithoutVpcSecurityGroups = { Null = { "sagemaker:VpcSecurityGroupIds" = "true" } }
      DenySubnetsOutsideAllowlist  = { "ForAnyValue:StringNotEquals" = { "sagemaker:VpcSubnets" = var.allowed_subnet_ids } }
      DenyWithoutNetworkIsolation  = { BoolIfExists = { "sagemaker:NetworkIsolation" = "false" } }
    },
    length(var.allowed_security_group_ids) == 0 ? {} : {
      DenySecurityGroupsOutsideAllowlist = { "ForAnyValue:StringNotEquals" = { "sagemaker:VpcSecurityGroupIds" = var.allowed_security_group_ids } }
    },
  )

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      for sid, condition in local.conditions : {
        Sid       = sid
        Effect    = "Deny"
        Action    = local.actions
        Resource  = "*"
        Condition = merge(condition, local.exempt)
      }
    ]
  })

  scp_targets = toset(try(var.service_control_policy.target_ids, []))
}

resource "aws_iam_policy" "this" {
  name        = var.name
  description = "Denies creating SageMaker models and jobs outside the allowed subnets and security groups or without network isolation"
  policy      = local.policy

  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = toset(var.attach_to_role_names)

  role       = each.value
  policy_arn = aws_iam_policy.this.arn
}

resource "aws_organizations_policy" "this" {
  count = var.service_control_policy == null ? 0 : 1

  name        = var.name
  description = "Denies creating SageMaker models and jobs outside the allowed subnets and security groups or without network isolation"
  type        = "SERVICE_CONTROL_POLICY"
  content     = local.policy

  tags = var.tags
}

resource "aws_organizations_policy_attachment" "this" {
  for_each = local.scp_targets

  policy_id = aws_organizations_policy.this[0].id
  target_id = each.value
}
