output "policy_arn" {
  description = "ARN of the guardrail IAM policy."
  value       = module.guardrails.policy_arn
}
