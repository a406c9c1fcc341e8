"""SMG-IAM-002 iam-guardrail-conditions, as rules/iam/iam_guardrail_conditions/rule.rego.

Each IAM policy document (and each service control policy) is judged on its
own: the statements that attempt the SageMaker network guardrail, and what
the policy as a whole leaves undenied (smguard_iam, as lib/iam).
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_iam as iam
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

_TEXTS = {
    "allow": (
        'Effect is "Allow": an Allow cannot take away what another policy '
        "(such as AmazonSageMakerFullAccess) allows, so a guardrail must be a Deny"
    ),
    "effect": 'Effect is "%s", not "Deny"',
    "misnamed": 'condition key "%s" is never in a SageMaker create request (did you mean %s?)',
    "not_action": (
        "NotAction exempts %s, so this Deny applies to every other action instead:"
        " list them under Action"
    ),
    "unknown_operator": "%s is not an operator for %s",
    "bool_on_list": "Bool does not apply to %s, a list of IDs",
    "no_set_operator": (
        "%s on %s, a multivalued key, needs ForAnyValue: "
        "(AWS requires a set operator on multivalued keys)"
    ),
    "for_all_negated": (
        "%s on %s matches only when every value is outside the list, so a request that also "
        "names one listed value is not denied: use ForAnyValue:%s"
    ),
    "positive_set": (
        "%s on %s denies the listed values, not every other one: use ForAnyValue:StringNotEquals"
    ),
    "set_on_single": "%s puts a set operator on the single-valued %s: use BoolIfExists",
    "resources": (
        "its Resource or NotResource leaves out some resources or regions, "
        "so it does not apply to every request"
    ),
    "over_denial": (
        "it also denies every %s request: those actions have none of these keys, "
        "so the key is always missing"
    ),
    "inverted": "it also denies compliant requests (in the VPC, with network isolation): %s",
    "conjunction": (
        "its conditions (%s) must all match at once, so it denies only requests that fail"
        " every one: give each check its own Deny statement"
    ),
    "gap": "it does not deny %s (%s)%s",
    "vpc_hint": (
        ': %s does not match a missing key, so add a statement with "Null":'
        ' {"sagemaker:VpcSubnets": "true"}'
    ),
    "isolation_hint": (
        ": %s does not match a missing key, so use BoolIfExists "
        'or add "Null": {"sagemaker:NetworkIsolation": "true"}'
    ),
}

_REQUESTS = {
    "vpc_absent": "requests without a VpcConfig",
    "subnets_outside": "requests whose subnets are all outside its list",
    "subnets_mixed": "requests that add another subnet to a listed one",
    "sgs_outside": "requests whose security groups are all outside its list",
    "sgs_mixed": "requests that add another security group to a listed one",
    "isolation_absent": "requests that do not set network isolation",
    "isolation_false": "requests with network isolation false",
}

# Actions that take none of the guard keys: a condition that matches a missing
# key denies every one of their requests.
_KEYLESS_ACTIONS = [
    "sagemaker:CreateEndpoint",
    "sagemaker:CreateTransformJob",
    "sagemaker:DescribeModel",
    "sagemaker:InvokeEndpoint",
    "sagemaker:ListModels",
]
_KEYLESS_REQUEST = {"subnets": None, "sgs": None, "isolation": None}

_PRESENCE_ITEMS = {"vpc_absent", "isolation_absent", "isolation_false"}

Gaps = set[tuple[str, str]]


class IamGuardrailConditions(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure IAM guardrails on SageMaker network settings"
                " deny every non-compliant request"
            ),
            id="SMG-IAM-002",
            categories=[CheckCategories.IAM],
            supported_resources=[
                "aws_iam_policy",
                "aws_iam_role_policy",
                "aws_iam_user_policy",
                "aws_iam_group_policy",
                "aws_organizations_policy",
            ],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        if not iam.is_policy_resource(rc):
            return smg.PASS  # a tag, backup or AI opt-out policy
        status, document = iam.document(rc)
        attribute = iam.attribute(rc)
        if status == "unknown":
            sources = iam.sources(rc, rc.get(attribute))
            source = f" (it comes from {', '.join(sources)})" if sources else ""
            return smg.warn(
                f"{attribute} is unknown until apply{source}, so its statements cannot be checked"
            )
        if document is None:
            return smg.fail(
                f"{attribute} is not a JSON policy document, so its statements cannot be checked"
            )
        problems = _problems(iam.statements(document))
        return smg.fail("; ".join(problems)) if problems else smg.PASS


def _problems(statements: list[iam.Statement]) -> list[str]:
    """'statement "Sid": problem; problem' for every statement that attempts
    the guardrail and gets it wrong. Coverage is judged for the policy as a
    whole: another statement of the same policy may deny what one misses."""
    attempts = [s for s in statements if _attempt(s)]
    if not attempts:
        return []
    model = iam.model(
        sorted(iam.listed(statements, iam.SUBNETS_KEY)),
        sorted(iam.listed(statements, iam.GROUPS_KEY)),
        statements,
    )
    gaps = iam.gaps(statements, model)
    texts = []
    for s in attempts:
        found = _statement_problems(s, statements, gaps)
        if found:
            texts.append(f"{s.label}: {'; '.join(found)}")
    return texts


def _attempt(s: iam.Statement) -> bool:
    """A statement names a guarded create action (or exempts one with
    NotAction) and has a condition on a guard key, or a key that reads like one."""
    condition = any(iam.guard_key(c.key) or iam.misnamed_key(c.key) for c in s.clauses)
    names = any(iam.targets(s, a) for a in iam.GUARDED_ACTIONS) or bool(iam.exempted(s))
    return condition and names


def _statement_problems(s: iam.Statement, statements: list[iam.Statement], gaps: Gaps) -> list[str]:
    found = _effect(s, gaps) + _misnamed(s)
    if s.effect == "Deny":
        found += (
            _not_action(s)
            + _operators(s)
            + _resources(s)
            + _over_denial(s)
            + _inverted(s, statements)
            + _conjunction(s, gaps)
            + _gap_texts(s, gaps)
        )
    return found


# What the statement says


def _effect(s: iam.Statement, gaps: Gaps) -> list[str]:
    """An Allow is a guardrail attempt only where the policy's Deny statements
    leave the requests it is about undenied."""
    if s.effect == "Allow":
        return [_TEXTS["allow"]] if _relevant(s, gaps) else []
    if s.effect != "Deny":
        return [_TEXTS["effect"] % s.effect]
    return []


def _misnamed(s: iam.Statement) -> list[str]:
    return [
        _TEXTS["misnamed"] % (c.key_text, iam.suggested_key(c.key))
        for c in s.clauses
        if iam.misnamed_key(c.key)
    ]


def _not_action(s: iam.Statement) -> list[str]:
    exempted = iam.exempted(s)
    return [_TEXTS["not_action"] % iam.action_list(exempted)] if exempted else []


def _operators(s: iam.Statement) -> list[str]:
    found = []
    for c in s.clauses:
        if iam.guard_key(c.key):
            problem = _operator_problem(c, iam.KEY_NAMES[c.key])
            if problem is not None:
                found.append(problem)
    return found


def _operator_problem(c: iam.Clause, name: str) -> str | None:
    if not iam.known_operator(c):
        return _TEXTS["unknown_operator"] % (c.operator, name)
    if iam.multivalued(c.key):
        return _list_operator_problem(c, name)
    if c.set != "":
        return _TEXTS["set_on_single"] % (c.operator, name)
    return None


def _list_operator_problem(c: iam.Clause, name: str) -> str | None:
    if c.base == "Bool":
        return _TEXTS["bool_on_list"] % name
    if c.set == "" and c.base != "Null":
        return _TEXTS["no_set_operator"] % (c.operator, name)
    if c.set == "all" and c.base in iam.NEGATED:
        return _TEXTS["for_all_negated"] % (c.operator, name, c.base)
    if c.set != "" and c.base not in iam.NEGATED:
        return _TEXTS["positive_set"] % (c.operator, name)
    return None


def _resources(s: iam.Statement) -> list[str]:
    leaves_out = any(
        iam.targets(s, a) and not iam.covers_resources(s, a) for a in iam.GUARDED_ACTIONS
    )
    return [_TEXTS["resources"]] if leaves_out else []


def _over_denial(s: iam.Statement) -> list[str]:
    denied = [
        a
        for a in _KEYLESS_ACTIONS
        if iam.targets(s, a) and all(iam.matches_request(c, _KEYLESS_REQUEST) for c in s.clauses)
    ]
    return [_TEXTS["over_denial"] % ", ".join(denied)] if denied else []


def _inverted(s: iam.Statement, statements: list[iam.Statement]) -> list[str]:
    """Conditions that match a compliant request: in the VPC, with the listed
    subnets and security groups, with network isolation."""
    requests = [
        {"subnets": subnets, "sgs": groups, "isolation": "true"}
        for subnets in _compliant(statements, iam.SUBNETS_KEY, iam.PROBE_SUBNET)
        for groups in _compliant(statements, iam.GROUPS_KEY, iam.PROBE_GROUP)
    ]
    requests = [r for r in requests if all(iam.matches_request(c, r) for c in s.clauses)]
    if not requests:
        return []
    matching = {
        _clause_text(c)
        for c in s.clauses
        if iam.guard_key(c.key)
        for r in requests
        if iam.matches_request(c, r)
    }
    return [_TEXTS["inverted"] % ", ".join(sorted(matching))]


def _clause_text(c: iam.Clause) -> str:
    return f"{c.operator} on {c.key_text}"


def _compliant(statements: list[iam.Statement], key: str, probe: str) -> list[tuple[str, ...]]:
    listed = iam.listed(statements, key)
    if listed:
        return [(iam.instance(v),) for v in sorted(listed)]
    return [(probe,)]


def _conjunction(s: iam.Statement, gaps: Gaps) -> list[str]:
    """Conditions on different requirements in one statement: all must match."""
    if not _relevant(s, gaps) or not _mixed(s):
        return []
    clauses = [_clause_text(c) for c in s.clauses if not iam.scoping_key(c.key)]
    return [_TEXTS["conjunction"] % ", ".join(clauses)]


def _mixed(s: iam.Statement) -> bool:
    if len({_group(c) for c in s.clauses if not iam.scoping_key(c.key)}) > 1:
        return True
    vpc = [c for c in s.clauses if iam.multivalued(c.key)]
    return any(c.base == "Null" for c in vpc) and any(c.base != "Null" for c in vpc)


def _group(c: iam.Clause) -> str:
    return "vpc" if iam.multivalued(c.key) else c.key


# What the policy does not deny


def _relevant(s: iam.Statement, gaps: Gaps) -> Gaps:
    """The policy's gaps that this statement is about."""
    return {
        (item, action) for item, action in gaps if iam.targets(s, action) and _addresses(s, item)
    }


