# METADATA
# title: Endpoint configurations must serve only compliant models
# description: |
#   Every production and shadow variant of an endpoint configuration runs a
#   model. The endpoint is only as isolated as its least isolated model, so
#   each variant's model must pass the model rules. A model that is not in the
#   plan cannot be verified here and is reported as a warning.
# custom:
#   id: SMG-ENDPOINT-001
#   severity: high
#   resources: [aws_sagemaker_endpoint_configuration]
#   reads: [aws_sagemaker_model, aws_subnet, aws_security_group]
#   remediation: >-
#     Point every `production_variants` and `shadow_production_variants`
#     `model_name` at an `aws_sagemaker_model` with
#     `enable_network_isolation = true` and a `vpc_config`.
#   aws_concept: ProductionVariants (CreateEndpointConfig)
package smguard.rules.endpoint_config.endpoint_config_variant_models

import data.smguard.lib.plan

# Model address -> names of the model rules it fails.
_model_failures[address] contains name if {
	some name, rule in data.smguard.rules.model
	some finding in rule.deny
	address := finding.address
}

_variant_blocks := ["production_variants", "shadow_production_variants"]

# [block, index, model_name] for every variant of the configuration.
_variants(rc) := [[block, i, object.get(variant, "model_name", null)] |
	some block in _variant_blocks
	some i, variant in object.get(plan.after(rc), block, [])
]

# Models a variant serves: by known name, and by reference when the name is
# unknown until apply.
_models(rc, block, i, name) := plan.named("aws_sagemaker_model", name) | plan.referenced(
	rc,
	[block, i, "model_name"],
	"aws_sagemaker_model",
)

_failing(rc) := [sprintf("%s[%d] serves %s, which fails %s", [block, i, m.address, _failed_rules(m)]) |
	some [block, i, name] in _variants(rc)
	some m in _models(rc, block, i, name)
	count(object.get(_model_failures, m.address, set())) > 0
]

_failed_rules(model) := concat(", ", sort(object.get(_model_failures, model.address, set())))

_unverified(rc) := [_unverified_reason(block, i, name) |
	some [block, i, name] in _variants(rc)
	count(_models(rc, block, i, name)) == 0
]

_unverified_reason(block, i, name) := sprintf(
	"%s[%d] serves model %q, which is not in this plan and cannot be verified",
	[block, i, name],
) if {
	is_string(name)
} else := sprintf(
	"%s[%d] model_name is unknown until apply and does not refer to a model in this plan; it cannot be verified",
	[block, i],
)

deny contains plan.result(rc, concat("; ", failing)) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	failing := _failing(rc)
	count(failing) > 0
}

warn contains plan.result(rc, concat("; ", unverified)) if {
	some rc in plan.resources("aws_sagemaker_endpoint_configuration")
	count(_failing(rc)) == 0
	unverified := _unverified(rc)
	count(unverified) > 0
}
