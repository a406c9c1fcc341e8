output "id" {
  description = "ID of the domain."
  value       = try(aws_sagemaker_domain.this.id, null)
}

output "arn" {
  description = "ARN of the domain."
  value       = try(aws_sagemaker_domain.this.arn, null)
}

output "url" {
  description = "URL of the domain's Studio."
  value       = try(aws_sagemaker_domain.this.url, null)
}

output "home_efs_file_system_id" {
  description = "ID of the home EFS volume (kept when the domain is deleted)."
  value       = try(aws_sagemaker_domain.this.home_efs_file_system_id, null)
}

output "security_group_id_for_domain_boundary" {
  description = "ID of the security group SageMaker creates for traffic between the domain and its EFS volume."
  value       = try(aws_sagemaker_domain.this.security_group_id_for_domain_boundary, null)
}

output "user_profile_arns" {
  description = "ARNs of the user profiles by name."
  value       = try({ for name, profile in aws_sagemaker_user_profile.this : name => profile.arn }, null)
}
