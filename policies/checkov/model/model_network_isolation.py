"""SMG-MODEL-001 model-network-isolation, as rules/model/model_network_isolation/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class ModelNetworkIsolation(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker models enable network isolation",
            id="SMG-MODEL-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        isolation = rc.get("enable_network_isolation")
        if isolation.value is True:
            return smg.PASS
        if isolation.unknown:
            return smg.fail("enable_network_isolation is unknown until apply; it must be true")
        if isolation.value is None:
            return smg.fail("enable_network_isolation is not set (the default is false)")
        return smg.fail("enable_network_isolation is false")


check = ModelNetworkIsolation()