def _addresses(s: iam.Statement, item: str) -> bool:
    return any(c.key in iam.ITEM_KEYS[item] and _checks_item(c, item) for c in s.clauses)


def _checks_item(c: iam.Clause, item: str) -> bool:
    """The presence items are about every clause on their keys; the allowlist
    items only about clauses that compare values."""
    return item in _PRESENCE_ITEMS or c.base != "Null"


def _gap_texts(s: iam.Statement, gaps: Gaps) -> list[str]:
    relevant = _relevant(s, gaps)
    found = []
    for item in iam.ITEMS:
        actions = {action for i, action in relevant if i == item}
        if actions:
            found.append(
                _TEXTS["gap"] % (_REQUESTS[item], iam.action_list(actions), _hint(s, item))
            )
    return found


def _hint(s: iam.Statement, item: str) -> str:
    """Why a missing key is not denied, and the fix."""
    if item == "vpc_absent":
        operators = _missing_key_operators(s, {iam.SUBNETS_KEY, iam.GROUPS_KEY})
        if operators:
            return _TEXTS["vpc_hint"] % operators[0]
    if item == "isolation_absent":
        operators = _missing_key_operators(s, {iam.ISOLATION_KEY})
        if operators:
            return _TEXTS["isolation_hint"] % operators[0]
    return ""


def _missing_key_operators(s: iam.Statement, keys: set[str]) -> list[str]:
    return sorted({c.operator for c in s.clauses if c.key in keys and not iam.clause_true(c, None)})


check = IamGuardrailConditions()
