package smguard.rules.iam.iam_guardrail_conditions_test

import data.smguard.rules.iam.iam_guardrail_conditions as rule

# ---------------------------------------------------------------------------
# Fixtures

_creates := [
	"sagemaker:CreateModel",
	"sagemaker:CreateTrainingJob",
	"sagemaker:CreateProcessingJob",
	"sagemaker:CreateHyperParameterTuningJob",
]

_deny(sid, condition) := {"Sid": sid, "Effect": "Deny", "Action": _creates, "Resource": "*", "Condition": condition}

_no_vpc := _deny("DenyNoVpc", {"Null": {"sagemaker:VpcSubnets": "true"}})

_other_subnets := _deny(
	"DenyOtherSubnets",
	{"ForAnyValue:StringNotEquals": {"sagemaker:VpcSubnets": ["subnet-a", "subnet-b"]}},
)

_other_groups := _deny("DenyOtherGroups", {"ForAnyValue:StringNotEquals": {"sagemaker:VpcSecurityGroupIds": ["sg-a"]}})

_no_isolation := _deny("DenyNoIsolation", {"BoolIfExists": {"sagemaker:NetworkIsolation": "false"}})

_guardrail := [_no_vpc, _other_subnets, _other_groups, _no_isolation]

_document(statements) := {"Version": "2012-10-17", "Statement": statements}

_attribute := {
	"aws_iam_policy": "policy",
	"aws_iam_role_policy": "policy",
	"aws_iam_user_policy": "policy",
	"aws_iam_group_policy": "policy",
	"aws_organizations_policy": "content",
}

_policy(address, type, statements) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"name": "p",
	"change": {
		"actions": ["create"],
		"after": {"name": "p", _attribute[type]: json.marshal(_document(statements))},
		"after_unknown": {"arn": true, "id": true},
	},
}

_iam(statements) := _policy("aws_iam_policy.guardrail", "aws_iam_policy", statements)

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# The plan with one policy of these statements.
_input(statements) := _plan([_iam(statements)])

# Under `with input as _input(…)`: the policy fails, text in the message.
_fails(text) if {
	_addresses(rule.deny) == {"aws_iam_policy.guardrail"}
	contains(_message(rule.deny, "aws_iam_policy.guardrail"), text)
}

# Under `with input as _input(…)`: no failure, no warning.
_passes if {
	count(rule.deny) == 0
	count(rule.warn) == 0
}

# ---------------------------------------------------------------------------
# Correct guardrails

test_guardrail_passes if _passes with input as _input(_guardrail)

test_aws_documented_null_pair_passes if {
	null_pair := {"Null": {"sagemaker:VpcSubnets": "true", "sagemaker:VpcSecurityGroupIds": "true"}}
	_passes with input as _input([_deny("DenyNoVpc", null_pair)])
}

test_null_and_bool_statements_together_pass if {
	_passes with input as _input([
		_deny("NoKey", {"Null": {"sagemaker:NetworkIsolation": "true"}}),
		_deny("False", {"Bool": {"sagemaker:NetworkIsolation": "false"}}),
	])
}

test_negated_operator_without_set_on_single_valued_key_passes if {
	# StringNotEquals matches a missing key (IAM: negated operators are true when the key is absent).
	_passes with input as _input([_deny("Iso", {"StringNotEquals": {"sagemaker:NetworkIsolation": "true"}})])
}

test_statement_object_and_string_action_pass if {
	statement := {
		"Effect": "Deny",
		"Action": "sagemaker:CreateModel",
		"Resource": "*",
		"Condition": {"BoolIfExists": {"sagemaker:NetworkIsolation": false}},
	}
	policy := object.union(_iam([]), {"change": {"after": {"policy": json.marshal({"Statement": statement})}}})
	count(rule.deny) == 0 with input as _plan([policy])
}

