package smguard.rules.domain.domain_security_groups_test

import data.smguard.rules.domain.domain_security_groups

# ---------------------------------------------------------------------------
# Fixtures

_role := "arn:aws:iam::123456789012:role/studio"

_domain(user_groups, space) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": {
			"domain_name": "studio",
			"app_network_access_type": "VpcOnly",
			"default_user_settings": [{"execution_role": _role, "security_groups": user_groups}],
			"default_space_settings": space,
		},
		"after_unknown": {"arn": true, "id": true},
	},
}

_with_unknown(rc, after_unknown) := object.union(rc, {"change": {"after_unknown": after_unknown}})

_space(groups) := [{"execution_role": _role, "security_groups": groups}]

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_sg(address) := {
	"address": address,
	"mode": "managed",
	"type": "aws_security_group",
	"change": {"actions": ["create"], "after": {"name": "studio"}, "after_unknown": {"id": true}},
}

_config(user_refs, space_refs) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"expressions": {
		"default_user_settings": [{"security_groups": {"references": user_refs}}],
		"default_space_settings": [{"security_groups": {"references": space_refs}}],
	},
}

_settings := {"allowlists": {"security_groups": ["sg-1", "sg-2"]}}

_message(findings) := f.message if {
	count(findings) == 1
	some f in findings
}

# ---------------------------------------------------------------------------
# Compliant

test_user_groups_set_and_no_space_settings_passes if {
	rc := _domain(["sg-1"], [])
	count(domain_security_groups.deny) == 0 with input as _plan([rc], [])
	count(domain_security_groups.warn) == 0 with input as _plan([rc], [])
}

test_user_and_space_groups_set_passes if {
	rc := _domain(["sg-1"], _space(["sg-2"]))
	count(domain_security_groups.deny) == 0 with input as _plan([rc], [])
	count(domain_security_groups.warn) == 0 with input as _plan([rc], [])
}

test_groups_created_in_this_plan_pass if {
	rc := _with_unknown(_domain([null], _space([null])), {
		"default_user_settings": [{"security_groups": [true]}],
		"default_space_settings": [{"security_groups": [true]}],
	})
	refs := ["aws_security_group.studio.id", "aws_security_group.studio"]
	input_plan := _plan([rc, _sg("aws_security_group.studio")], [_config(refs, refs)])
	count(domain_security_groups.deny) == 0 with input as input_plan
	count(domain_security_groups.warn) == 0 with input as input_plan
}

test_allowlisted_groups_pass if {
	rc := _domain(["sg-1"], _space(["sg-1", "sg-2"]))
	count(domain_security_groups.deny) == 0 with input as _plan([rc], []) with data.smguard.config.settings as _settings
	count(domain_security_groups.warn) == 0 with input as _plan([rc], []) with data.smguard.config.settings as _settings
}

# ---------------------------------------------------------------------------
# Failures

test_missing_user_groups_denied if {
	every groups in [[], null] {
		findings := domain_security_groups.deny with input as _plan([_domain(groups, [])], [])
		_message(findings) == "default_user_settings.security_groups is not set"
	}
}

test_missing_space_groups_denied if {
	every groups in [[], null] {
		findings := domain_security_groups.deny with input as _plan([_domain(["sg-1"], _space(groups))], [])
		_message(findings) == "default_space_settings.security_groups is not set"
	}
}

test_both_missing_in_one_finding if {
	findings := domain_security_groups.deny with input as _plan([_domain([], _space([]))], [])
	msg := _message(findings)
	contains(msg, "default_user_settings.security_groups is not set")
	contains(msg, "default_space_settings.security_groups is not set")
}

test_groups_outside_allowlist_denied if {
	rc := _domain(["sg-1", "sg-9"], _space(["sg-8", "sg-7"]))
	findings := domain_security_groups.deny with input as _plan([rc], []) with data.smguard.config.settings as _settings
	msg := _message(findings)
	contains(msg, `default_user_settings.security_groups "sg-9" is not in allowlists.security_groups`)
	contains(msg, `default_space_settings.security_groups "sg-7", "sg-8" are not in allowlists.security_groups`)
}

