package smguard.rules.domain.domain_replacement_test

import data.smguard.rules.domain.domain_replacement

# ---------------------------------------------------------------------------
# Fixtures

_before := {
	"domain_name": "ml-studio",
	"id": "d-abc123",
	"home_efs_file_system_id": "fs-0123456789abcdef0",
	"subnet_ids": ["subnet-a"],
	"retention_policy": [],
}

_domain(actions) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": actions,
		"before": _before,
		"after": {"domain_name": "ml-studio", "subnet_ids": ["subnet-b"]},
		"after_unknown": {"id": true},
	},
}

_deleted := object.union(_domain(["delete"]), {"change": {"after": null, "after_unknown": {}}})

_replaced := object.union(_domain(["delete", "create"]), {"change": {"replace_paths": [["subnet_ids"]]}})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_allow := {"domains": {"allow_replacement": true}}

_message(findings) := f.message if {
	count(findings) == 1
	some f in findings
}

# ---------------------------------------------------------------------------
# Compliant

test_created_updated_and_unchanged_domains_pass if {
	every actions in [["create"], ["update"], ["no-op"], ["read"]] {
		count(domain_replacement.deny) == 0 with input as _plan([_domain(actions)])
	}
}

test_forgotten_domain_passes if {
	count(domain_replacement.deny) == 0 with input as _plan([_domain(["forget"])])
}

test_replacement_allowed_by_configuration if {
	every rc in [_deleted, _replaced, _domain(["create", "delete"])] {
		count(domain_replacement.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _allow
	}
}

test_other_resource_types_ignored if {
	rc := object.union(_deleted, {"address": "aws_sagemaker_space.s", "type": "aws_sagemaker_space"})
	count(domain_replacement.deny) == 0 with input as _plan([rc])
}

test_data_sources_ignored if {
	rc := object.union(_deleted, {"address": "data.aws_sagemaker_domain.d", "mode": "data"})
	count(domain_replacement.deny) == 0 with input as _plan([rc])
}

# ---------------------------------------------------------------------------
# Failures

test_deleted_domain_denied if {
	findings := domain_replacement.deny with input as _plan([_deleted])
	{f.address | some f in findings} == {"aws_sagemaker_domain.d"}
	msg := _message(findings)
	startswith(msg, `the plan deletes Studio domain "ml-studio" (d-abc123): `)
	contains(msg, "the home EFS file system fs-0123456789abcdef0 and every user space go with it")
	not contains(msg, "forces replacement")
}

test_replaced_domain_denied_with_the_forcing_argument if {
	msg := _message(domain_replacement.deny) with input as _plan([_replaced])
	startswith(msg, `the plan replaces Studio domain "ml-studio" (d-abc123) because subnet_ids changed: `)
	contains(msg, "changing subnet_ids or the domain_settings security groups")
	contains(msg, "forces replacement")
	contains(msg, "every user space go with it")
}

test_create_before_destroy_replacement_denied if {
	msg := _message(domain_replacement.deny) with input as _plan([_domain(["create", "delete"])])
	startswith(msg, `the plan replaces Studio domain "ml-studio" (d-abc123): `)
}

test_nested_replace_paths_named if {
	rc := object.union(_domain(["delete", "create"]), {"change": {"replace_paths": [
		["domain_settings", 0, "security_group_ids"],
		["kms_key_id"],
	]}})
	msg := _message(domain_replacement.deny) with input as _plan([rc])
	contains(msg, "because domain_settings.0.security_group_ids, kms_key_id changed")
}

test_removed_from_configuration_named if {
	rc := object.union(_deleted, {"action_reason": "delete_because_no_resource_config"})
	msg := _message(domain_replacement.deny) with input as _plan([rc])
	contains(msg, "because it is no longer in the configuration")
}

test_retention_policy_named if {
	msg := _message(domain_replacement.deny) with input as _plan([_deleted])
	contains(msg, "retention_policy Retain only keeps the EFS volume")

	deleting := object.union(_deleted, {"change": {"before": {"retention_policy": [{"home_efs_file_system": "Delete"}]}}})
	msg_delete := _message(domain_replacement.deny) with input as _plan([deleting])
	contains(msg_delete, "retention_policy Delete deletes the EFS volume")
}

test_allow_replacement_must_be_true if {
	every value in [false, "true", null] {
		count(domain_replacement.deny) == 1 with input as _plan([_deleted])
			with data.smguard.config.settings as {"domains": {"allow_replacement": value}}
	}
}

test_missing_before_values_still_denied if {
	rc := object.union(_deleted, {"change": {"before": null}})
	msg := _message(domain_replacement.deny) with input as _plan([rc])
	startswith(msg, "the plan deletes Studio domain: the home EFS file system and every user space go with it")
}

test_deposed_object_reported_with_the_current_one if {
	deposed := object.union(_deleted, {"deposed": "00000001"})
	findings := domain_replacement.deny with input as _plan([_domain(["create"]), deposed])
	msg := _message(findings)
	startswith(msg, "the plan deletes deposed object 00000001 of Studio domain")

	both := domain_replacement.deny with input as _plan([_replaced, deposed])
	count(both) == 1
	contains(_message(both), "the plan replaces Studio domain")
	contains(_message(both), "; the plan deletes deposed object 00000001")
}

test_each_removed_domain_reported if {
	other := object.union(_deleted, {
		"address": `module.team["b"].aws_sagemaker_domain.d`,
		"module_address": `module.team["b"]`,
	})
	findings := domain_replacement.deny with input as _plan([_deleted, other, _domain(["create"])])
	{f.address | some f in findings} == {"aws_sagemaker_domain.d", `module.team["b"].aws_sagemaker_domain.d`}
}

test_wrapped_plans_read if {
	findings := domain_replacement.deny with input as {"plan": _plan([_deleted])}
	count(findings) == 1
}
