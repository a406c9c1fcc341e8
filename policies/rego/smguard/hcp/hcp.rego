# METADATA
# description: |
#   HCP Terraform / Terraform Enterprise OPA policy sets. HCP Terraform passes
#   the plan as `input.plan` (lib/plan reads it from there) and expects each
#   policy query to return an array; policies.hcl beside the bundle names
#   `data.smguard.hcp.deny` (mandatory) and `data.smguard.hcp.warn` (advisory).
package smguard.hcp

deny contains finding.msg if some finding in data.smguard.main.deny

warn contains finding.msg if some finding in data.smguard.main.warn
