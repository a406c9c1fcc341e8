# METADATA
# title: IAM guardrails on SageMaker network settings must deny every non-compliant request
# description: |
#   A policy or SCP that tries to enforce SageMaker VPC placement or network
#   isolation with sagemaker:VpcSubnets, sagemaker:VpcSecurityGroupIds or
#   sagemaker:NetworkIsolation is easy to get subtly wrong: Bool and
#   ForAnyValue: do not match a missing key, ForAllValues:StringNotEquals lets a
#   list that includes one allowed subnet through, conditions in one statement
#   must all match, an Allow cannot take away what another policy allows. Such a
#   policy looks like a guardrail but lets non-isolated training jobs and models
#   through, including those created outside Terraform.
# custom:
#   id: SMG-IAM-002
#   severity: high
#   resources:
#     - aws_iam_policy
#     - aws_iam_role_policy
#     - aws_iam_user_policy
#     - aws_iam_group_policy
#     - aws_organizations_policy
#   remediation: >-
#     In the `policy` (or SCP `content`), use Deny statements with `Resource = "*"`, one requirement
#     per statement: `"Null": {"sagemaker:VpcSubnets": "true"}`,
#     `"ForAnyValue:StringNotEquals": {"sagemaker:VpcSubnets": [allowed IDs]}` (likewise
#     `sagemaker:VpcSecurityGroupIds`) and `"BoolIfExists": {"sagemaker:NetworkIsolation": "false"}`.
#   aws_concept: IAM condition operators on sagemaker:VpcSubnets, VpcSecurityGroupIds and NetworkIsolation
package smguard.rules.iam.iam_guardrail_conditions

import data.smguard.lib.iam
import data.smguard.lib.plan

deny contains plan.result(rc, concat("; ", problems)) if {
	some rc in iam.policy_resources
	iam.status(rc) == "known"
	problems := _problems(rc)
	count(problems) > 0
}

deny contains plan.result(rc, message) if {
	some rc in iam.policy_resources
	iam.status(rc) == "invalid"
	message := sprintf("%s is not a JSON policy document, so its statements cannot be checked", [iam.attribute(rc)])
}

warn contains plan.result(rc, message) if {
	some rc in iam.policy_resources
	iam.status(rc) == "unknown"
	message := sprintf("%s is unknown until apply%s, so its statements cannot be checked", [
		iam.attribute(rc),
		_source(rc),
	])
}

# Where an unknown document comes from, e.g. data.aws_iam_policy_document.x.
_source(rc) := sprintf(" (it comes from %s)", [concat(", ", sources)]) if {
	refs := plan.references(rc, [iam.attribute(rc)])
	sources := sort({ref |
		some ref in refs
		not _longer(refs, ref)
	})
	count(sources) > 0
} else := ""

_longer(refs, ref) if {
	some other in refs
	startswith(ref, concat("", [other, "."]))
}

# "statement "Sid": problem; problem" for every statement that attempts the
# guardrail and gets it wrong. Coverage is judged for the policy as a whole:
# another statement of the same policy may deny what one statement misses.
_problems(rc) := [text |
	statements := iam.statements(rc)
	attempts := [s | some s in statements; _attempt(s)]
	count(attempts) > 0
	model := iam.model(
		sort(iam.listed(statements, iam.subnets_key)),
		sort(iam.listed(statements, iam.groups_key)),
		statements,
	)
	gaps := iam.gaps(statements, model)
	some s in attempts
	found := _statement_problems(s, statements, gaps)
	count(found) > 0
	text := sprintf("%s: %s", [s.label, concat("; ", found)])
]

# A statement attempts the guardrail when it names a guarded create action
# (or exempts one with NotAction) and has a condition on a guard key, or on a
# key that reads like one.
_attempt(s) if {
	_guard_condition(s)
	_names_guarded(s)
}

_guard_condition(s) if {
	some c in s.clauses
	iam.guard_key(c.key)
}

_guard_condition(s) if {
	some c in s.clauses
	iam.misnamed_key(c.key)
}

_names_guarded(s) if {
	some action in iam.guarded_actions
	iam.targets(s, action)
}

_names_guarded(s) if count(iam.exempted(s)) > 0

_statement_problems(s, statements, gaps) := array.concat(_any_effect(s, gaps), _deny_only(s, statements, gaps))

_any_effect(s, gaps) := array.concat(_effect(s, gaps), _misnamed(s))

