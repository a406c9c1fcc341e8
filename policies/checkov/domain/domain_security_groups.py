"""SMG-DOMAIN-004 domain-security-groups, as
rules/domain/domain_security_groups/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

USER = ("default_user_settings", 0, "security_groups")
SPACE = ("default_space_settings", 0, "security_groups")


class DomainSecurityGroups(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Studio domains set security groups for users and shared spaces",
            id="SMG-DOMAIN-004",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        allowlist = smg.setting("allowlists", "security_groups")
        allowlist = allowlist if isinstance(allowlist, list) else []
        # default_user_settings always, default_space_settings when the block
        # is present (or unknown).
        space = rc.get("default_space_settings")
        paths = (USER, SPACE) if space.nonempty or space.unknown else (USER,)
        denials, unverifiable = [], []
        for path in paths:
            label = f"{path[0]}.{path[2]}"
            value = rc.get(*path)
            known = [g for g in rc.elements(*path) if isinstance(g, str)]
            outside = sorted({dom.quoted(g) for g in known if g not in allowlist})
            if not value.unknown and not value.nonempty:
                denials.append(f"{label} is not set")
            elif allowlist and outside:
                denials.append(f"{label} {_are(outside)} not in allowlists.security_groups")
            # Unknown until apply: without an allowlist, a reference to a
            # security group created in this plan is enough; with one, no new
            # group's ID can be checked.
            if allowlist and value.unknown:
                unverifiable.append(
                    f"{label} (or some of them) are unknown until apply; they cannot be"
                    " checked against allowlists.security_groups"
                )
            elif value.unknown and not dom.referenced(rc, path, "aws_security_group"):
                unverifiable.append(
                    f"{label} is unknown until apply and refers to no aws_security_group in"
                    " this plan; it cannot be verified"
                )
        if denials:
            return smg.fail("; ".join(denials + unverifiable))
        if unverifiable:
            return smg.warn("; ".join(unverifiable))
        return smg.PASS


def _are(quoted: list[str]) -> str:
    return f"{quoted[0]} is" if len(quoted) == 1 else f"{', '.join(quoted)} are"


check = DomainSecurityGroups()
