# The guardrail evaluator of smguard.lib.iam (described in iam.rego):
# condition clauses on the guard keys evaluated on representative requests,
# and the requests no Deny statement denies.
package smguard.lib.iam

# ---------------------------------------------------------------------------
# Conditions

_string_operators := {
	"StringEquals",
	"StringNotEquals",
	"StringEqualsIgnoreCase",
	"StringNotEqualsIgnoreCase",
	"StringLike",
	"StringNotLike",
}

# Negated string operators and the operator they negate.
negated := {
	"StringNotEquals": "StringEquals",
	"StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
	"StringNotLike": "StringLike",
}

# Operators this evaluator understands for the guard keys.
known_operator(c) if {
	c.base == "Null"
	c.set == ""
	not c.if_exists
}

known_operator(c) if c.base == "Bool"

known_operator(c) if c.base in _string_operators

# Whether the clause matches a request whose key has value v: null when the
# key is missing, a string ("true"/"false") for sagemaker:NetworkIsolation, a
# non-empty list for the VPC keys. Unknown operators never match, and a
# string operator without ForAnyValue:/ForAllValues: on a present list is
# not relied on (AWS requires a set operator on multivalued keys).
clause_true(c, v) if {
	known_operator(c)
	c.base == "Null"
	_null_text(v) in _lowered(c.values)
}

clause_true(c, null) if {
	known_operator(c)
	c.base != "Null"
	_missing_matches(c)
}

clause_true(c, v) if {
	known_operator(c)
	c.base != "Null"
	is_string(v)
	_value_matches(c, v)
}

clause_true(c, v) if {
	known_operator(c)
	c.base != "Null"
	is_array(v)
	c.set == "any"
	some x in v
	_value_matches(c, x)
}

clause_true(c, v) if {
	known_operator(c)
	c.base != "Null"
	is_array(v)
	c.set == "all"
	every x in v {
		_value_matches(c, x)
	}
}

_null_text(v) := "true" if {
	is_null(v)
} else := "false"

_lowered(values) := {lower(v) | some v in values}

# A missing key matches …IfExists, ForAllValues: (vacuously), and a negated
# operator without a set operator; everything else, ForAnyValue: included,
# does not match.
_missing_matches(c) if c.if_exists

_missing_matches(c) if c.set == "all"

_missing_matches(c) if {
	c.set == ""
	c.base in object.keys(negated)
}

_value_matches(c, x) if {
	not c.base in object.keys(negated)
	_positive_match(c.base, c.values, x)
}

_value_matches(c, x) if {
	positive := object.get(negated, c.base, null)
	positive != null
	not _positive_match(positive, c.values, x)
}

_positive_match("Bool", values, x) if lower(x) in _lowered(values)

_positive_match("StringEquals", values, x) if x in values

_positive_match("StringEqualsIgnoreCase", values, x) if lower(x) in _lowered(values)

_positive_match("StringLike", values, x) if {
	some pattern in values
	regex.match(_glob_regex(pattern), x)
}

# The clause's value for the request dimension it reads in a situation: a
# fixed value, or every value of the dimension's domain ("present": the
# non-missing values only).
_situation_values(spec, present) := [spec.fixed] if {
	"fixed" in object.keys(spec)
} else := present if {
	spec.any == "present"
} else := array.concat([null], present)

# The clause holds in every request of the situation.
holds(c, situation, domains) if {
	dim := object.get(_dims, c.key, null)
	dim != null
	every v in _situation_values(situation[dim], domains[dim]) {
		clause_true(c, v)
	}
}

holds(c, _, _) if scoping_key(c.key)

# The clause matches one request: {"subnets": …, "sgs": …, "isolation": …}.
matches_request(c, request) if {
	dim := object.get(_dims, c.key, null)
	dim != null
	clause_true(c, request[dim])
}

matches_request(c, _) if scoping_key(c.key)

# ---------------------------------------------------------------------------
# Representative requests

probe_subnet := "subnet-0000smguardprobe"

probe_group := "sg-0000smguardprobe"

# Every value the statements compare the key with, wildcards filled in.
mentioned(statements, key) := {instance(v) |
	some s in statements
	some c in s.clauses
	c.key == key
	c.base != "Null"
	some v in c.values
}

