output "name" {
  description = "Name of the model: pass it to the sagemaker-endpoint module's production_variants[*].model_name."
  value       = try(aws_sagemaker_model.this.name, null)
}

output "arn" {
  description = "ARN of the model."
  value       = try(aws_sagemaker_model.this.arn, null)
}

output "network_isolation" {
  description = "Whether the model runs with network isolation (false only with network_isolation_opt_out)."
  value       = try(aws_sagemaker_model.this.enable_network_isolation, null)
}
