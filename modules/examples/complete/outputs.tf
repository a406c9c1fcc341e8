output "studio_url" {
  description = "URL of the Studio domain."
  value       = module.domain.url
}

output "realtime_endpoint_name" {
  description = "Name of the real-time endpoint."
  value       = module.realtime.endpoint_name
}

output "async_endpoint_name" {
  description = "Name of the asynchronous endpoint."
  value       = module.batch_scoring.endpoint_name
}

output "guardrail_policy_arn" {
  description = "ARN of the guardrail IAM policy."
  value       = module.guardrails.policy_arn
}

output "service_control_policy_id" {
  description = "ID of the guardrail service control policy."
  value       = module.guardrails.service_control_policy_id
}
