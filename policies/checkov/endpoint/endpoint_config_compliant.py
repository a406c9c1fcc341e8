"""SMG-ENDPOINT-002 endpoint-config-compliant, as
rules/endpoint/endpoint_config_compliant/rule.rego.

An endpoint is judged by what the endpoint configuration checks (the
`endpoint_config` folder, as the Rego family) say about its configuration,
found by name and by reference in checkov's graph.
"""

from __future__ import annotations

import json
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

CONFIG = "aws_sagemaker_endpoint_configuration"


class EndpointConfigCompliant(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure endpoints use a compliant endpoint configuration",
            id="SMG-ENDPOINT-002",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_endpoint"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        name = rc.get("endpoint_config_name")
        configs = {c.address: c for c in rc.named(CONFIG, name.value)}
        configs.update((c.address, c) for c in rc.referenced(name, CONFIG))
        if not configs:
            if isinstance(name.value, str):
                return smg.warn(
                    f"endpoint configuration {json.dumps(name.value)} is not in this plan"
                    " and cannot be verified"
                )
            return smg.warn(
                "endpoint_config_name is unknown until apply and does not refer to a"
                " configuration in this plan; it cannot be verified"
            )
        failing, warned = [], []
        for address in sorted(configs):
            verdicts = configs[address].verdicts("endpoint_config")
            denied = smg.ids(verdicts, CheckResult.FAILED)
            if denied:
                failing.append(f"{address} fails {', '.join(denied)}")
            elif smg.ids(verdicts, CheckResult.SKIPPED):
                warned.append(address)
        if failing:
            return smg.fail(f"endpoint configuration {'; '.join(failing)}")
        if warned:
            return smg.warn(
                f"endpoint configuration {', '.join(warned)} could not be fully verified"
            )
        return smg.PASS


check = EndpointConfigCompliant()
