output "model_name" {
  description = "Name of the model."
  value       = module.model.name
}
