"""SMG-DOMAIN-002 domain-vpc-placement, as rules/domain/domain_vpc_placement/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ATTRIBUTES = (("vpc_id", "aws_vpc"), ("subnet_ids", "aws_subnet"))


class DomainVpcPlacement(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Studio domains name their VPC and subnets",
            id="SMG-DOMAIN-002",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        values = {name: rc.get(name) for name, _ in ATTRIBUTES}
        missing = [n for n, _ in ATTRIBUTES if not values[n].unknown and not values[n].nonempty]
        if missing:
            are = "is" if len(missing) == 1 else "are"
            return smg.fail(f"{' and '.join(missing)} {are} not set")
        unresolved = [
            name
            for name, kind in ATTRIBUTES
            if values[name].unknown and not rc.referenced(values[name], kind)
        ]
        if unresolved:
            are, do, it = ("is", "does", "it") if len(unresolved) == 1 else ("are", "do", "they")
            return smg.warn(
                f"{' and '.join(unresolved)} {are} unknown until apply and {do} not refer"
                f" to a resource in this plan; {it} cannot be verified"
            )
        return smg.PASS


check = DomainVpcPlacement()