test_failure_is_not_also_a_warning if {
	rc := _with_unknown(_domain([], _space([null])), {"default_space_settings": [{"security_groups": [true]}]})
	input_plan := _plan([rc], [_config([], ["var.space_sg"])])
	msg := _message(domain_security_groups.deny) with input as input_plan
	contains(msg, "default_user_settings.security_groups is not set")
	contains(msg, "default_space_settings.security_groups is unknown until apply")
	count(domain_security_groups.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Warnings

test_unresolved_groups_warned if {
	rc := _with_unknown(_domain([null], []), {"default_user_settings": [{"security_groups": [true]}]})
	input_plan := _plan([rc], [_config(["var.studio_sg"], [])])
	count(domain_security_groups.deny) == 0 with input as input_plan
	msg := _message(domain_security_groups.warn) with input as input_plan
	contains(msg, "default_user_settings.security_groups is unknown until apply and refers to no aws_security_group")
}

test_reference_to_other_type_warned if {
	rc := _with_unknown(_domain(["sg-1"], _space([null])), {"default_space_settings": [{"security_groups": [true]}]})
	other := object.union(_sg("aws_vpc.main"), {"type": "aws_vpc"})
	input_plan := _plan([rc, other], [_config([], ["aws_vpc.main.default_security_group_id"])])
	msg := _message(domain_security_groups.warn) with input as input_plan
	startswith(msg, "default_space_settings.security_groups is unknown until apply")
}

test_unknown_groups_with_allowlist_warned if {
	rc := _with_unknown(_domain([null], []), {"default_user_settings": [{"security_groups": [true]}]})
	input_plan := _plan([rc, _sg("aws_security_group.studio")], [_config(["aws_security_group.studio.id"], [])])
	count(domain_security_groups.warn) == 0 with input as input_plan
	msg := _message(domain_security_groups.warn) with input as input_plan with data.smguard.config.settings as _settings
	contains(msg, "cannot be checked against allowlists.security_groups")
}

test_wholly_unknown_groups_with_allowlist_warned if {
	rc := _with_unknown(_domain(null, []), {"default_user_settings": [{"security_groups": true}]})
	input_plan := _plan([rc], [_config(["var.studio_sgs"], [])])
	count(domain_security_groups.deny) == 0 with input as input_plan with data.smguard.config.settings as _settings
	msg := _message(domain_security_groups.warn) with input as input_plan with data.smguard.config.settings as _settings
	contains(msg, "cannot be checked against allowlists.security_groups")
}

test_allowlist_that_is_not_a_list_is_not_configured if {
	rc := _domain(["sg-9"], [])
	settings := {"allowlists": {"security_groups": null}}
	count(domain_security_groups.deny) == 0 with input as _plan([rc], []) with data.smguard.config.settings as settings
}

test_unknown_space_settings_block_checked if {
	rc := _with_unknown(_domain(["sg-1"], null), {"default_space_settings": true})
	msg := _message(domain_security_groups.warn) with input as _plan([rc], [])
	startswith(msg, "default_space_settings.security_groups is unknown until apply")
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_domain_ignored if {
	rc := object.union(_domain([], []), {"change": {"actions": ["delete"]}})
	count(domain_security_groups.deny) == 0 with input as _plan([rc], [])
}

test_child_module_references_resolved_in_the_module if {
	rc := object.union(
		_with_unknown(_domain([null], []), {"default_user_settings": [{"security_groups": [true]}]}),
		{"address": "module.studio.aws_sagemaker_domain.d", "module_address": "module.studio"},
	)
	sg := object.union(_sg("aws_security_group.studio"), {
		"address": "module.studio.aws_security_group.studio",
		"module_address": "module.studio",
	})
	module := {"resources": [_config(["aws_security_group.studio.id"], [])]}
	input_plan := {
		"resource_changes": [rc, sg],
		"configuration": {"root_module": {"module_calls": {"studio": {"module": module}}}},
	}
	count(domain_security_groups.warn) == 0 with input as input_plan
	count(domain_security_groups.deny) == 0 with input as input_plan
}
