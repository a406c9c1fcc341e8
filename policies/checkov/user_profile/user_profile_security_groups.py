"""SMG-PROFILE-001 user-profile-security-groups, as
rules/user_profile/user_profile_security_groups/rule.rego.

A profile's domain is the aws_sagemaker_domain its domain_id refers to, in
the same module instance, whether its ID is known or not: in a plan, the
reference is read from the plan file's configuration (smguard_domain), since
checkov does not say which attribute a known value's references belong to.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

OWN = ("user_settings", 0, "security_groups")
DEFAULT = ("default_user_settings", 0, "security_groups")
GROUP = "aws_security_group"


class UserProfileSecurityGroups(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Studio user profiles have security groups",
            id="SMG-PROFILE-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_user_profile"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        domains = dom.referenced(rc, ("domain_id",), "aws_sagemaker_domain")
        # Addresses of the profile's domains whose default groups are known to be empty.
        bare = sorted(d.address for d in domains if _missing(d, DEFAULT))
        if _missing(rc, OWN) and bare:
            return smg.fail(
                "user_settings security_groups is not set and its domain"
                f" {', '.join(bare)} sets no default_user_settings security_groups"
            )
        if dom.set_or_planned(rc, OWN, GROUP):
            return smg.PASS
        # Every domain the profile's domain_id refers to supplies default groups.
        if domains and all(dom.set_or_planned(d, DEFAULT, GROUP) for d in domains):
            return smg.PASS
        if rc.get(*OWN).unknown:
            return smg.warn(
                "user_settings security_groups is unknown until apply and not a reference"
                " to an aws_security_group in this plan; it cannot be verified"
            )
        if not domains:
            return smg.warn(
                "user_settings security_groups is not set and domain_id is not a reference"
                " to an aws_sagemaker_domain in this plan; whether the domain's"
                " default_user_settings supply security groups cannot be verified"
            )
        return smg.warn(
            "user_settings security_groups is not set and the domain's default_user_settings"
            " security_groups are unknown until apply and not a reference to an"
            " aws_security_group in this plan; they cannot be verified"
        )


def _missing(rc: smg.Resource, path: tuple[str | int, ...]) -> bool:
    """Known, and empty or absent."""
    value = rc.get(*path)
    return not value.unknown and not value.nonempty


check = UserProfileSecurityGroups()
