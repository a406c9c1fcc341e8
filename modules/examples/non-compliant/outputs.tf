output "endpoint_name" {
  description = "Name of the non-compliant endpoint."
  value       = aws_sagemaker_endpoint.unencrypted.name
}
