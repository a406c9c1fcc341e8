# HCP Terraform / Terraform Enterprise OPA policy set: point the policy set's
# VCS path at policies/rego. Failures block the run; warnings are advisory.
policy "smguard" {
  query             = "data.smguard.hcp.deny"
  enforcement_level = "mandatory"
  description       = "SageMaker network-isolation guardrails (smguard)"
}

policy "smguard-warnings" {
  query             = "data.smguard.hcp.warn"
  enforcement_level = "advisory"
  description       = "smguard findings that could not be verified from the plan"
}
