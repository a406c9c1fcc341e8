# METADATA
# title: SageMaker models must use only allowlisted subnets and security groups
# description: |
#   The subnets and security groups of a model's `vpc_config` decide where its
#   network interfaces are placed and what they can reach. When the settings
#   `allowlists.subnets` or `allowlists.security_groups` are configured, every
#   entry must be in them, so that models only land in the private subnets and
#   behind the security groups that were vetted. An empty allowlist means "not
#   configured" and is not checked; a model without a `vpc_config` is left to
#   SMG-MODEL-002. Lists that are unknown until apply cannot be compared and are
#   reported as a warning.
# custom:
#   id: SMG-MODEL-003
#   severity: medium
#   resources: [aws_sagemaker_model]
#   remediation: >-
#     Set `vpc_config.subnets` and `vpc_config.security_group_ids` on the
#     `aws_sagemaker_model` to ids listed in the smguard settings
#     `allowlists.subnets` and `allowlists.security_groups`.
#   aws_concept: VpcConfig.Subnets and VpcConfig.SecurityGroupIds (CreateModel)
package smguard.rules.model.model_vpc_allowlist

import data.smguard.lib.config
import data.smguard.lib.plan

# [attribute, path in the model, allowlist setting]
_lists := [
	["subnets", ["vpc_config", 0, "subnets"], "subnets"],
	["security_group_ids", ["vpc_config", 0, "security_group_ids"], "security_groups"],
]

# The lists whose allowlist is configured (non-empty), with the allowlist.
_checked := [[attribute, path, setting, allowed] |
	some [attribute, path, setting] in _lists
	allowed := config.setting(["allowlists", setting])
	is_array(allowed)
	count(allowed) > 0
]

deny contains plan.result(rc, concat("; ", outside)) if {
	some rc in plan.resources("aws_sagemaker_model")
	outside := _outside(rc)
	count(outside) > 0
}

warn contains plan.result(rc, concat("; ", unknown)) if {
	some rc in plan.resources("aws_sagemaker_model")
	count(_outside(rc)) == 0
	unknown := [sprintf(
		"vpc_config.%s is unknown until apply and cannot be compared with allowlists.%s",
		[attribute, setting],
	) |
		some [attribute, path, setting, _] in _checked
		plan.unknown(rc, path)
	]
	count(unknown) > 0
}

# Known entries that are not in their allowlist, one message per list.
_outside(rc) := [sprintf("vpc_config.%s has %s, which allowlists.%s does not list", [
	attribute,
	concat(", ", outside),
	setting,
]) |
	some [attribute, path, setting, allowed] in _checked
	outside := sort({entry |
		some entry in _known_entries(rc, path)
		not entry in allowed
	})
	count(outside) > 0
]

_known_entries(rc, path) := [entry |
	some entry in plan.value(rc, path)
	is_string(entry)
] if {
	is_array(plan.value(rc, path))
} else := []
