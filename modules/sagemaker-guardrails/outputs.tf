output "policy_arn" {
  description = "ARN of the IAM policy."
  value       = try(aws_iam_policy.this.arn, null)
}

output "policy_json" {
  description = "The policy document (the IAM policy's and the service control policy's)."
  value       = try(local.policy, null)
}

output "service_control_policy_id" {
  description = "ID of the service control policy, or null when none is created."
  value       = try(aws_organizations_policy.this[0].id, null)
}
