"""What the smguard IAM checks share, as policies/rego/smguard/lib/iam: IAM
policy documents in the plan (identity policies and service control policies)
read as statements, and the evaluator for the SageMaker network guardrail
(Deny statements on the create actions that match when sagemaker:VpcSubnets /
sagemaker:VpcSecurityGroupIds are missing or outside an allowlist, or
sagemaker:NetworkIsolation is not true), evaluated on the same representative
requests. The order of everything that reaches a message is Rego's: objects
by key, sets sorted.

Not a check itself; the checks import it as `smguard_iam`, like
`smguard_checkov`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import smguard_checkov as smg

# ---------------------------------------------------------------------------
# Policy documents in the plan

# Resource types that hold an IAM policy document, and the attribute it is in.
DOCUMENT_ATTRIBUTE = {
    "aws_iam_group_policy": "policy",
    "aws_iam_policy": "policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_organizations_policy": "content",
}


def is_policy_resource(rc: smg.Resource) -> bool:
    """Every IAM policy type, and Organizations policies of type
    SERVICE_CONTROL_POLICY (the provider's default; an unknown type reads as
    unset, as plan.value gives null for it)."""
    if rc.type != "aws_organizations_policy":
        return rc.type in DOCUMENT_ATTRIBUTE
    kind = rc.get("type")
    return kind.unknown or kind.value in (None, "SERVICE_CONTROL_POLICY")


def attribute(rc: smg.Resource) -> str:
    return DOCUMENT_ATTRIBUTE.get(rc.type, "policy")


def document(rc: smg.Resource) -> tuple[str, dict[str, Any] | None]:
    """("unknown", None) when the document is unknown until apply, ("known",
    the object) for a JSON object, ("invalid", None) for anything else.

    Checkov parses the `policy` of the aws_iam_* types itself (a JSON object
    becomes a one-element list holding it; text that is not JSON stays text);
    `content` of aws_organizations_policy stays text and is parsed here.
    """
    if rc.planned and rc.conf.get(attribute(rc)) == []:
        return "invalid", None  # the text "[]", which checkov parsed to an empty list
    value = rc.get(attribute(rc))
    if value.unknown:
        return "unknown", None
    found = value.value
    if isinstance(found, list) and len(found) == 1 and isinstance(found[0], dict):
        found = found[0]
    elif isinstance(found, str):
        found = parse_json(found)
    return ("known", found) if isinstance(found, dict) else ("invalid", None)


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def parse_json(text: str) -> Any:
    """The JSON value of text, or None when it is not valid JSON (Rego's
    json.is_valid and json.unmarshal: no NaN or Infinity)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return None


# What an expression in Terraform source refers to, as Terraform lists it last:
# the data source, module, variable, local or resource without attribute or key.
_REFERENCE = re.compile(r"(data\.[^.\[]+\.[^.\[}]+|[a-z][a-z0-9_]*\.[^.\[}]+)")


def sources(rc: smg.Resource, value: smg.Value) -> list[str]:
    """Where an unknown value comes from: the references of its expression that
    no other one is a prefix of, sorted (`data.aws_iam_policy_document.x`, not
    also its `.json`). In source, checkov gives the expression's text instead."""
    references = value.references
    if not rc.planned:
        references = tuple(
            m.group(1) if (m := _REFERENCE.match(r.removeprefix("${"))) else r for r in references
        )
    return sorted({r for r in references if not any(r.startswith(f"{o}.") for o in references)})


@dataclass(frozen=True)
class Clause:
    """One operator and key of a Condition: {"ForAnyValue:StringNotEquals":
    {"k": [...]}} gives set "any", base "StringNotEquals", key "k" (lower case)."""

    operator: str
    set: str
    base: str
    if_exists: bool
    key: str
    key_text: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    label: str
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    uses_not_action: bool
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    uses_resource: bool
    uses_not_resource: bool
    clauses: tuple[Clause, ...]


def statements(doc: dict[str, Any]) -> list[Statement]:
    """The statements of a known document, in order. Statement may be an
    object or a list; Action, Resource and condition values a string or a list."""
    return [
        _statement(i, s) for i, s in enumerate(_list(doc.get("Statement"))) if isinstance(s, dict)
    ]


def _list(x: Any) -> list[Any]:
    if isinstance(x, list):
        return x
    return [] if x is None else [x]


def _strings(x: Any) -> tuple[str, ...]:
    found = []
    for v in _list(x):
        if isinstance(v, str):
            found.append(v)
        elif v is True:
            found.append("true")
        elif v is False:
            found.append("false")
    return tuple(found)


