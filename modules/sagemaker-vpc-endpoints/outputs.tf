output "security_group_id" {
  description = "ID of the endpoints' security group (TCP 443 from allowed_security_group_ids)."
  value       = try(aws_security_group.this.id, null)
}

output "endpoint_ids" {
  description = "IDs of the VPC endpoints by service."
  value       = try({ for service, endpoint in aws_vpc_endpoint.this : service => endpoint.id }, null)
}