test_keys_and_actions_are_case_insensitive if {
	_passes with input as _input([{
		"Effect": "Deny",
		"Action": ["SageMaker:createmodel"],
		"Resource": "*",
		"Condition": {"BoolIfExists": {"SageMaker:networkIsolation": "false"}},
	}])
}

test_account_resources_pass if {
	_passes with input as _input([object.union(_no_isolation, {"Resource": "arn:aws:sagemaker:*:111122223333:*"})])
	resources := ["arn:aws:sagemaker:*:*:model/*", "arn:aws:sagemaker:*:*:*-job/*"]
	_passes with input as _input([object.union(_no_isolation, {"Resource": resources})])
}

test_wildcard_action_with_if_exists_denies_every_create if {
	# CreateEndpoint has no sagemaker:NetworkIsolation key, so BoolIfExists matches it.
	statement := object.union(_no_isolation, {"Action": "sagemaker:Create*"})
	_fails("also denies every sagemaker:CreateEndpoint") with input as _input([statement])
}

test_principal_exemption_passes if {
	_passes with input as _input([_deny("Iso", {
		"BoolIfExists": {"sagemaker:NetworkIsolation": "false"},
		"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/break-glass"},
	})])
}

test_unrelated_policies_pass if {
	_passes with input as _input([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])
	_passes with input as _input([{"Effect": "Deny", "Action": "sagemaker:CreateTransformJob", "Resource": "*"}])
	_passes with input as _input([])
}

# ---------------------------------------------------------------------------
# Missing keys

test_bool_without_if_exists_fails if {
	statement := _deny("DenyNoIsolation", {"Bool": {"sagemaker:NetworkIsolation": "false"}})
	_fails("Bool does not match a missing key") with input as _input([statement])
	_fails(`statement "DenyNoIsolation"`) with input as _input([statement])
}

test_for_any_value_without_null_fails if {
	_fails("requests without a VpcConfig") with input as _input([_other_subnets])
	_fails("ForAnyValue:StringNotEquals does not match a missing key") with input as _input([_other_subnets])
}

test_null_in_another_statement_covers_the_missing_key if _passes with input as _input([_no_vpc, _other_subnets])

test_null_check_only_on_isolation_fails if {
	statement := _deny("NoKey", {"Null": {"sagemaker:NetworkIsolation": "true"}})
	_fails("requests with network isolation false") with input as _input([statement])
}

# ---------------------------------------------------------------------------
# Set operators

test_for_all_values_not_equals_fails if {
	statement := _deny("Subnets", {"ForAllValues:StringNotEquals": {"sagemaker:VpcSubnets": ["subnet-a"]}})
	_fails("ForAllValues:StringNotEquals on sagemaker:VpcSubnets") with input as _input([_no_vpc, statement])
	_fails("requests that add another subnet to a listed one") with input as _input([_no_vpc, statement])
}

test_not_equals_without_set_operator_fails if {
	statement := _deny("Subnets", {"StringNotEquals": {"sagemaker:VpcSecurityGroupIds": ["sg-a"]}})
	_fails("a multivalued key, needs ForAnyValue:") with input as _input([_no_vpc, statement])
}

test_for_any_value_equals_fails if {
	statement := _deny("Subnets", {"ForAnyValue:StringEquals": {"sagemaker:VpcSubnets": ["subnet-public"]}})
	_fails("denies the listed values") with input as _input([_no_vpc, statement])
}

test_set_operator_on_isolation_fails if {
	statement := _deny("Iso", {"ForAnyValue:Bool": {"sagemaker:NetworkIsolation": "false"}})
	_fails("single-valued") with input as _input([statement])
}

test_unknown_operator_fails if {
	statement := _deny("Iso", {"ArnNotEquals": {"sagemaker:VpcSubnets": "x"}})
	_fails("ArnNotEquals is not an operator for sagemaker:VpcSubnets") with input as _input([statement])
}

# ---------------------------------------------------------------------------
# Effect, actions, resources, keys

