output "endpoint_ids" {
  description = "IDs of the VPC endpoints by service."
  value       = module.vpc_endpoints.endpoint_ids
}
