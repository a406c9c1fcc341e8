package smguard.rules.domain.domain_network_allowlist_test

import data.smguard.rules.domain.domain_network_allowlist

# ---------------------------------------------------------------------------
# Fixtures

_domain(after, after_unknown) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": object.union(
			{
				"domain_name": "studio",
				"app_network_access_type": "VpcOnly",
				"vpc_id": "vpc-1",
				"subnet_ids": ["subnet-a", "subnet-b"],
			},
			after,
		),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_allowed := _domain({}, {})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_settings := {"allowlists": {"vpcs": ["vpc-1", "vpc-2"], "subnets": ["subnet-a", "subnet-b", "subnet-c"]}}

_message(findings) := f.message if {
	count(findings) == 1
	some f in findings
}

# ---------------------------------------------------------------------------
# Compliant

test_allowlisted_vpc_and_subnets_pass if {
	input_plan := _plan([_allowed])
	count(domain_network_allowlist.deny) == 0 with input as input_plan with data.smguard.config.settings as _settings
	count(domain_network_allowlist.warn) == 0 with input as input_plan with data.smguard.config.settings as _settings
}

test_no_allowlists_configured_passes_anything if {
	outside := _domain({"vpc_id": "vpc-9", "subnet_ids": ["subnet-z"]}, {})
	unknown := _domain({}, {"vpc_id": true, "subnet_ids": true})
	every rc in [outside, unknown] {
		count(domain_network_allowlist.deny) == 0 with input as _plan([rc])
		count(domain_network_allowlist.warn) == 0 with input as _plan([rc])
	}
}

test_only_the_configured_allowlist_applies if {
	rc := _domain({"subnet_ids": ["subnet-z"]}, {})
	count(domain_network_allowlist.deny) == 0 with input as _plan([rc])
		with data.smguard.config.settings as {"allowlists": {"vpcs": ["vpc-1"]}}
	findings := domain_network_allowlist.deny with input as _plan([rc])
		with data.smguard.config.settings as {"allowlists": {"subnets": ["subnet-a"]}}
	contains(_message(findings), `subnet_ids "subnet-z" is not in allowlists.subnets`)
}

# ---------------------------------------------------------------------------
# Failures

test_vpc_outside_allowlist_denied if {
	rc := _domain({"vpc_id": "vpc-9"}, {})
	findings := domain_network_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	{f.address | some f in findings} == {"aws_sagemaker_domain.d"}
	_message(findings) == `vpc_id "vpc-9" is not in allowlists.vpcs`
	count(domain_network_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_subnets_outside_allowlist_denied if {
	rc := _domain({"subnet_ids": ["subnet-a", "subnet-y", "subnet-x"]}, {})
	findings := domain_network_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	_message(findings) == `subnet_ids "subnet-x", "subnet-y" are not in allowlists.subnets`
}

test_vpc_and_subnets_outside_allowlists_in_one_finding if {
	rc := _domain({"vpc_id": "vpc-9", "subnet_ids": ["subnet-z"]}, {})
	msg := _message(domain_network_allowlist.deny) with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(msg, `vpc_id "vpc-9"`)
	contains(msg, `subnet_ids "subnet-z" is not`)
}

test_missing_values_denied if {
	every after in [{"vpc_id": null, "subnet_ids": []}, {"vpc_id": "", "subnet_ids": null}] {
		rc := _domain(after, {})
		msg := _message(domain_network_allowlist.deny) with input as _plan([rc])
			with data.smguard.config.settings as _settings
		contains(msg, "vpc_id is not set")
		contains(msg, "subnet_ids is not set")
	}
}

test_denial_also_names_unknown_values if {
	rc := _domain({"vpc_id": "vpc-9", "subnet_ids": null}, {"subnet_ids": true})
	msg := _message(domain_network_allowlist.deny) with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(msg, `vpc_id "vpc-9" is not in allowlists.vpcs`)
	contains(msg, "subnet_ids (or some of them) are unknown until apply")
}

# ---------------------------------------------------------------------------
# Warnings: unknown until apply

test_unknown_vpc_warned if {
	rc := _domain({"vpc_id": null}, {"vpc_id": true})
	count(domain_network_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
	msg := _message(domain_network_allowlist.warn) with input as _plan([rc]) with data.smguard.config.settings as _settings
	msg == "vpc_id is unknown until apply; it cannot be checked against allowlists.vpcs"
}

test_unknown_subnets_warned if {
	every pair in [[null, true], [["subnet-a", null], [false, true]]] {
		rc := _domain({"subnet_ids": pair[0]}, {"subnet_ids": pair[1]})
		count(domain_network_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
		msg := _message(domain_network_allowlist.warn) with input as _plan([rc])
			with data.smguard.config.settings as _settings
		contains(msg, "subnet_ids (or some of them) are unknown until apply")
	}
}

test_partly_unknown_subnets_with_one_outside_denied if {
	rc := _domain({"subnet_ids": ["subnet-z", null]}, {"subnet_ids": [false, true]})
	msg := _message(domain_network_allowlist.deny) with input as _plan([rc]) with data.smguard.config.settings as _settings
	contains(msg, `subnet_ids "subnet-z" is not in allowlists.subnets`)
	count(domain_network_allowlist.warn) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_domain_ignored if {
	rc := object.union(_domain({"vpc_id": "vpc-9"}, {}), {"change": {"actions": ["delete"]}})
	count(domain_network_allowlist.deny) == 0 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_replaced_domain_checked if {
	rc := object.union(_domain({"vpc_id": "vpc-9"}, {}), {"change": {"actions": ["delete", "create"]}})
	count(domain_network_allowlist.deny) == 1 with input as _plan([rc]) with data.smguard.config.settings as _settings
}

test_child_module_address_reported if {
	rc := object.union(_domain({"vpc_id": "vpc-9"}, {}), {
		"address": `module.studio["a"].aws_sagemaker_domain.d`,
		"module_address": `module.studio["a"]`,
	})
	findings := domain_network_allowlist.deny with input as _plan([rc]) with data.smguard.config.settings as _settings
	{f.address | some f in findings} == {`module.studio["a"].aws_sagemaker_domain.d`}
}
