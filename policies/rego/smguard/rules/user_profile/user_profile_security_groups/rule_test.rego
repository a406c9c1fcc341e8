package smguard.rules.user_profile.user_profile_security_groups_test

import data.smguard.rules.user_profile.user_profile_security_groups as rule

# ---------------------------------------------------------------------------
# Fixtures

_address := "aws_sagemaker_user_profile.alice"

# A user profile whose user_settings hold the given security groups (null:
# not set) and whose other attributes are fixed.
_profile(security_groups, after_unknown) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_user_profile",
	"change": {
		"actions": ["create"],
		"after": {
			"domain_id": "d-abc123",
			"user_profile_name": "alice",
			"user_settings": [{
				"execution_role": "arn:aws:iam::123456789012:role/studio",
				"security_groups": security_groups,
			}],
		},
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_with_groups := _profile(["sg-1"], {})

_without_groups := _profile(null, {})

# domain_id unknown until apply (a domain created in the same plan).
# default_user_settings security groups unknown until apply.
_unknown_defaults := {"default_user_settings": [{"security_groups": true}]}

_unknown_domain(rc) := object.union(rc, {"change": {"after_unknown": {"domain_id": true}}})

_domain(address, security_groups, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": {
			"app_network_access_type": "VpcOnly",
			"default_user_settings": [{
				"execution_role": "arn:aws:iam::123456789012:role/studio",
				"security_groups": security_groups,
			}],
		},
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_security_group(address) := {
	"address": address,
	"mode": "managed",
	"type": "aws_security_group",
	"change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}},
}

_profile_config(domain_refs, sg_refs) := {
	"address": _address,
	"mode": "managed",
	"type": "aws_sagemaker_user_profile",
	"expressions": {
		"domain_id": {"references": domain_refs},
		"user_settings": [{"security_groups": {"references": sg_refs}}],
	},
}

_domain_config(address, sg_refs) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"expressions": {"default_user_settings": [{"security_groups": {"references": sg_refs}}]},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# Every finding of the rule: deny and warn results alike.
_findings := rule.deny | rule.warn

# ---------------------------------------------------------------------------
# Compliant: the profile's own groups

test_known_groups_pass if {
	count(_findings) == 0 with input as _plan([_with_groups], [])
}

test_unknown_groups_created_in_this_plan_pass if {
	rc := _profile(null, {"user_settings": [{"security_groups": true}]})
	changes := [rc, _security_group("aws_security_group.studio")]
	config := [_profile_config([], ["aws_security_group.studio.id", "aws_security_group.studio"])]
	count(_findings) == 0 with input as _plan(changes, config)
}

test_own_groups_pass_whatever_the_domain if {
	changes := [_unknown_domain(_with_groups), _domain("aws_sagemaker_domain.studio", [], {})]
	count(_findings) == 0 with input as _plan(changes, [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
}

# ---------------------------------------------------------------------------
# Compliant: groups from the domain's default_user_settings

test_domain_default_groups_pass if {
	changes := [_unknown_domain(_without_groups), _domain("aws_sagemaker_domain.studio", ["sg-1"], {})]
	config := [_profile_config(["aws_sagemaker_domain.studio.id", "aws_sagemaker_domain.studio"], [])]
	count(_findings) == 0 with input as _plan(changes, config)
}

test_domain_default_groups_created_in_this_plan_pass if {
	domain := _domain("aws_sagemaker_domain.studio", null, _unknown_defaults)
	changes := [_unknown_domain(_without_groups), domain, _security_group("aws_security_group.studio")]
	config := [
		_profile_config(["aws_sagemaker_domain.studio.id"], []),
		_domain_config("aws_sagemaker_domain.studio", ["aws_security_group.studio.id"]),
	]
	count(_findings) == 0 with input as _plan(changes, config)
}

test_unchanged_domain_with_known_id_resolved_through_configuration if {
	domain := _with_actions(_domain("aws_sagemaker_domain.studio", ["sg-1"], {}), ["no-op"])
	changes := [_without_groups, domain]
	count(_findings) == 0 with input as _plan(changes, [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
}

# ---------------------------------------------------------------------------
# Failing: neither the profile nor its domain has groups

test_no_groups_anywhere_denied if {
	every groups in [null, []] {
		changes := [_unknown_domain(_profile(groups, {})), _domain("aws_sagemaker_domain.studio", groups, {})]
		input_plan := _plan(changes, [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
		findings := rule.deny with input as input_plan
		_addresses(findings) == {_address}
		_message(findings, _address) == concat("", [
			"user_settings security_groups is not set and its domain aws_sagemaker_domain.studio ",
			"sets no default_user_settings security_groups",
		])
		count(rule.warn) == 0 with input as input_plan
	}
}

test_absent_user_settings_denied if {
	rc := object.union(_without_groups, {"change": {"after": {"user_settings": []}}})
	changes := [rc, _domain("aws_sagemaker_domain.studio", null, {})]
	findings := rule.deny with input as _plan(changes, [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
	_addresses(findings) == {_address}
}

test_one_bare_domain_of_several_denied if {
	changes := [
		_without_groups,
		_domain(`aws_sagemaker_domain.studio["a"]`, ["sg-1"], {}),
		_domain(`aws_sagemaker_domain.studio["b"]`, [], {}),
	]
	findings := rule.deny with input as _plan(changes, [_profile_config(["aws_sagemaker_domain.studio"], [])])
	count(findings) == 1
	contains(_message(findings, _address), `aws_sagemaker_domain.studio["b"]`)
}

# ---------------------------------------------------------------------------
# Warnings

test_unknown_groups_from_variable_warned if {
	rc := _profile(null, {"user_settings": [{"security_groups": true}]})
	input_plan := _plan([rc], [_profile_config([], ["var.security_group_ids"])])
	findings := rule.warn with input as input_plan
	_addresses(findings) == {_address}
	startswith(_message(findings, _address), "user_settings security_groups is unknown until apply")
	count(rule.deny) == 0 with input as input_plan
}

test_unknown_groups_warned_even_if_domain_has_none if {
	rc := _profile(null, {"user_settings": [{"security_groups": true}]})
	changes := [rc, _domain("aws_sagemaker_domain.studio", [], {})]
	config := [_profile_config(["aws_sagemaker_domain.studio.id"], ["var.security_group_ids"])]
	input_plan := _plan(changes, config)
	_addresses(rule.warn) == {_address} with input as input_plan
	count(rule.deny) == 0 with input as input_plan
}

test_no_groups_and_domain_outside_the_plan_warned if {
	every domain_refs in [[], ["var.domain_id"], ["data.aws_sagemaker_domain.shared.id"]] {
		input_plan := _plan([_without_groups], [_profile_config(domain_refs, [])])
		findings := rule.warn with input as input_plan
		_addresses(findings) == {_address}
		message := _message(findings, _address)
		contains(message, "domain_id is not a reference to an aws_sagemaker_domain in this plan")
		count(rule.deny) == 0 with input as input_plan
	}
}

test_no_groups_and_domain_defaults_unresolved_warned if {
	domain := _domain("aws_sagemaker_domain.studio", null, _unknown_defaults)
	config := [
		_profile_config(["aws_sagemaker_domain.studio.id"], []),
		_domain_config("aws_sagemaker_domain.studio", ["data.aws_security_groups.shared.ids"]),
	]
	findings := rule.warn with input as _plan([_unknown_domain(_without_groups), domain], config)
	message := _message(findings, _address)
	contains(message, "the domain's default_user_settings security_groups are unknown until apply")
}

test_deleted_domain_does_not_count if {
	domain := _with_actions(_domain("aws_sagemaker_domain.studio", ["sg-1"], {}), ["delete"])
	input_plan := _plan([_without_groups, domain], [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
	_addresses(rule.warn) == {_address} with input as input_plan
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_profile_ignored if {
	count(_findings) == 0 with input as _plan([_with_actions(_without_groups, ["delete"])], [])
}

test_replaced_updated_and_unchanged_profiles_checked if {
	every actions in [["delete", "create"], ["update"], ["no-op"]] {
		changes := [_with_actions(_without_groups, actions), _domain("aws_sagemaker_domain.studio", [], {})]
		input_plan := _plan(changes, [_profile_config(["aws_sagemaker_domain.studio.id"], [])])
		_addresses(rule.deny) == {_address} with input as input_plan
	}
}

test_child_module_profile_resolves_its_own_module_domain if {
	changes := [
		_in_module(_without_groups, `module.team["ml"]`),
		_in_module(_domain("aws_sagemaker_domain.studio", [], {}), `module.team["ml"]`),
		_domain("aws_sagemaker_domain.studio", ["sg-1"], {}),
	]
	team := {"module": {"resources": [_profile_config(["aws_sagemaker_domain.studio.id"], [])]}}
	input_plan := {
		"resource_changes": changes,
		"configuration": {"root_module": {"module_calls": {"team": team}}},
	}
	findings := rule.deny with input as input_plan
	profile := `module.team["ml"].aws_sagemaker_user_profile.alice`
	_addresses(findings) == {profile}
	contains(_message(findings, profile), `module.team["ml"].aws_sagemaker_domain.studio`)
}