def _statement(i: int, s: dict[str, Any]) -> Statement:
    sid = s.get("Sid")
    effect = s.get("Effect")
    return Statement(
        label=f'statement "{sid}"' if isinstance(sid, str) and sid else f"Statement[{i}]",
        effect=effect if isinstance(effect, str) else "",
        actions=_strings(s.get("Action")),
        not_actions=_strings(s.get("NotAction")),
        uses_not_action=s.get("NotAction") is not None,
        resources=_strings(s.get("Resource")),
        not_resources=_strings(s.get("NotResource")),
        uses_resource=s.get("Resource") is not None,
        uses_not_resource=s.get("NotResource") is not None,
        clauses=_clauses(s.get("Condition")),
    )


def _clauses(condition: Any) -> tuple[Clause, ...]:
    if not isinstance(condition, dict):
        return ()
    return tuple(
        _clause(operator, key, condition[operator][key])
        for operator in sorted(condition)
        if isinstance(condition[operator], dict)
        for key in sorted(condition[operator])
    )


def _clause(operator: str, key: str, values: Any) -> Clause:
    unqualified = operator.removeprefix("ForAnyValue:").removeprefix("ForAllValues:")
    if operator.startswith("ForAnyValue:"):
        kind = "any"
    elif operator.startswith("ForAllValues:"):
        kind = "all"
    else:
        kind = ""
    return Clause(
        operator=operator,
        set=kind,
        base=unqualified.removesuffix("IfExists"),
        if_exists=unqualified.endswith("IfExists"),
        key=key.lower(),
        key_text=key,
        values=_strings(values),
    )


# ---------------------------------------------------------------------------
# The guardrail

# The create actions the guardrail must cover, with the resource type each creates.
GUARDED = {
    "sagemaker:CreateDataQualityJobDefinition": "data-quality-job-definition",
    "sagemaker:CreateHyperParameterTuningJob": "hyper-parameter-tuning-job",
    "sagemaker:CreateModel": "model",
    "sagemaker:CreateModelBiasJobDefinition": "model-bias-job-definition",
    "sagemaker:CreateModelExplainabilityJobDefinition": "model-explainability-job-definition",
    "sagemaker:CreateModelQualityJobDefinition": "model-quality-job-definition",
    "sagemaker:CreateProcessingJob": "processing-job",
    "sagemaker:CreateTrainingJob": "training-job",
}
GUARDED_ACTIONS = sorted(GUARDED)

SUBNETS_KEY = "sagemaker:vpcsubnets"
GROUPS_KEY = "sagemaker:vpcsecuritygroupids"
ISOLATION_KEY = "sagemaker:networkisolation"

# The request dimension each guard key reads.
_DIMS = {SUBNETS_KEY: "subnets", GROUPS_KEY: "sgs", ISOLATION_KEY: "isolation"}

KEY_NAMES = {
    SUBNETS_KEY: "sagemaker:VpcSubnets",
    GROUPS_KEY: "sagemaker:VpcSecurityGroupIds",
    ISOLATION_KEY: "sagemaker:NetworkIsolation",
}

_SCOPING_KEYS = {
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

_STRING_OPERATORS = {
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
}

# Negated string operators and the operator they negate.
NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
}


def guard_key(key: str) -> bool:
    return key in _DIMS


def multivalued(key: str) -> bool:
    return key in (SUBNETS_KEY, GROUPS_KEY)


def scoping_key(key: str) -> bool:
    """Keys that say who is asking, not what is created: ignored."""
    return key in _SCOPING_KEYS or key.startswith("aws:principaltag/")


def misnamed_key(key: str) -> bool:
    """A key that is not a guard key but reads like one."""
    return not guard_key(key) and re.search("subnet|securitygroup|isolat", key) is not None


def suggested_key(key: str) -> str:
    if "subnet" in key:
        return "sagemaker:VpcSubnets"
    if "securitygroup" in key:
        return "sagemaker:VpcSecurityGroupIds"
    return "sagemaker:NetworkIsolation"


# Conditions


def known_operator(c: Clause) -> bool:
    if c.base == "Null":
        return c.set == "" and not c.if_exists
    return c.base == "Bool" or c.base in _STRING_OPERATORS


