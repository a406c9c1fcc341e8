"""SMG-DOMAIN-001 domain-vpc-only, as rules/domain/domain_vpc_only/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class DomainVpcOnly(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Studio domains use VpcOnly network access",
            id="SMG-DOMAIN-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        access = rc.get("app_network_access_type")
        if access.value == "VpcOnly":
            return smg.PASS
        if access.unknown:
            return smg.fail("app_network_access_type is unknown until apply; it must be VpcOnly")
        if access.value is None:
            return smg.fail(
                "app_network_access_type is not set (the default is PublicInternetOnly)"
            )
        return smg.fail(f"app_network_access_type is {access.value}; it must be VpcOnly")


check = DomainVpcOnly()
