"""Loaders turn an input (plan, Terraform source, live account) into a Document."""
