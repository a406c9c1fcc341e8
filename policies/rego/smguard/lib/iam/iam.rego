# METADATA
# description: |
#   IAM policy documents in the plan (identity policies and service control
#   policies) read as statements, and an evaluator for the SageMaker network
#   guardrail: Deny statements on the create actions that match when
#   sagemaker:VpcSubnets / sagemaker:VpcSecurityGroupIds are missing or outside
#   an allowlist, or sagemaker:NetworkIsolation is not true.
#
#   The evaluator follows the IAM documentation: condition keys are not
#   case-sensitive, actions are matched case-insensitively with * and ?;
#   conditions in a statement must all match; a key missing from the request
#   matches only Null "true", …IfExists, ForAllValues: and the negated string
#   operators; ForAnyValue: needs the key present. It decides whether a set of
#   Deny statements denies every request that breaks a requirement by
#   evaluating them on representative requests (see `model`).
package smguard.lib.iam

import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# Policy documents in the plan

# Resource types that hold an IAM policy document, and the attribute it is in.
document_attribute := {
	"aws_iam_group_policy": "policy",
	"aws_iam_policy": "policy",
	"aws_iam_role_policy": "policy",
	"aws_iam_user_policy": "policy",
	"aws_organizations_policy": "content",
}

_document_types := sort(object.keys(document_attribute))

# Checked resources whose document is an IAM policy: every IAM policy type,
# and Organizations policies of type SERVICE_CONTROL_POLICY (the provider's
# default; tag, backup and AI opt-out policies are other languages).
policy_resources := [rc |
	some type in _document_types
	some rc in plan.resources(type)
	_iam_document(rc)
]

_iam_document(rc) if rc.type != "aws_organizations_policy"

_iam_document(rc) if {
	rc.type == "aws_organizations_policy"
	plan.value(rc, ["type"]) in {null, "SERVICE_CONTROL_POLICY"}
}

attribute(rc) := object.get(document_attribute, rc.type, "policy")

# "unknown": the document is unknown until apply; "known": a JSON object;
# "invalid": anything else.
status(rc) := "unknown" if {
	plan.unknown(rc, [attribute(rc)])
} else := "known" if {
	is_object(object.get(_documents, rc.address, null))
} else := "invalid"

# Parsed documents and their statements by address, so that each document is
# parsed once per evaluation; read whole through object.get.
# regal ignore:prefer-set-or-object-rule
_documents := {rc.address: json.unmarshal(text) |
	some rc in policy_resources
	text := plan.value(rc, [attribute(rc)])
	is_string(text)
	json.is_valid(text)
}

# regal ignore:prefer-set-or-object-rule
_statements := {address: _document_statements(doc) |
	some address, doc in _documents
	is_object(doc)
}

_document_statements(doc) := [_statement(i, s) |
	some i, s in _list(object.get(doc, "Statement", []))
	is_object(s)
]

# The statements of a known document, in order. Statement may be an object or
# a list; Action, Resource and condition values may be a string or a list.
statements(rc) := object.get(_statements, rc.address, [])

_list(x) := x if {
	is_array(x)
} else := [] if {
	is_null(x)
} else := [x]

_strings(x) := [text | some v in _list(x); text := _string(v)]

_string(v) := v if {
	is_string(v)
} else := "true" if {
	v == true
} else := "false" if {
	v == false
}

_text(v) := v if {
	is_string(v)
} else := ""

_statement(i, s) := {
	"label": _label(i, s),
	"effect": _text(object.get(s, "Effect", "")),
	"actions": _strings(object.get(s, "Action", [])),
	"not_actions": _strings(object.get(s, "NotAction", [])),
	"uses_not_action": object.get(s, "NotAction", null) != null,
	"resources": _strings(object.get(s, "Resource", [])),
	"not_resources": _strings(object.get(s, "NotResource", [])),
	"uses_resource": object.get(s, "Resource", null) != null,
	"uses_not_resource": object.get(s, "NotResource", null) != null,
	"clauses": _clauses(object.get(s, "Condition", {})),
}

_label(i, s) := sprintf(`statement "%s"`, [s.Sid]) if {
	is_string(s.Sid)
	s.Sid != ""
} else := sprintf("Statement[%d]", [i])

# One clause per operator and key: {"ForAnyValue:StringNotEquals": {"k": [...]}}
# gives set "any", base "StringNotEquals", if_exists false, key "k" (lower case).
_clauses(condition) := [_clause(operator, key, values) |
	some operator, block in condition
	is_object(block)
	some key, values in block
] if {
	is_object(condition)
} else := []

_clause(operator, key, values) := {
	"operator": operator,
	"set": _set(operator),
	"base": trim_suffix(_unqualified(operator), "IfExists"),
	"if_exists": endswith(_unqualified(operator), "IfExists"),
	"key": lower(key),
	"key_text": key,
	"values": _strings(values),
}

_set(operator) := "any" if {
	startswith(operator, "ForAnyValue:")
} else := "all" if {
	startswith(operator, "ForAllValues:")
} else := ""

_unqualified(operator) := trim_prefix(trim_prefix(operator, "ForAnyValue:"), "ForAllValues:")

