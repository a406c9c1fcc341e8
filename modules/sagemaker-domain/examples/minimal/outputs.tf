output "domain_url" {
  description = "URL of the domain's Studio."
  value       = module.domain.url
}
