output "endpoint_name" {
  description = "Name of the endpoint."
  value       = try(aws_sagemaker_endpoint.this.name, null)
}

output "endpoint_arn" {
  description = "ARN of the endpoint."
  value       = try(aws_sagemaker_endpoint.this.arn, null)
}

output "endpoint_configuration_name" {
  description = "Name of the endpoint configuration (`<name>-<hash of its settings>`)."
  value       = try(aws_sagemaker_endpoint_configuration.this.name, null)
}

output "endpoint_configuration_arn" {
  description = "ARN of the endpoint configuration."
  value       = try(aws_sagemaker_endpoint_configuration.this.arn, null)
}
