package smguard.rules.iam.iam_guardrail_present_test

import data.smguard.rules.iam.iam_guardrail_present as rule

# ---------------------------------------------------------------------------
# Fixtures

_guarded := [
	"sagemaker:CreateModel",
	"sagemaker:CreateTrainingJob",
	"sagemaker:CreateProcessingJob",
	"sagemaker:CreateHyperParameterTuningJob",
	"sagemaker:CreateDataQualityJobDefinition",
	"sagemaker:CreateModelBiasJobDefinition",
	"sagemaker:CreateModelExplainabilityJobDefinition",
	"sagemaker:CreateModelQualityJobDefinition",
]

_deny(condition) := {"Effect": "Deny", "Action": _guarded, "Resource": "*", "Condition": condition}

_no_vpc := _deny({"Null": {"sagemaker:VpcSubnets": "true"}})

_other_subnets := _deny({"ForAnyValue:StringNotEquals": {"sagemaker:VpcSubnets": ["subnet-a", "subnet-b"]}})

_other_groups := _deny({"ForAnyValue:StringNotEquals": {"sagemaker:VpcSecurityGroupIds": ["sg-a"]}})

_no_isolation := _deny({"BoolIfExists": {"sagemaker:NetworkIsolation": "false"}})

_guardrail := [_no_vpc, _other_subnets, _other_groups, _no_isolation]

_attribute := {"aws_iam_policy": "policy", "aws_iam_role_policy": "policy", "aws_organizations_policy": "content"}

_policy(address, type, statements) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"name": "p",
	"change": {
		"actions": ["create"],
		"after": {"name": "p", _attribute[type]: json.marshal({"Version": "2012-10-17", "Statement": statements})},
		"after_unknown": {"arn": true, "id": true},
	},
}

_iam(statements) := _policy("aws_iam_policy.guardrail", "aws_iam_policy", statements)

_scp(statements) := _policy("aws_organizations_policy.guardrail", "aws_organizations_policy", statements)

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_required := {"iam_guardrails": {"required": true}}

_allowlists(subnets, groups) := object.union(_required, {"allowlists": {"subnets": subnets, "security_groups": groups}})

_message(findings) := f.message if {
	some f in findings
	f.address == "plan"
}

# Under `with input … with data.smguard.config.settings …`: one failure,
# on the plan, with text in its message.
_fails(text) if {
	{f.address | some f in rule.deny} == {"plan"}
	contains(_message(rule.deny), text)
	count(rule.warn) == 0
}

_passes if {
	count(rule.deny) == 0
	count(rule.warn) == 0
}

# ---------------------------------------------------------------------------
# Not required

test_not_required_by_default if {
	count(rule.deny) == 0 with input as _plan([])
	count(rule.warn) == 0 with input as _plan([])
}

test_not_required_when_false if {
	_passes with input as _plan([])
		with data.smguard.config.settings as {"iam_guardrails": {"required": false}}
}

# ---------------------------------------------------------------------------
# Required

test_no_policy_fails_on_the_plan if {
	_fails("sagemaker:VpcSecurityGroupIds) for every guarded create action") with input as _plan([])
		with data.smguard.config.settings as _required
	_fails("requests that do not set network isolation") with input as _plan([])
		with data.smguard.config.settings as _required
	_fails("requests with sagemaker:NetworkIsolation false") with input as _plan([])
		with data.smguard.config.settings as _required
}

test_guardrail_policy_passes if {
	_passes with input as _plan([_iam(_guardrail)])
		with data.smguard.config.settings as _required
}

test_guardrail_scp_passes if {
	_passes with input as _plan([_scp(_guardrail)])
		with data.smguard.config.settings as _required
}

test_guardrail_inline_role_policy_passes if {
	_passes with input as _plan([_policy("aws_iam_role_policy.r", "aws_iam_role_policy", _guardrail)])
		with data.smguard.config.settings as _required
}

test_guardrail_split_over_policies_passes if {
	_passes with input as _plan([_scp([_no_isolation]), _iam([_no_vpc])]) with data.smguard.config.settings as _required
}

test_principal_exemption_still_counts if {
	exempted := _deny({
		"BoolIfExists": {"sagemaker:NetworkIsolation": "false"},
		"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/break-glass"},
	})
	_passes with input as _plan([_iam([_no_vpc, exempted])]) with data.smguard.config.settings as _required
}

test_missing_isolation_guard_fails if {
	_fails("(no sagemaker:NetworkIsolation) for every guarded create action") with input as _plan([_iam([_no_vpc])])
		with data.smguard.config.settings as _required
}

test_bool_without_if_exists_fails if {
	statement := _deny({"Bool": {"sagemaker:NetworkIsolation": "false"}})
	_fails("requests that do not set network isolation") with input as _plan([_iam([_no_vpc, statement])])
		with data.smguard.config.settings as _required
}

