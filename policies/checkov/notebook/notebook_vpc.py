"""SMG-NOTEBOOK-002 notebook-vpc, as rules/notebook/notebook_vpc/rule.rego.

`security_groups` is optional and computed (AWS fills in the VPC's default
group), so in a plan it is unknown until apply whenever the configuration does
not set it. The Rego rule tells that apart from a value that is unknown
because of its expression by reading the plan's `configuration`; checkov
gives a check only the planned values (and the references of expressions that
refer to something other than variables and locals), so this check reads the
configuration from the plan file checkov is scanning (the resource's
`__file__`), as plan.rego's `config_resource` does.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ATTRIBUTES = (("subnet_id", "aws_subnet"), ("security_groups", "aws_security_group"))
# plan.rego reads module blocks to a nesting depth of six.
MODULE_DEPTH = 6


class NotebookVpc(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker notebook instances run in a VPC subnet with security groups",
            id="SMG-NOTEBOOK-002",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_notebook_instance"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        values = {name: rc.get(name) for name, _ in ATTRIBUTES}
        missing = [name for name, _ in ATTRIBUTES if _missing(rc, name, values[name])]
        if missing:
            return smg.fail(f"{_subject(missing)} not set")
        unresolved = [
            name
            for name, kind in ATTRIBUTES
            if values[name].unknown
            and not _not_configured(rc, name)
            and not rc.referenced(values[name], kind)
        ]
        if len(unresolved) == 1:
            return smg.warn(
                f"{_subject(unresolved)} unknown until apply and not a reference to a resource"
                " in this plan; it cannot be verified"
            )
        if unresolved:
            return smg.warn(
                f"{_subject(unresolved)} unknown until apply and not references to resources"
                " in this plan; they cannot be verified"
            )
        return smg.PASS


def _subject(names: list[str]) -> str:
    return f"{names[0]} is" if len(names) == 1 else f"{' and '.join(names)} are"


def _missing(rc: smg.Resource, name: str, value: smg.Value) -> bool:
    """Known and empty or absent; or unknown only because the configuration does not set it."""
    if not value.unknown:
        return not value.nonempty
    return _not_configured(rc, name)


def _not_configured(rc: smg.Resource, name: str) -> bool:
    """The plan has the resource's configuration and it has no expression for name.

    In source, an unknown value is an expression checkov could not evaluate:
    the attribute is configured.
    """
    if not rc.planned or not rc.scope:
        return False
    resource = _config_resources(rc.scope).get(_base_address(rc.address), {})
    expressions = resource.get("expressions") if isinstance(resource, dict) else None
    return isinstance(expressions, dict) and expressions.get(name) is None


@cache
def _config_resources(path: str) -> dict[str, Any]:
    """The configuration blocks of the plan file's resources, by address without
    instance keys (plan.rego's `_config_resources`)."""
    try:
        with open(path, encoding="utf-8") as file:
            plan = json.load(file)
    except (OSError, ValueError):
        return {}
    configuration = plan.get("configuration") if isinstance(plan, dict) else None
    root = configuration.get("root_module") if isinstance(configuration, dict) else None
    found: dict[str, Any] = {}
    modules = [("", root if isinstance(root, dict) else {})]
    for depth in range(MODULE_DEPTH + 1):
        calls = []
        for prefix, module in modules:
            for resource in module.get("resources") or []:
                if isinstance(resource, dict) and isinstance(resource.get("address"), str):
                    found[prefix + resource["address"]] = resource
            if depth < MODULE_DEPTH:
                for name, call in (module.get("module_calls") or {}).items():
                    child = call.get("module") if isinstance(call, dict) else None
                    child = child if isinstance(child, dict) else {}
                    calls.append((f"{prefix}module.{name}.", child))
        modules = calls
    return found


def _base_address(address: str) -> str:
    """Instance keys removed: module.a["x"].aws_thing.b[0] -> module.a.aws_thing.b
    (plan.rego's `base_address`)."""
    first, *rest = address.split("[")
    return first + "".join(part[part.find("]") + 1 :] for part in rest)


check = NotebookVpc()