def clause_true(c: Clause, v: Any) -> bool:
    """Whether the clause matches a request whose key has value v: None when
    the key is missing, "true"/"false" for sagemaker:NetworkIsolation, a
    non-empty tuple for the VPC keys."""
    if not known_operator(c):
        return False
    if c.base == "Null":
        return ("true" if v is None else "false") in _lowered(c.values)
    if v is None:
        return _missing_matches(c)
    if isinstance(v, str):
        return _value_matches(c, v)
    if isinstance(v, tuple | list):
        if c.set == "any":
            return any(_value_matches(c, x) for x in v)
        if c.set == "all":
            return all(_value_matches(c, x) for x in v)
    return False


def _lowered(values: tuple[str, ...]) -> set[str]:
    return {v.lower() for v in values}


def _missing_matches(c: Clause) -> bool:
    return c.if_exists or c.set == "all" or (c.set == "" and c.base in NEGATED)


def _value_matches(c: Clause, x: str) -> bool:
    if c.base in NEGATED:
        return not _positive_match(NEGATED[c.base], c.values, x)
    return _positive_match(c.base, c.values, x)


def _positive_match(base: str, values: tuple[str, ...], x: str) -> bool:
    if base in ("Bool", "StringEqualsIgnoreCase"):
        return x.lower() in _lowered(values)
    if base == "StringEquals":
        return x in values
    if base == "StringLike":
        return any(_glob(p).match(x) for p in values)
    return False


def _situation_values(spec: dict[str, Any], present: list[Any]) -> list[Any]:
    if "fixed" in spec:
        return [spec["fixed"]]
    if spec["any"] == "present":
        return present
    return [None, *present]


def holds(c: Clause, situation: dict[str, Any], domains: dict[str, list[Any]]) -> bool:
    """The clause holds in every request of the situation."""
    dim = _DIMS.get(c.key)
    if dim is not None:
        return all(clause_true(c, v) for v in _situation_values(situation[dim], domains[dim]))
    return scoping_key(c.key)


def matches_request(c: Clause, request: dict[str, Any]) -> bool:
    """The clause matches one request: {"subnets": …, "sgs": …, "isolation": …}."""
    dim = _DIMS.get(c.key)
    if dim is not None:
        return clause_true(c, request[dim])
    return scoping_key(c.key)


# Representative requests

PROBE_SUBNET = "subnet-0000smguardprobe"
PROBE_GROUP = "sg-0000smguardprobe"


def mentioned(stmts: list[Statement], key: str) -> set[str]:
    """Every value the statements compare the key with, wildcards filled in."""
    return {
        instance(v)
        for s in stmts
        for c in s.clauses
        if c.key == key and c.base != "Null"
        for v in c.values
    }


def listed(stmts: list[Statement], key: str) -> set[str]:
    """Values a negated string operator in a Deny statement lists."""
    return {
        v
        for s in stmts
        if s.effect == "Deny"
        for c in s.clauses
        if c.key == key and c.base in NEGATED
        for v in c.values
    }


def instance(v: str) -> str:
    """A value that matches the pattern: its wildcards filled in."""
    return "".join({"*": "zz", "?": "z"}.get(ch, ch) for ch in v)


def _allowed(patterns: list[str], v: str) -> bool:
    return any(_glob(p).match(v) for p in patterns)


def model(allowed_subnets: list[str], allowed_groups: list[str], stmts: list[Statement]) -> dict:
    """The requests the statements are evaluated on (lib/iam `model`)."""
    subnets, groups = mentioned(stmts, SUBNETS_KEY), mentioned(stmts, GROUPS_KEY)
    return {
        "domains": {
            "subnets": _singletons(PROBE_SUBNET, allowed_subnets, subnets),
            "sgs": _singletons(PROBE_GROUP, allowed_groups, groups),
            "isolation": ["true", "false"],
        },
        "situations": [
            *_BASE_SITUATIONS,
            *_outside("subnets", PROBE_SUBNET, allowed_subnets, subnets),
            *_outside("sgs", PROBE_GROUP, allowed_groups, groups),
        ],
    }


def _singletons(probe: str, allowed: list[str], named: set[str]) -> list[tuple[str]]:
    return [(v,) for v in sorted({probe} | {instance(p) for p in allowed} | named)]


_BASE_SITUATIONS = [
    {
        "item": "vpc_absent",
        "spec": {"subnets": {"fixed": None}, "sgs": {"fixed": None}, "isolation": {"any": "all"}},
    },
    {
        "item": "isolation_absent",
        "spec": {"subnets": {"any": "all"}, "sgs": {"any": "all"}, "isolation": {"fixed": None}},
    },
    {
        "item": "isolation_false",
        "spec": {"subnets": {"any": "all"}, "sgs": {"any": "all"}, "isolation": {"fixed": "false"}},
    },
]