_deny_only(s, statements, gaps) := array.concat(
	array.concat(array.concat(_not_action(s), _operators(s)), array.concat(_resources(s), _over_denial(s))),
	array.concat(_inverted(s, statements), array.concat(_conjunction(s, gaps), _gap_texts(s, gaps))),
) if {
	s.effect == "Deny"
} else := []

# Message templates.
_texts := {
	"allow": concat("", [
		`Effect is "Allow": an Allow cannot take away what another policy `,
		"(such as AmazonSageMakerFullAccess) allows, so a guardrail must be a Deny",
	]),
	"effect": `Effect is "%s", not "Deny"`,
	"misnamed": `condition key "%s" is never in a SageMaker create request (did you mean %s?)`,
	"not_action": "NotAction exempts %s, so this Deny applies to every other action instead: list them under Action",
	"unknown_operator": "%s is not an operator for %s",
	"bool_on_list": "Bool does not apply to %s, a list of IDs",
	"no_set_operator": concat("", [
		"%s on %s, a multivalued key, needs ForAnyValue: ",
		"(AWS requires a set operator on multivalued keys)",
	]),
	"for_all_negated": concat("", [
		"%s on %s matches only when every value is outside the list, so a request that also ",
		"names one listed value is not denied: use ForAnyValue:%s",
	]),
	"positive_set": "%s on %s denies the listed values, not every other one: use ForAnyValue:StringNotEquals",
	"set_on_single": "%s puts a set operator on the single-valued %s: use BoolIfExists",
	"resources": concat("", [
		"its Resource or NotResource leaves out some resources or regions, ",
		"so it does not apply to every request",
	]),
	"over_denial": concat("", [
		"it also denies every %s request: those actions have none of these keys, ",
		"so the key is always missing",
	]),
	"inverted": "it also denies compliant requests (in the VPC, with network isolation): %s",
	"conjunction": concat("", [
		"its conditions (%s) must all match at once, so it denies only requests that fail every one: ",
		"give each check its own Deny statement",
	]),
	"gap": "it does not deny %s (%s)%s",
	"vpc_hint": `: %s does not match a missing key, so add a statement with "Null": {"sagemaker:VpcSubnets": "true"}`,
	"isolation_hint": concat("", [
		": %s does not match a missing key, so use BoolIfExists ",
		`or add "Null": {"sagemaker:NetworkIsolation": "true"}`,
	]),
}

# ---------------------------------------------------------------------------
# What the statement says

# An Allow with these conditions is a guardrail attempt only where the
# policy's Deny statements leave the requests it is about undenied; beside a
# complete Deny guardrail it is an ordinary least-privilege grant.
_effect(s, gaps) := [_texts.allow] if {
	s.effect == "Allow"
	count(_relevant(s, gaps)) > 0
} else := [message] if {
	s.effect != "Allow"
	s.effect != "Deny"
	message := sprintf(_texts.effect, [s.effect])
} else := []

_misnamed(s) := [message |
	some c in s.clauses
	iam.misnamed_key(c.key)
	message := sprintf(_texts.misnamed, [c.key_text, iam.suggested_key(c.key)])
]

_not_action(s) := [message] if {
	exempted := iam.exempted(s)
	count(exempted) > 0
	message := sprintf(_texts.not_action, [iam.action_list(exempted)])
} else := []

_operators(s) := [message |
	some c in s.clauses
	iam.guard_key(c.key)
	message := _operator_problem(c, iam.key_names[c.key])
]

_operator_problem(c, name) := sprintf(_texts.unknown_operator, [c.operator, name]) if {
	not iam.known_operator(c)
}

_operator_problem(c, name) := _list_operator_problem(c, name) if {
	iam.known_operator(c)
	iam.multivalued(c.key)
}

_operator_problem(c, name) := sprintf(_texts.set_on_single, [c.operator, name]) if {
	iam.known_operator(c)
	not iam.multivalued(c.key)
	c.set != ""
}

_list_operator_problem(c, name) := sprintf(_texts.bool_on_list, [name]) if {
	c.base == "Bool"
} else := sprintf(_texts.no_set_operator, [c.operator, name]) if {
	c.set == ""
	c.base != "Null"
} else := sprintf(_texts.for_all_negated, [c.operator, name, c.base]) if {
	c.set == "all"
	c.base in object.keys(iam.negated)
} else := sprintf(_texts.positive_set, [c.operator, name]) if {
	c.set != ""
	not c.base in object.keys(iam.negated)
}

_resources(s) := [_texts.resources] if {
	some action in iam.guarded_actions
	iam.targets(s, action)
	not iam.covers_resources(s, action)
} else := []