# ---------------------------------------------------------------------------
# The guardrail

# The create actions the guardrail must cover, with the resource type each
# creates. They are the SageMaker actions that take all three condition keys
# (Service Authorization Reference): models, training, processing and tuning
# jobs, and the monitoring job definitions.
guarded := {
	"sagemaker:CreateDataQualityJobDefinition": "data-quality-job-definition",
	"sagemaker:CreateHyperParameterTuningJob": "hyper-parameter-tuning-job",
	"sagemaker:CreateModel": "model",
	"sagemaker:CreateModelBiasJobDefinition": "model-bias-job-definition",
	"sagemaker:CreateModelExplainabilityJobDefinition": "model-explainability-job-definition",
	"sagemaker:CreateModelQualityJobDefinition": "model-quality-job-definition",
	"sagemaker:CreateProcessingJob": "processing-job",
	"sagemaker:CreateTrainingJob": "training-job",
}

guarded_actions := sort(object.keys(guarded))

subnets_key := "sagemaker:vpcsubnets"

groups_key := "sagemaker:vpcsecuritygroupids"

isolation_key := "sagemaker:networkisolation"

# The request dimension each guard key reads.
_dims := {
	subnets_key: "subnets",
	groups_key: "sgs",
	isolation_key: "isolation",
}

key_names := {
	subnets_key: "sagemaker:VpcSubnets",
	groups_key: "sagemaker:VpcSecurityGroupIds",
	isolation_key: "sagemaker:NetworkIsolation",
}

guard_key(key) if object.get(_dims, key, null) != null

multivalued(key) if key in {subnets_key, groups_key}

# Keys that say who is asking, not what is created: a guardrail that exempts a
# break-glass role still guards every other principal, so these are ignored.
scoping_key(key) if key in {
	"aws:principalarn",
	"aws:principalaccount",
	"aws:principalorgid",
	"aws:principalorgpaths",
	"aws:principaltype",
	"aws:principalisawsservice",
	"aws:principalservicename",
	"aws:userid",
	"aws:username",
}

scoping_key(key) if startswith(key, "aws:principaltag/")

# A key that is not a guard key but reads like one: a typo, or another
# service's key. It is never in a SageMaker create request.
misnamed_key(key) if {
	not guard_key(key)
	regex.match(`subnet|securitygroup|isolat`, key)
}

suggested_key(key) := "sagemaker:VpcSubnets" if {
	contains(key, "subnet")
} else := "sagemaker:VpcSecurityGroupIds" if {
	contains(key, "securitygroup")
} else := "sagemaker:NetworkIsolation"

# ---------------------------------------------------------------------------
# Actions and resources

# IAM action names are matched case-insensitively; * and ? are wildcards.
action_matches(pattern, action) if regex.match(_glob_regex(lower(pattern)), lower(action))

# Resource ARNs are matched case-sensitively.
_arn_matches(pattern, arn) if regex.match(_glob_regex(_any_account(pattern)), arn)

_glob_regex(pattern) := concat("", ["^", strings.replace_n(_glob_escapes, pattern), "$"])

_glob_escapes := {
	".": "\\.",
	"*": ".*",
	"?": ".",
	"+": "\\+",
	"(": "\\(",
	")": "\\)",
	"[": "\\[",
	"]": "\\]",
	"{": "\\{",
	"}": "\\}",
	"^": "\\^",
	"$": "\\$",
	"|": "\\|",
	"\\": "\\\\",
}

# A policy names its own partition and account; only region and resource
# decide whether it covers every resource an action creates.
_any_account(pattern) := concat(":", array.concat(
	["arn", "*", parts[2], parts[3], "*"],
	array.slice(parts, 5, count(parts)),
)) if {
	parts := split(pattern, ":")
	count(parts) >= 6
	parts[0] == "arn"
} else := pattern

# An ARN that only a wildcard region and resource name match.
_probe_arn(action) := sprintf("arn:aws:sagemaker:smguard-probe-1:000000000000:%s/smguard-probe", [guarded[action]])

# The statement names the action (Action matches it, or NotAction does not).
targets(s, action) if {
	not s.uses_not_action
	some pattern in s.actions
	action_matches(pattern, action)
}

targets(s, action) if {
	s.uses_not_action
	not _listed(s.not_actions, action)
}

_listed(patterns, action) if {
	some pattern in patterns
	action_matches(pattern, action)
}

# Guarded actions a NotAction statement exempts.
exempted(s) := [action |
	s.uses_not_action
	some action in guarded_actions
	_listed(s.not_actions, action)
]

# The statement applies to every resource the action creates, in every region.
covers_resources(s, _) if {
	not s.uses_resource
	not s.uses_not_resource
}

covers_resources(s, action) if {
	s.uses_resource
	some pattern in s.resources
	_arn_matches(pattern, _probe_arn(action))
}

covers_resources(s, action) if {
	not s.uses_resource
	s.uses_not_resource
	every pattern in s.not_resources {
		not _arn_matches(pattern, _probe_arn(action))
	}
}

# A Deny statement that applies to every request for the action.
applies(s, action) if {
	s.effect == "Deny"
	targets(s, action)
	covers_resources(s, action)
}