def _outside(dim: str, probe: str, allowed: list[str], named: set[str]) -> list[dict]:
    if not allowed:
        return []
    bad = sorted(v for v in {probe} | named if not _allowed(allowed, v))
    return [_outside_situation(dim, "outside", (b,)) for b in bad] + [
        _outside_situation(dim, "mixed", (a, b))
        for a in sorted({instance(p) for p in allowed})
        for b in bad
    ]


def _outside_situation(dim: str, kind: str, values: tuple[str, ...]) -> dict:
    spec: dict[str, Any] = {
        "subnets": {"any": "present"},
        "sgs": {"any": "present"},
        "isolation": {"any": "all"},
    }
    spec[dim] = {"fixed": values}
    return {"item": f"{dim}_{kind}", "spec": spec}


def gaps(stmts: list[Statement], mdl: dict) -> set[tuple[str, str]]:
    """(item, action) for every situation and guarded action no statement denies."""
    applicable = {a: {i for i, s in enumerate(stmts) if applies(s, a)} for a in GUARDED_ACTIONS}
    found = set()
    for situation in mdl["situations"]:
        holding = {
            i
            for i, s in enumerate(stmts)
            if all(holds(c, situation["spec"], mdl["domains"]) for c in s.clauses)
        }
        for action in GUARDED_ACTIONS:
            if not applicable[action] & holding:
                found.add((situation["item"], action))
    return found


# Items in the order they are reported, and the guard keys each is about.
ITEMS = [
    "vpc_absent",
    "subnets_outside",
    "subnets_mixed",
    "sgs_outside",
    "sgs_mixed",
    "isolation_absent",
    "isolation_false",
]

ITEM_KEYS = {
    "vpc_absent": {SUBNETS_KEY, GROUPS_KEY},
    "subnets_outside": {SUBNETS_KEY},
    "subnets_mixed": {SUBNETS_KEY},
    "sgs_outside": {GROUPS_KEY},
    "sgs_mixed": {GROUPS_KEY},
    "isolation_absent": {ISOLATION_KEY},
    "isolation_false": {ISOLATION_KEY},
}


def action_list(actions: set[str] | list[str]) -> str:
    """Action names for messages."""
    if len(set(actions)) == len(GUARDED_ACTIONS):
        return "every guarded create action"
    return ", ".join(sorted(a.removeprefix("sagemaker:") for a in set(actions)))


# Actions and resources

_GLOB_ESCAPES = {
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


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """The pattern with * and ? as wildcards, matching the whole text."""
    return re.compile("^" + "".join(_GLOB_ESCAPES.get(ch, ch) for ch in pattern) + r"\Z")


def action_matches(pattern: str, action: str) -> bool:
    """IAM action names are matched case-insensitively."""
    return _glob(pattern.lower()).match(action.lower()) is not None


def _arn_matches(pattern: str, arn: str) -> bool:
    return _glob(_any_account(pattern)).match(arn) is not None


def _any_account(pattern: str) -> str:
    parts = pattern.split(":")
    if len(parts) >= 6 and parts[0] == "arn":
        return ":".join(["arn", "*", parts[2], parts[3], "*", *parts[5:]])
    return pattern


def _probe_arn(action: str) -> str:
    return f"arn:aws:sagemaker:smguard-probe-1:000000000000:{GUARDED[action]}/smguard-probe"


def targets(s: Statement, action: str) -> bool:
    """The statement names the action (Action matches it, or NotAction does not)."""
    if s.uses_not_action:
        return not _listed(s.not_actions, action)
    return _listed(s.actions, action)


def _listed(patterns: tuple[str, ...], action: str) -> bool:
    return any(action_matches(p, action) for p in patterns)


def exempted(s: Statement) -> list[str]:
    """Guarded actions a NotAction statement exempts."""
    if not s.uses_not_action:
        return []
    return [a for a in GUARDED_ACTIONS if _listed(s.not_actions, a)]


def covers_resources(s: Statement, action: str) -> bool:
    """The statement applies to every resource the action creates, in every region."""
    probe = _probe_arn(action)
    if s.uses_resource:
        return any(_arn_matches(p, probe) for p in s.resources)
    if s.uses_not_resource:
        return not any(_arn_matches(p, probe) for p in s.not_resources)
    return True


def applies(s: Statement, action: str) -> bool:
    """A Deny statement that applies to every request for the action."""
    return s.effect == "Deny" and targets(s, action) and covers_resources(s, action)