# Actions that take none of the guard keys: a condition that matches a missing
# key denies every one of their requests.
_keyless_actions := [
	"sagemaker:CreateEndpoint",
	"sagemaker:CreateTransformJob",
	"sagemaker:DescribeModel",
	"sagemaker:InvokeEndpoint",
	"sagemaker:ListModels",
]

_keyless_request := {"subnets": null, "sgs": null, "isolation": null}

_over_denial(s) := [message] if {
	denied := [action |
		some action in _keyless_actions
		iam.targets(s, action)
		every c in s.clauses {
			iam.matches_request(c, _keyless_request)
		}
	]
	count(denied) > 0
	message := sprintf(_texts.over_denial, [concat(", ", denied)])
} else := []

# Conditions that match a compliant request: in the VPC, with the listed
# subnets and security groups, with network isolation.
_inverted(s, statements) := [message] if {
	requests := [request |
		some subnets in _compliant(statements, iam.subnets_key, iam.probe_subnet)
		some groups in _compliant(statements, iam.groups_key, iam.probe_group)
		request := {"subnets": subnets, "sgs": groups, "isolation": "true"}
		every c in s.clauses {
			iam.matches_request(c, request)
		}
	]
	count(requests) > 0
	matching := {_clause_text(c) |
		some c in s.clauses
		iam.guard_key(c.key)
		some request in requests
		iam.matches_request(c, request)
	}
	message := sprintf(_texts.inverted, [concat(", ", sort(matching))])
} else := []

_clause_text(c) := sprintf("%s on %s", [c.operator, c.key_text])

_compliant(statements, key, probe) := [[iam.instance(v)] | some v in sort(listed)] if {
	listed := iam.listed(statements, key)
	count(listed) > 0
} else := [[probe]]

# Conditions on different requirements in one statement: all must match.
_conjunction(s, gaps) := [message] if {
	count(_relevant(s, gaps)) > 0
	_mixed(s)
	clauses := [_clause_text(c) | some c in s.clauses; not iam.scoping_key(c.key)]
	message := sprintf(_texts.conjunction, [concat(", ", clauses)])
} else := []

_mixed(s) if count({_group(c) | some c in s.clauses; not iam.scoping_key(c.key)}) > 1

_mixed(s) if {
	some c in s.clauses
	iam.multivalued(c.key)
	c.base == "Null"
	some d in s.clauses
	iam.multivalued(d.key)
	d.base != "Null"
}

_group(c) := "vpc" if {
	iam.multivalued(c.key)
} else := c.key

# ---------------------------------------------------------------------------
# What the policy does not deny

# [item, action] gaps of the policy that this statement is about.
_relevant(s, gaps) := {[item, action] |
	some [item, action] in gaps
	iam.targets(s, action)
	_addresses(s, item)
}

_addresses(s, item) if {
	some c in s.clauses
	c.key in iam.item_keys[item]
	_checks_item(c, item)
}

_presence_items := {"vpc_absent", "isolation_absent", "isolation_false"}

# The presence items are about every clause on their keys; the allowlist
# items only about clauses that compare values.
_checks_item(_, item) if item in _presence_items

_checks_item(c, item) if {
	not item in _presence_items
	c.base != "Null"
}

_gap_texts(s, gaps) := [message |
	relevant := _relevant(s, gaps)
	some item in iam.items
	actions := {pair[1] | some pair in relevant; pair[0] == item}
	count(actions) > 0
	message := sprintf(_texts.gap, [_requests[item], iam.action_list(actions), _hint(s, item)])
]

_requests := {
	"vpc_absent": "requests without a VpcConfig",
	"subnets_outside": "requests whose subnets are all outside its list",
	"subnets_mixed": "requests that add another subnet to a listed one",
	"sgs_outside": "requests whose security groups are all outside its list",
	"sgs_mixed": "requests that add another security group to a listed one",
	"isolation_absent": "requests that do not set network isolation",
	"isolation_false": "requests with network isolation false",
}

# Why a missing key is not denied, and the fix.
_hint(s, item) := sprintf(_texts.vpc_hint, [operators[0]]) if {
	item == "vpc_absent"
	operators := _missing_key_operators(s, {iam.subnets_key, iam.groups_key})
	count(operators) > 0
} else := sprintf(_texts.isolation_hint, [operators[0]]) if {
	item == "isolation_absent"
	operators := _missing_key_operators(s, {iam.isolation_key})
	count(operators) > 0
} else := ""

_missing_key_operators(s, keys) := sort({c.operator |
	some c in s.clauses
	c.key in keys
	not iam.clause_true(c, null)
})
