# METADATA
# title: Studio domains must set security groups for users and shared spaces
# description: |
#   The security groups in `default_user_settings` go on the network interfaces
#   of every user's Studio apps, and those in `default_space_settings` on the
#   apps of shared spaces; with VpcOnly they decide what that traffic may reach.
#   Without them, apps fall back to whatever the user profile or space sets, or
#   cannot start. When `allowlists.security_groups` is configured, every group
#   must be in it; IDs unknown until apply cannot be checked and are warned about.
# custom:
#   id: SMG-DOMAIN-004
#   severity: high
#   resources: [aws_sagemaker_domain]
#   reads: [aws_security_group]
#   remediation: >-
#     Set `default_user_settings.security_groups` (and
#     `default_space_settings.security_groups` when that block is present) on
#     the `aws_sagemaker_domain` to security groups that only allow the traffic
#     Studio needs, taken from `allowlists.security_groups` when configured.
#   aws_concept: DefaultUserSettings.SecurityGroups and DefaultSpaceSettings.SecurityGroups (CreateDomain)
package smguard.rules.domain.domain_security_groups

import data.smguard.lib.config
import data.smguard.lib.plan

_user := ["default_user_settings", 0, "security_groups"]

_space := ["default_space_settings", 0, "security_groups"]

deny contains plan.result(rc, concat("; ", array.concat(denials, _unverifiable(rc)))) if {
	some rc in plan.resources("aws_sagemaker_domain")
	denials := _denials(rc)
	count(denials) > 0
}

warn contains plan.result(rc, concat("; ", unverifiable)) if {
	some rc in plan.resources("aws_sagemaker_domain")
	count(_denials(rc)) == 0
	unverifiable := _unverifiable(rc)
	count(unverifiable) > 0
}

default _allowlist := []

_allowlist := v if {
	v := config.setting(["allowlists", "security_groups"])
	is_array(v)
}

# The security group lists the domain must set: default_user_settings always,
# default_space_settings when the block is present (or unknown).
_paths(rc) := [_user, _space] if {
	_has_space_settings(rc)
} else := [_user]

_has_space_settings(rc) if plan.nonempty(plan.value(rc, ["default_space_settings"]))

_has_space_settings(rc) if plan.unknown(rc, ["default_space_settings"])

_label(path) := concat(".", [path[0], path[2]])

_denials(rc) := [msg | some path in _paths(rc); msg := _denial(rc, path)]

_unverifiable(rc) := [msg | some path in _paths(rc); msg := _unverified(rc, path)]

_known(rc, path) := [g | some g in _list(plan.value(rc, path)); is_string(g)]

_list(v) := v if is_array(v)

else := []

_denial(rc, path) := sprintf("%s is not set", [_label(path)]) if {
	not plan.unknown(rc, path)
	not plan.nonempty(plan.value(rc, path))
} else := sprintf("%s %s not in allowlists.security_groups", [_label(path), _are(outside)]) if {
	count(_allowlist) > 0
	outside := sort({sprintf("%q", [g]) | some g in _known(rc, path); not g in _allowlist})
	count(outside) > 0
}

_are(quoted) := sprintf("%s is", [quoted[0]]) if count(quoted) == 1

else := sprintf("%s are", [concat(", ", quoted)])

# Unknown until apply: without an allowlist, a reference to a security group
# created in this plan is enough; with one, no new group's ID can be checked.
_unverified(rc, path) := msg if {
	count(_allowlist) > 0
	plan.unknown(rc, path)
	msg := sprintf(
		"%s (or some of them) are unknown until apply; they cannot be checked against allowlists.security_groups",
		[_label(path)],
	)
} else := msg if {
	plan.unknown(rc, path)
	count(plan.referenced(rc, path, "aws_security_group")) == 0
	msg := sprintf(
		"%s is unknown until apply and refers to no aws_security_group in this plan; it cannot be verified",
		[_label(path)],
	)
}
