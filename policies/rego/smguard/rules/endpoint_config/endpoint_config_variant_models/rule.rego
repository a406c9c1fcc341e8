# METADATA
# title: Endpoint configurations must serve only compliant models
# description: |
#   Every production and shadow variant of an endpoint configuration runs a
#   model. The endpoint is only as isolated as its least isolated model, so
#   each variant's model must pass the model rules. A model that is not in the
#   plan, a model the model rules warn about, or a variant list that is unknown
#   until apply cannot be verified here and is reported as a warning.
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

# kind ("deny" or "warn") -> model address -> ids of the model rules that
# report it.
_model_findings.deny[finding.address] contains id if {
	# Read `deny`/`warn` only: the whole package would include test packages.
	some name
	findings := data.smguard.rules.model[name].deny # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_model_findings.warn[finding.address] contains id if {
	some name
	findings := data.smguard.rules.model[name].warn # regal ignore:prefer-some-in-iteration
	some finding in findings
	id := data.smguard.catalogue.rules[name].id
}

_flagged(kind, model) := object.get(_model_findings, [kind, model.address], set())

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

_failing(rc) := [sprintf("%s[%d] serves %s, which fails %s", [block, i, m.address, _ids("deny", m)]) |
	some [block, i, name] in _variants(rc)
	some m in _by_address(_models(rc, block, i, name))
	count(_flagged("deny", m)) > 0
]

# Models in the order of their addresses: the order OPA iterates a set of
# resource changes in, which its wasm target does not keep (messages list them).
_by_address(models) := [m |
	some address in sort([m.address | some m in models])
	some m in models
	m.address == address
]

_ids(kind, model) := concat(", ", sort(_flagged(kind, model)))

# Variants whose model cannot be verified: the variant list itself is unknown
# until apply, the model is not in the plan, or the model rules warn about it.
_unverified(rc) := array.concat(
	array.concat(
		[sprintf("%s is unknown until apply; the models it serves cannot be verified", [block]) |
			some block in _variant_blocks
			plan.unknown(rc, [block])
		],
		[_not_found(rc, block, i, name) |
			some [block, i, name] in _variants(rc)
			count(_models(rc, block, i, name)) == 0
		],
	),
	[sprintf("%s[%d] serves %s, which could not be fully verified (%s)", [block, i, m.address, _ids("warn", m)]) |
		some [block, i, name] in _variants(rc)
		some m in _by_address(_models(rc, block, i, name))
		count(_flagged("deny", m)) == 0
		count(_flagged("warn", m)) > 0
	],
)

_not_found(rc, block, i, name) := sprintf(
	"%s[%d] serves model %q, which is not in this plan and cannot be verified",
	[block, i, name],
) if {
	is_string(name)
} else := sprintf(
	"%s[%d] model_name is not set; the variant's model cannot be verified",
	[block, i],
) if {
	not plan.unknown(rc, [block, i, "model_name"])
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
