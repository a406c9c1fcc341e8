"""SMG-JOB-001 job-definition-network-isolation, as
rules/job_definition/job_definition_network_isolation/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Job definition types with a `network_config` block (MonitoringNetworkConfig),
# as the Rego rule's `_types`.
TYPES = ["aws_sagemaker_data_quality_job_definition"]
PATH = ("network_config", 0, "enable_network_isolation")


class JobDefinitionNetworkIsolation(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker monitoring job definitions enable network isolation",
            id="SMG-JOB-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=TYPES,
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        isolation = rc.get(*PATH)
        if isolation.value is True:
            return smg.PASS
        if isolation.unknown:
            return smg.fail(
                "network_config.enable_network_isolation is unknown until apply; it must be true"
            )
        if not rc.get("network_config").nonempty:
            return smg.fail(
                "network_config is not set, so network isolation is off"
                " (the SageMaker default is false)"
            )
        if isolation.value is None:
            return smg.fail(
                "network_config.enable_network_isolation is not set"
                " (the SageMaker default is false)"
            )
        return smg.fail("network_config.enable_network_isolation is false")


check = JobDefinitionNetworkIsolation()
