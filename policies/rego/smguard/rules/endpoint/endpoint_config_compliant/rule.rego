# METADATA
# title: Endpoints must use a compliant endpoint configuration
# description: |
#   An endpoint runs whatever its endpoint configuration describes, so it is
#   reported when that configuration fails the endpoint configuration rules.
#   A configuration that is not in the plan, or that could not be fully
#   verified, is reported as a warning.
# custom:
#   id: SMG-ENDPOINT-002
#   severity: high
#   resources: [aws_sagemaker_endpoint]
#   reads: [aws_sagemaker_endpoint_configuration, aws_sagemaker_model, aws_subnet, aws_security_group]
#   remediation: >-
#     Set `endpoint_config_name` to an `aws_sagemaker_endpoint_configuration`
#     whose variants all serve compliant models.
#   aws_concept: EndpointConfigName (CreateEndpoint)
package smguard.rules.endpoint.endpoint_config_compliant

import data.smguard.lib.plan

# kind ("deny" or "warn") -> endpoint configuration address -> ids of the
# endpoint configuration rules that report it.
_config_findings.deny[finding.address] contains id if {
	# Read `deny`/`warn` only: the whole package would include test packages.
	some name
	findings := data.smguard.rules.endpoint_config[name].deny # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_config_findings.warn[finding.address] contains id if {
	some name
	findings := data.smguard.rules.endpoint_config[name].warn # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_configs(rc) := by_name | by_reference if {
	by_name := plan.named("aws_sagemaker_endpoint_configuration", plan.value(rc, ["endpoint_config_name"]))
	by_reference := plan.referenced(rc, ["endpoint_config_name"], "aws_sagemaker_endpoint_configuration")
}

# Ids of the rules that deny (kind "deny") or warn about a configuration.
_found(kind, config) := object.get(_config_findings, [kind, config.address], set())

deny contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_endpoint")
	failing := sort([sprintf("%s fails %s", [c.address, concat(", ", sort(_found("deny", c)))]) |
		some c in _configs(rc)
		count(_found("deny", c)) > 0
	])
	count(failing) > 0
	msg := sprintf("endpoint configuration %s", [concat("; ", failing)])
}

warn contains plan.result(rc, _unverified_reason(rc)) if {
	some rc in plan.resources("aws_sagemaker_endpoint")
	count(_configs(rc)) == 0
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_endpoint")
	configs := _configs(rc)
	count([c | some c in configs; count(_found("deny", c)) > 0]) == 0
	warned := [c.address | some c in configs; count(_found("warn", c)) > 0]
	count(warned) > 0
	msg := sprintf(
		"endpoint configuration %s could not be fully verified",
		[concat(", ", sort(warned))],
	)
}

_unverified_reason(rc) := sprintf("endpoint configuration %q is not in this plan and cannot be verified", [name]) if {
	name := plan.value(rc, ["endpoint_config_name"])
	is_string(name)
} else := concat(" ", [
	"endpoint_config_name is unknown until apply and does not refer to a configuration",
	"in this plan; it cannot be verified",
])