test_allow_fails if {
	statement := {
		"Sid": "AllowFromVpc",
		"Effect": "Allow",
		"Action": _creates,
		"Resource": "*",
		"Condition": {
			"ForAllValues:StringEquals": {"sagemaker:VpcSubnets": ["subnet-a"]},
			"Null": {"sagemaker:VpcSubnets": "false"},
		},
	}
	_fails(`Effect is "Allow"`) with input as _input([statement])
}

test_allow_beside_a_complete_deny_guardrail_passes if {
	allow := {
		"Sid": "AllowInVpc",
		"Effect": "Allow",
		"Action": _creates,
		"Resource": "*",
		"Condition": {"ForAllValues:StringEquals": {"sagemaker:VpcSubnets": ["subnet-a"]}},
	}
	_passes with input as _input(array.concat(_guardrail, [allow]))
}

test_wildcard_allowlist_passes if {
	any_private := _deny("Private", {"ForAnyValue:StringNotLike": {"sagemaker:VpcSubnets": ["subnet-*"]}})
	_passes with input as _input([_no_vpc, any_private])
}

test_not_action_fails if {
	statement := json.patch(_no_vpc, [
		{"op": "remove", "path": "/Action"},
		{"op": "add", "path": "/NotAction", "value": _creates},
	])
	_fails("NotAction exempts CreateHyperParameterTuningJob") with input as _input([statement])
	_fails("also denies every") with input as _input([statement])
}

test_misnamed_key_fails if {
	typo := _deny("Typo", {"Null": {"sagemaker:VpcSubnet": "true"}})
	_fails(`"sagemaker:VpcSubnet" is never in a SageMaker create request`) with input as _input([typo])
	_fails("did you mean sagemaker:VpcSubnets?") with input as _input([_deny("Ec2", {"Null": {"ec2:Subnet": "true"}})])
	parameter := _deny("Typo", {"Bool": {"sagemaker:EnableNetworkIsolation": "false"}})
	_fails("sagemaker:NetworkIsolation?") with input as _input([parameter])
}

test_limited_resource_fails if {
	statement := object.union(_no_vpc, {"Resource": "arn:aws:sagemaker:us-east-1:*:*"})
	_fails("leaves out some resources or regions") with input as _input([statement])
}

test_wildcard_action_denies_every_keyless_action if {
	statement := object.union(_no_vpc, {"Action": "sagemaker:*"})
	_fails("also denies every sagemaker:CreateEndpoint") with input as _input([statement])
}

# ---------------------------------------------------------------------------
# Conditions combined or inverted

test_conditions_in_one_statement_fail if {
	statement := _deny("All", {
		"Null": {"sagemaker:VpcSubnets": "true"},
		"Bool": {"sagemaker:NetworkIsolation": "false"},
	})
	_fails("must all match at once") with input as _input([statement])
	_fails("requests without a VpcConfig") with input as _input([statement])
}

test_null_and_value_check_in_one_statement_fail if {
	statement := _deny("Subnets", {
		"Null": {"sagemaker:VpcSubnets": "true"},
		"ForAnyValue:StringNotEquals": {"sagemaker:VpcSubnets": ["subnet-a"]},
	})
	_fails("must all match at once") with input as _input([statement])
}

test_unrelated_condition_in_the_statement_fails if {
	statement := _deny("Iso", {
		"BoolIfExists": {"sagemaker:NetworkIsolation": "false"},
		"StringEquals": {"aws:RequestedRegion": "eu-west-1"},
	})
	_fails("must all match at once") with input as _input([statement])
}

test_inverted_conditions_fail if {
	isolated := _deny("Iso", {"Bool": {"sagemaker:NetworkIsolation": "true"}})
	_fails("also denies compliant requests") with input as _input([isolated])
	present := _deny("Vpc", {"Null": {"sagemaker:VpcSubnets": "false"}})
	_fails("Null on sagemaker:VpcSubnets") with input as _input([present])
}