test_missing_vpc_guard_fails if {
	_fails("requests without a VpcConfig") with input as _plan([_iam([_no_isolation])])
		with data.smguard.config.settings as _required
}

test_partial_actions_fail if {
	statement := object.union(_no_isolation, {"Action": ["sagemaker:CreateModel", "sagemaker:CreateTrainingJob"]})
	_fails(concat("", [
		"(no sagemaker:NetworkIsolation) for CreateDataQualityJobDefinition, ",
		"CreateHyperParameterTuningJob, CreateModelBiasJobDefinition",
	])) with input as _plan([_iam([_no_vpc, statement])]) with data.smguard.config.settings as _required
}

test_wildcard_actions_count if {
	_passes with input as _plan([_iam([object.union(_no_vpc, {"Action": "sagemaker:Create*"}), _no_isolation])])
		with data.smguard.config.settings as _required
}

test_allow_statements_do_not_count if {
	allow := object.union(_no_isolation, {"Effect": "Allow"})
	_fails("network isolation") with input as _plan([_iam([_no_vpc, allow])])
		with data.smguard.config.settings as _required
}

test_narrowing_condition_does_not_count if {
	regional := _deny({
		"BoolIfExists": {"sagemaker:NetworkIsolation": "false"},
		"StringEquals": {"aws:RequestedRegion": "eu-west-1"},
	})
	_fails("network isolation") with input as _plan([_iam([_no_vpc, regional])])
		with data.smguard.config.settings as _required
}

test_deleted_guardrail_does_not_count if {
	policy := object.union(_iam(_guardrail), {"change": {"actions": ["delete"]}})
	_fails("requests without a VpcConfig") with input as _plan([policy]) with data.smguard.config.settings as _required
}

# ---------------------------------------------------------------------------
# Allowlists

test_policy_allowlist_inside_configured_one_passes if {
	_passes with input as _plan([_iam(_guardrail)])
		with data.smguard.config.settings as _allowlists(["subnet-a", "subnet-b", "subnet-c"], ["sg-a"])
}

test_policy_allowlist_wider_than_configured_one_fails if {
	settings := _allowlists(["subnet-a"], [])
	outside := "requests with subnets outside allowlists.subnets for every guarded create action"
	_fails(outside) with input as _plan([_iam(_guardrail)])
		with data.smguard.config.settings as settings
	_fails("requests adding a subnet outside allowlists.subnets to an allowed one") with input as _plan([_iam(_guardrail)])
		with data.smguard.config.settings as settings
}

test_configured_allowlist_without_value_check_fails if {
	_fails("security groups outside allowlists.security_groups") with input as _plan([_iam([_no_vpc, _no_isolation])])
		with data.smguard.config.settings as _allowlists([], ["sg-a"])
}

test_for_all_values_lets_mixed_lists_through if {
	statement := _deny({"ForAllValues:StringNotEquals": {"sagemaker:VpcSubnets": ["subnet-a"]}})
	findings := rule.deny with input as _plan([_iam([_no_vpc, statement, _no_isolation])])
		with data.smguard.config.settings as _allowlists(["subnet-a"], [])
	message := _message(findings)
	contains(message, "to an allowed one")
	not contains(message, "requests with subnets outside")
}

test_wildcard_allowlist_wider_than_configured_fails if {
	statement := _deny({"ForAnyValue:StringNotLike": {"sagemaker:VpcSubnets": ["subnet-0a*"]}})
	_fails("outside allowlists.subnets") with input as _plan([_iam([_no_vpc, statement, _no_isolation])])
		with data.smguard.config.settings as _allowlists(["subnet-0a1"], [])
}

# ---------------------------------------------------------------------------
# Unknown documents

test_unknown_policy_warns_instead if {
	unknown := {
		"address": "aws_iam_policy.pending",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "pending",
		"change": {"actions": ["create"], "after": {"name": "pending"}, "after_unknown": {"policy": true}},
	}
	count(rule.deny) == 0 with input as _plan([unknown]) with data.smguard.config.settings as _required
	warnings := rule.warn with input as _plan([unknown]) with data.smguard.config.settings as _required
	{f.address | some f in warnings} == {"plan"}
	contains(_message(warnings), "unknown until apply, and may provide it: aws_iam_policy.pending")
}

test_unknown_policy_ignored_when_guardrail_known if {
	unknown := {
		"address": "aws_iam_policy.pending",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "pending",
		"change": {"actions": ["create"], "after": {"name": "pending"}, "after_unknown": {"policy": true}},
	}
	_passes with input as _plan([unknown, _scp(_guardrail)]) with data.smguard.config.settings as _required
}

test_wrapped_plans_checked if {
	every key in ["plan", "terraform"] {
		findings := rule.deny with input as {key: _plan([])} with data.smguard.config.settings as _required
		{f.address | some f in findings} == {"plan"}
	}
}
