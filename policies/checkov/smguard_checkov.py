"""What the smguard Checkov checks share: reading a resource as the Rego rules
read the plan (policies/rego/smguard/lib/plan/plan.rego), finding the resources
it refers to or names in checkov's resource graph, and reporting a verdict.

Not a check itself: checkov loads checks from the folders below this one (they
have an `__init__.py`), and puts this folder on `sys.path`, so the checks
import it as `smguard_checkov`.

Checkov gives a check a resource's attributes in one of two shapes:

- from a plan (`-f plan.json --framework terraform_plan`): the planned values.
  Checkov drops what is unknown until apply. With the environment variable
  `EVAL_TF_PLAN_AFTER_UNKNOWN=1` it writes a marker in its place (at the top
  level and in a single nested block); where the configuration refers to a
  resource, a data source or a module output (not only to variables), it
  writes the first such reference in its place and lists the expression's
  references under `references_`. Without the variable an absent attribute
  may be an unknown one, so it is read as unknown, never as "not set".
- from Terraform source (`-d DIR`): values checkov could resolve, and the text
  of the expressions it could not (`var.x`, `data.aws_subnets.x.ids`,
  `aws_subnet.a.id`), which are read as unknown with that reference. A list
  variable with no value reads as an empty list: a failure, never a pass.

A verdict is PASSED, FAILED, or SKIPPED for what the Rego rules report as a
warning (it cannot be verified here); the message is the check's `details`.

Settings (allowlists, required VPC endpoint services, ...) come from the
configuration file named by the environment variable `SMGUARD_CONFIG` (the
file `smguard scan --config` reads; `smguard scan --engine checkov` sets the
variable itself), over the defaults of policies/rego/smguard/lib/config.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.common.util.consts import TRUE_AFTER_UNKNOWN
from checkov.terraform.checks.resource.registry import resource_registry

ID_PREFIX = "SMG-"

# Checkov's own switch for marking unknown values (see the module docstring).
_MARKS_UNKNOWNS = bool(os.environ.get("EVAL_TF_PLAN_AFTER_UNKNOWN"))

# The resource an expression refers to, as in plan.rego's `_resource_part`;
# a splat (`aws_subnet.a[*].id`, in source) refers to every instance.
_RESOURCE_PART = re.compile(r"^[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?")
_TRAILING_KEY = re.compile(r"\[[^\]]*\]$")
_MODULE_PREFIX = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*")
# An expression checkov left unresolved in source: a variable, local, data
# source, module output or resource attribute (resource types contain "_"),
# or an interpolation it could not evaluate.
_EXPRESSION = re.compile(
    r"^(?:.*\$\{|(?:var|local|data|module)\.|[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*(?:\[[^\]]*\])*\.)"
)


# The Rego defaults (lib/config.rego `defaults`); tests/test_checkov.py checks
# that they are the same.
DEFAULT_SETTINGS: dict[str, Any] = {
    "allowlists": {"subnets": [], "security_groups": [], "vpcs": []},
    "vpc_endpoints": {
        "required_services": [
            "s3",
            "sagemaker.api",
            "sagemaker.runtime",
            "sts",
            "logs",
            "ecr.api",
            "ecr.dkr",
        ]
    },
    "iam_guardrails": {"required": False},
    "domains": {"allow_replacement": False},
    "pipelines": {"minimum": "isolation_and_vpc"},
    "egress": {"allowed_targets": []},
}


@cache
def settings() -> dict[str, Any]:
    """The effective settings: the defaults overlaid with the configuration
    file's `settings` (as Rego's object.union, recursively)."""
    path = os.environ.get("SMGUARD_CONFIG")
    given: Any = {}
    if path:
        import yaml  # checkov depends on PyYAML

        with open(path, encoding="utf-8") as file:
            given = (yaml.safe_load(file) or {}).get("settings", {})
    return _union(DEFAULT_SETTINGS, given)


def setting(*path: str) -> Any:
    """One setting by path, e.g. setting("allowlists", "subnets")."""
    node: Any = settings()
    for step in path:
        node = node.get(step) if isinstance(node, dict) else None
    return node


def _union(base: Any, given: Any) -> Any:
    if isinstance(base, dict) and isinstance(given, dict):
        merged = dict(base)
        for key, value in given.items():
            merged[key] = _union(base[key], value) if key in base else value
        return merged
    return json.loads(json.dumps(given))


@dataclass(frozen=True)
class Verdict:
    """PASSED, FAILED, or SKIPPED: a warning, it cannot be verified here."""

    result: CheckResult
    message: str = ""


PASS = Verdict(CheckResult.PASSED)


def fail(message: str) -> Verdict:
    return Verdict(CheckResult.FAILED, message)


def warn(message: str) -> Verdict:
    return Verdict(CheckResult.SKIPPED, message)


def report(check: Any, verdict: Verdict) -> CheckResult:
    """The result to return from `scan_resource_conf`; the message goes in `details`."""
    if verdict.message:
        check.details.append(verdict.message)
    return verdict.result


def vpc_config_verdict(rc: Resource, vpc: tuple[str | int, ...], consequence: str) -> Verdict:
    """The verdict on a `vpc_config` block at path vpc (SMG-MODEL-002, SMG-JOB-003):
    its subnets and security groups known and non-empty, or planned in this plan.
    consequence completes "<block> is missing; ..."."""
    name = ".".join(part for part in vpc if isinstance(part, str))
    subnets = rc.get(*vpc, 0, "subnets")
    pairs = [(subnets, "aws_subnet"), (rc.get(*vpc, 0, "security_group_ids"), "aws_security_group")]
    if all(rc.set_or_planned(value, kind) for value, kind in pairs):
        return PASS
    # Unknown lists that do not refer to subnets or security groups in this
    # plan (variables, data sources, module outputs) cannot be verified.
    if rc.unverified(pairs):
        return warn(
            f"{name} subnets or security_group_ids are unknown until apply"
            " and do not refer to subnets and security groups in this plan;"
            " they cannot be verified"
        )
    block = rc.get(*vpc)
    if not block.unknown and not block.nonempty:
        return fail(f"{name} is missing; {consequence}")
    if not (subnets.unknown or subnets.known_nonempty):
        return fail(f"{name}.subnets is empty")
    return fail(f"{name}.security_group_ids is empty")


@dataclass(frozen=True)
class Value:
    """An attribute: its value (None when unset or unknown), whether it is
    unknown until apply, and the references of its expression when it is."""

    value: Any = None
    unknown: bool = False
    references: tuple[str, ...] = ()

    @property
    def nonempty(self) -> bool:
        """A non-empty string or list (plan.rego's `nonempty`)."""
        return isinstance(self.value, str | list) and len(self.value) > 0

    @property
    def known_nonempty(self) -> bool:
        return not self.unknown and self.nonempty


_UNKNOWN = Value(unknown=True)


class Resource:
    """One resource's attributes as checkov gives them, and its graph."""

    def __init__(self, resource_type: str, conf: dict[str, Any], graph: Any) -> None:
        self.type = resource_type
        self.conf = conf
        self.graph = graph
        self.planned = "__change_actions__" in conf
        self.address: str = conf.get("__address__") or ""
        files = conf.get("__file__")
        # A plan file is one plan: names and references resolve within it.
        self.scope = files[0] if self.planned and isinstance(files, list) and files else None

    def get(self, *path: str | int) -> Value:
        """The attribute at path, e.g. get("vpc_config", 0, "subnets")."""
        node: Any = self.conf
        for step in path:
            if isinstance(step, int):
                if isinstance(node, list) and step < len(node) and isinstance(node[step], dict):
                    node = node[step]
                    continue
                return Value()
            if not isinstance(node, dict):
                return Value()
            if step not in node:
                # Checkov leaves an unknown value out unless told to mark it.
                return _UNKNOWN if self.planned and not _MARKS_UNKNOWNS else Value()
            reading = self._read(node[step], node)
            if reading.unknown:
                return reading
            node = reading.value
        return Value(node)

    def elements(self, *path: str | int) -> list[Any]:
        """The known elements of the list at path, or [value] for a known
        scalar: what plan.rego's value() holds there, without the elements
        that are unknown until apply (a list may be partly known)."""
        *parent, name = path
        block = self.get(*parent).value if parent else self.conf
        if not isinstance(block, dict) or name not in block:
            return []
        raw = block[name]
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        items = raw if isinstance(raw, list) else [raw]
        return [
            i
            for i in items
            if i is not None and i != TRUE_AFTER_UNKNOWN and not self._ref(i, block)
        ]

    def blocks(self, name: str) -> list[dict[str, Any]]:
        """The known nested blocks `name` (plan.rego: object.get(after, name, []))."""
        value = self.get(name).value
        return [b for b in value if isinstance(b, dict)] if isinstance(value, list) else []

    def _read(self, raw: Any, block: dict[str, Any]) -> Value:
        if not isinstance(raw, list):
            return self._classify(raw, block)
        if any(isinstance(item, dict) for item in raw):
            return Value(raw)  # nested blocks
        if not raw:
            return _UNKNOWN  # a list variable checkov could not resolve
        if len(raw) == 1:
            return self._classify(raw[0], block)
        return self._classify(raw, block)  # a list checkov flattened

    def _classify(self, value: Any, block: dict[str, Any]) -> Value:
        items = value if isinstance(value, list) else [value]
        unknown = [i for i in items if i is None or i == TRUE_AFTER_UNKNOWN or self._ref(i, block)]
        if isinstance(value, list) and not unknown:
            return Value(value)
        if not isinstance(value, list) and value is None:
            return Value()
        if not unknown:
            return Value(value)
        references = tuple(r for i in unknown if isinstance(i, str) for r in self._refs(i, block))
        return Value(unknown=True, references=tuple(dict.fromkeys(references)))

    def _ref(self, item: Any, block: dict[str, Any]) -> bool:
        if not isinstance(item, str) or item == TRUE_AFTER_UNKNOWN:
            return False
        if self.planned:
            return any(item in refs for refs in block.get("references_", []))
        return bool(_EXPRESSION.match(item))

    def _refs(self, item: str, block: dict[str, Any]) -> list[str]:
        if not self.planned:
            return [item]
        return [r for refs in block.get("references_", []) if item in refs for r in refs]

    def referenced(self, value: Value, resource_type: str) -> list[Resource]:
        """Resources of a type an unknown value refers to, in the same module
        instance (plan.rego's `referenced`)."""
        prefix = _MODULE_PREFIX.match(self.address).group(0)
        found: dict[str, Resource] = {}
        for reference in value.references:
            part = _RESOURCE_PART.match(reference.replace("[*]", ""))
            if part is None:
                continue
            address = prefix + part.group(0)
            for target in _index(self.graph).by_base.get((self.scope, _base(address)), []):
                # By the target's type, not the reference's: an AWSCC resource has
                # the AWS type it is read as (harness/smguard/loaders/awscc.py).
                if target.type != resource_type:
                    continue
                # In source, checkov does not expand count: any instance key matches.
                if target.address == address or not address.endswith("]") or not self.planned:
                    found[target.address] = target
        return [found[a] for a in sorted(found)]

    def set_or_planned(self, value: Value, resource_type: str) -> bool:
        """Known and non-empty, or unknown but referring to resources of the type
        in this plan (plan.rego's `set_or_planned`)."""
        return value.known_nonempty or (
            value.unknown and bool(self.referenced(value, resource_type))
        )

    def unverified(self, values: list[tuple[Value, str]]) -> bool:
        """Every value is set or unknown, and some unknown one does not refer to
        resources of its type in this plan: it cannot be verified (a warning)."""
        return all(v.unknown or v.known_nonempty for v, _ in values) and any(
            v.unknown and not self.set_or_planned(v, kind) for v, kind in values
        )

    def named(self, resource_type: str, name: Any) -> list[Resource]:
        """Resources of a type whose `name` is known to be name (plan.rego's `named`)."""
        if not isinstance(name, str):
            return []
        return list(_index(self.graph).by_name.get((self.scope, resource_type, name), []))

    def resources(self, resource_type: str) -> list[Resource]:
        """Every resource of a type in this plan, by address (plan.rego's `resources`)."""
        return list(_index(self.graph).by_type.get((self.scope, resource_type), []))

    def verdicts(self, family: str) -> dict[str, Verdict]:
        """The verdict of every smguard check of a rule family on this resource,
        by check id: what `data.smguard.rules.<family>[_]` says about it in Rego."""
        index = _index(self.graph)
        key = (family, self.scope, self.address)
        if key not in index.verdicts:
            index.verdicts[key] = {
                check.id: check.verdict(self) for check in family_checks(family, self.type)
            }
        return index.verdicts[key]


def resource(check: Any, conf: dict[str, Any]) -> Resource:
    """The resource a check is scanning."""
    return Resource(check.entity_type, conf, check.graph)


def family_checks(family: str, resource_type: str) -> list[Any]:
    """The smguard checks of a rule family (the folder of their file, as the
    Rego rule's package) on a resource type, by id."""
    checks = {
        check.id: check
        for check in resource_registry.checks.get(resource_type, [])
        if check.id.startswith(ID_PREFIX) and _family(check) == family
    }
    return [checks[i] for i in sorted(checks)]


def ids(verdicts: dict[str, Verdict], result: CheckResult) -> list[str]:
    return sorted(i for i, v in verdicts.items() if v.result is result)


def _family(check: Any) -> str:
    module = sys.modules.get(type(check).__module__)
    return Path(module.__file__).parent.name if module and module.__file__ else ""


def plan_document(data: Any) -> dict[str, Any]:
    """The plan (plan.rego's `doc`): HCP Terraform and Spacelift wrap it."""
    if not isinstance(data, dict):
        return {}
    for key in ("plan", "terraform"):
        inner = data.get(key)
        if isinstance(inner, dict) and inner.get("resource_changes"):
            return inner
    return data


def cidr_contains(outer: str, inner: str) -> bool:
    """Rego's net.cidr_contains for two CIDRs (of one IP version, else false)."""
    try:
        a = ipaddress.ip_network(outer, strict=False)
        b = ipaddress.ip_network(inner, strict=False)
    except ValueError:
        return False
    return a.version == b.version and b.subnet_of(a)  # type: ignore[arg-type]


# How deep the configuration's module calls are followed (plan.rego's _config_modules).
_MODULE_DEPTH = 6


def config_blocks(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The configuration block of every resource of a plan document, by address
    without instance keys (`module.a.aws_x.y`), module calls followed six deep."""
    blocks: dict[str, dict[str, Any]] = {}

    def walk(prefix: str, module: Any, depth: int) -> None:
        if not isinstance(module, dict) or depth > _MODULE_DEPTH:
            return
        for block in module.get("resources") or []:
            if isinstance(block, dict) and isinstance(block.get("address"), str):
                blocks.setdefault(prefix + block["address"], block)
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                walk(f"{prefix}module.{name}.", call.get("module"), depth + 1)

    walk("", (document.get("configuration") or {}).get("root_module") or {}, 0)
    return blocks


def _base(address: str) -> str:
    return _TRAILING_KEY.sub("", address)


class _Index:
    """The graph's resources by address without instance key, and by name."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self.by_base: dict[tuple[str | None, str], list[Resource]] = {}
        self.by_name: dict[tuple[str | None, str, str], list[Resource]] = {}
        self.by_type: dict[tuple[str | None, str], list[Resource]] = {}
        self.verdicts: dict[tuple[str, str | None, str], dict[str, Verdict]] = {}
        for _, attributes in graph.nodes():
            if attributes.get("block_type_") != "resource":
                continue
            for resource_type, named in (attributes.get("config_") or {}).items():
                for conf in named.values():
                    target = Resource(resource_type, conf, graph)
                    if not target.address:
                        continue
                    base = (target.scope, _base(target.address))
                    self.by_base.setdefault(base, []).append(target)
                    self.by_type.setdefault((target.scope, resource_type), []).append(target)
                    name = target.get("name")
                    if isinstance(name.value, str) and not name.unknown:
                        key = (target.scope, resource_type, name.value)
                        self.by_name.setdefault(key, []).append(target)
        for targets in (*self.by_base.values(), *self.by_name.values(), *self.by_type.values()):
            targets.sort(key=lambda r: r.address)


_indexes: list[_Index] = []


def _index(graph: Any) -> _Index:
    if graph is None:
        raise RuntimeError("checkov gave the check no resource graph")
    if not _indexes or _indexes[0].graph is not graph:
        _indexes[:] = [_Index(graph)]
    return _indexes[0]