test_only_the_broken_statement_is_named if {
	findings := rule.deny with input as _plan([_iam([
		_no_vpc,
		_deny("Iso", {"Bool": {"sagemaker:NetworkIsolation": "false"}}),
	])])
	message := _message(findings, "aws_iam_policy.guardrail")
	contains(message, `statement "Iso"`)
	not contains(message, "DenyNoVpc")
}

test_statement_without_sid_is_named_by_index if {
	statement := object.remove(_deny("x", {"Bool": {"sagemaker:NetworkIsolation": "false"}}), ["Sid"])
	_fails("Statement[1]") with input as _input([_no_vpc, statement])
}

# ---------------------------------------------------------------------------
# Documents

test_unknown_document_warns if {
	policy := {
		"address": "aws_iam_policy.guardrail",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "guardrail",
		"change": {"actions": ["create"], "after": {"name": "guardrail"}, "after_unknown": {"policy": true}},
	}
	plan := object.union(_plan([policy]), {"configuration": {"root_module": {"resources": [{
		"address": "aws_iam_policy.guardrail",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "guardrail",
		"expressions": {"policy": {"references": [
			"data.aws_iam_policy_document.guardrail.json",
			"data.aws_iam_policy_document.guardrail",
		]}},
	}]}}})
	count(rule.deny) == 0 with input as plan
	warnings := rule.warn with input as plan
	_addresses(warnings) == {"aws_iam_policy.guardrail"}
	message := _message(warnings, "aws_iam_policy.guardrail")
	contains(message, "unknown until apply (it comes from data.aws_iam_policy_document.guardrail)")
}

test_invalid_document_fails if {
	policy := object.union(_iam([]), {"change": {"after": {"policy": "{not json"}}})
	findings := rule.deny with input as _plan([policy])
	contains(_message(findings, "aws_iam_policy.guardrail"), "not a JSON policy document")
}

test_every_policy_type_is_checked if {
	broken := [_deny("Iso", {"Bool": {"sagemaker:NetworkIsolation": "false"}})]
	changes := [
		_policy("aws_iam_role_policy.r", "aws_iam_role_policy", broken),
		_policy("aws_iam_user_policy.u", "aws_iam_user_policy", broken),
		_policy("aws_iam_group_policy.g", "aws_iam_group_policy", broken),
		_policy("aws_organizations_policy.scp", "aws_organizations_policy", broken),
	]
	_addresses(rule.deny) == {
		"aws_iam_role_policy.r",
		"aws_iam_user_policy.u",
		"aws_iam_group_policy.g",
		"aws_organizations_policy.scp",
	} with input as _plan(changes)
}

test_other_organizations_policy_types_ignored if {
	scp := _policy("aws_organizations_policy.tags", "aws_organizations_policy", [])
	tags := object.union(scp, {"change": {"after": {"type": "TAG_POLICY", "content": "{\"tags\": {}}"}}})
	count(rule.deny) == 0 with input as _plan([tags])
}

test_deleted_policy_ignored if {
	policy := object.union(_iam([_other_subnets]), {"change": {"actions": ["delete"]}})
	count(rule.deny) == 0 with input as _plan([policy])
}

test_child_module_policy_reported_with_full_address if {
	policy := object.union(_iam([_other_subnets]), {
		"address": `module.guardrails["prod"].aws_iam_policy.guardrail`,
		"module_address": `module.guardrails["prod"]`,
	})
	_addresses(rule.deny) == {`module.guardrails["prod"].aws_iam_policy.guardrail`} with input as _plan([policy])
}

test_wrapped_plans_checked if {
	every key in ["plan", "terraform"] {
		findings := rule.deny with input as {key: _plan([_iam([_other_subnets])])}
		_addresses(findings) == {"aws_iam_policy.guardrail"}
	}
}

test_one_result_per_policy if {
	findings := rule.deny with input as _plan([_iam([
		_other_subnets,
		_deny("Iso", {"Bool": {"sagemaker:NetworkIsolation": "false"}}),
	])])
	count(findings) == 1
}
