"""SMG-DOMAIN-007 domain-replacement, as rules/domain/domain_replacement/rule.rego.

Checkov gives a plan's resource its change actions (`__change_actions__`) but
not the change's `before`, `replace_paths`, `action_reason` or deposed
objects, which the message names: they are read from the plan file
(smguard_domain.changes). A domain that is only deleted has no planned values,
so checkov gives no check anything to report it on (policies/checkov-gaps.yaml).
In Terraform source nothing is deleted or replaced.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

DOMAIN = "aws_sagemaker_domain"


class DomainReplacement(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            # The title without "must", as every check's name.
            name="Ensure plans not delete or replace Studio domains unless replacement is allowed",
            id="SMG-DOMAIN-007",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=[DOMAIN],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        if smg.setting("domains", "allow_replacement") is True:
            return smg.PASS
        changes = dom.changes(rc)
        if not changes and rc.planned:
            # The plan file could not be read: checkov's change actions alone.
            changes = [{"type": DOMAIN, "change": {"actions": rc.conf.get("__change_actions__")}}]
        removals = [
            change
            for change in changes
            if change.get("type") == DOMAIN
            and change.get("mode", "managed") == "managed"
            and "delete" in _actions(change)
        ]
        if not removals:
            return smg.PASS
        return smg.fail("; ".join(_describe(change) for change in removals))


def _actions(change: dict[str, Any]) -> list[Any]:
    actions = (change.get("change") or {}).get("actions")
    return actions if isinstance(actions, list) else []


def _describe(change: dict[str, Any]) -> str:
    before = (change.get("change") or {}).get("before")
    before = before if isinstance(before, dict) else {}
    deposed = change.get("deposed")
    replaced = not isinstance(deposed, str) and "create" in _actions(change)
    if isinstance(deposed, str):
        what = f"the plan deletes deposed object {deposed} of"
    elif replaced:
        what = "the plan replaces"
    else:
        what = "the plan deletes"
    cause = (
        "changing subnet_ids or the domain_settings security groups (like any force-new"
        " argument) forces replacement, and "
        if replaced
        else ""
    )
    return "".join(
        [
            what,
            " Studio domain",
            _identity(before),
            _reason(change),
            ": ",
            cause,
            "the home EFS file system",
            _string(before, "home_efs_file_system_id", " {}"),
            " and every user space go with it",
            _retention(before),
        ]
    )


def _identity(before: dict[str, Any]) -> str:
    name = before.get("domain_name")
    quoted = f" {dom.quoted(name)}" if isinstance(name, str) else ""
    return quoted + _string(before, "id", " ({})")


def _string(before: dict[str, Any], key: str, form: str) -> str:
    value = before.get(key)
    return form.format(value) if isinstance(value, str) else ""


def _reason(change: dict[str, Any]) -> str:
    """Terraform names the arguments that force a replacement in replace_paths."""
    replace_paths = (change.get("change") or {}).get("replace_paths")
    paths = [
        ".".join(_step(s) for s in p if _step(s) is not None)
        for p in (replace_paths if isinstance(replace_paths, list) else [])
        if isinstance(p, list)
    ]
    if paths:
        return f" because {', '.join(paths)} changed"
    if change.get("action_reason") == "delete_because_no_resource_config":
        return " because it is no longer in the configuration"
    return ""


def _step(step: Any) -> str | None:
    if isinstance(step, str):
        return step
    if isinstance(step, int | float) and not isinstance(step, bool):
        return f"{int(step)}"
    return None


def _retention(before: dict[str, Any]) -> str:
    policy = before.get("retention_policy")
    first = policy[0] if isinstance(policy, list) and policy else None
    home = first.get("home_efs_file_system", "Retain") if isinstance(first, dict) else "Retain"
    if home == "Delete":
        return " (retention_policy Delete deletes the EFS volume)"
    return " (retention_policy Retain only keeps the EFS volume, detached from any domain)"


check = DomainReplacement()