# Values a negated string operator in a Deny statement lists: the allowlist
# the statements themselves express.
listed(statements, key) := {v |
	some s in statements
	s.effect == "Deny"
	some c in s.clauses
	c.key == key
	c.base in object.keys(negated)
	some v in c.values
}

# A value that matches the pattern: its wildcards filled in.
instance(v) := strings.replace_n({"*": "zz", "?": "z"}, v)

_instances(patterns) := {instance(p) | some p in patterns}

# Allowlist entries may be patterns (StringNotLike in a policy).
_allowed(patterns, v) if {
	some p in patterns
	regex.match(_glob_regex(p), v)
}

# The requests the statements are evaluated on. For each VPC key: every value
# the statements name, the allowlist and a probe value no literal names;
# violations of an allowlist are a list with one value outside it, and a list
# mixing an allowed value with one outside it. The two VPC keys are missing
# together or present together: a VpcConfig requires both Subnets and
# SecurityGroupIds, each with at least one entry (API_VpcConfig).
model(allowed_subnets, allowed_groups, statements) := {
	"domains": {
		"subnets": _singletons(probe_subnet, allowed_subnets, mentioned(statements, subnets_key)),
		"sgs": _singletons(probe_group, allowed_groups, mentioned(statements, groups_key)),
		"isolation": ["true", "false"],
	},
	"situations": array.concat(_base_situations, array.concat(
		_outside("subnets", probe_subnet, allowed_subnets, mentioned(statements, subnets_key)),
		_outside("sgs", probe_group, allowed_groups, mentioned(statements, groups_key)),
	)),
}

_singletons(probe, allowed, named) := [[v] | some v in sort((({probe} | _instances(allowed)) | named))]

_base_situations := [
	{"item": "vpc_absent", "spec": {
		"subnets": {"fixed": null},
		"sgs": {"fixed": null},
		"isolation": {"any": "all"},
	}},
	{"item": "isolation_absent", "spec": {
		"subnets": {"any": "all"},
		"sgs": {"any": "all"},
		"isolation": {"fixed": null},
	}},
	{"item": "isolation_false", "spec": {
		"subnets": {"any": "all"},
		"sgs": {"any": "all"},
		"isolation": {"fixed": "false"},
	}},
]

_outside(dim, probe, allowed, named) := array.concat(
	[_outside_situation(dim, "outside", [b]) | some b in bad],
	[_outside_situation(dim, "mixed", [a, b]) | some a in sort(_instances(allowed)); some b in bad],
) if {
	count(allowed) > 0
	bad := _bad(probe, allowed, named)
} else := []

# Values outside the allowlist: the probe and the named values no entry matches.
_bad(probe, allowed, named) := sort({v | some v in ({probe} | named); not _allowed(allowed, v)})

_outside_situation(dim, kind, values) := {
	"item": concat("_", [dim, kind]),
	"spec": object.union(
		{"subnets": {"any": "present"}, "sgs": {"any": "present"}, "isolation": {"any": "all"}},
		{dim: {"fixed": values}},
	),
}

# [item, action] for every situation and guarded action that no statement
# denied. Which statements apply to an action, and which statements' conditions
# hold in a situation, are computed once each.
gaps(statements, model) := {[situation.item, action] |
	applicable := {action: {i | some i, s in statements; applies(s, action)} | some action in guarded_actions}
	some situation in model.situations
	holding := {i | some i, s in statements; _all_hold(s, situation.spec, model.domains)}
	some action in guarded_actions
	count(applicable[action] & holding) == 0
}

_all_hold(s, situation, domains) if {
	every c in s.clauses {
		holds(c, situation, domains)
	}
}

# Items in the order they are reported.
items := [
	"vpc_absent",
	"subnets_outside",
	"subnets_mixed",
	"sgs_outside",
	"sgs_mixed",
	"isolation_absent",
	"isolation_false",
]

# The guard keys an item is about.
item_keys := {
	"vpc_absent": {subnets_key, groups_key},
	"subnets_outside": {subnets_key},
	"subnets_mixed": {subnets_key},
	"sgs_outside": {groups_key},
	"sgs_mixed": {groups_key},
	"isolation_absent": {isolation_key},
	"isolation_false": {isolation_key},
}

# Action names for messages: "every guarded create action" or a list without
# the "sagemaker:" prefix.
action_list(actions) := "every guarded create action" if {
	count(actions) == count(guarded_actions)
} else := concat(", ", sort([trim_prefix(action, "sagemaker:") | some action in actions]))
