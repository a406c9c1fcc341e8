"""SMG-JOB-002 job-definition-traffic-encryption, as
rules/job_definition/job_definition_traffic_encryption/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Job definition types with a `network_config` block (MonitoringNetworkConfig),
# as the Rego rule's `_types`.
TYPES = ["aws_sagemaker_data_quality_job_definition"]
PATH = ("network_config", 0, "enable_inter_container_traffic_encryption")


class JobDefinitionTrafficEncryption(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker monitoring job definitions encrypt inter-container traffic",
            id="SMG-JOB-002",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=TYPES,
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        encryption = rc.get(*PATH)
        if encryption.value is True:
            return smg.PASS
        if encryption.unknown:
            return smg.fail(
                "network_config.enable_inter_container_traffic_encryption is unknown until apply;"
                " it must be true"
            )
        if not rc.get("network_config").nonempty:
            return smg.fail(
                "network_config is not set, so inter-container traffic is not encrypted"
                " (the SageMaker default is false)"
            )
        if encryption.value is None:
            return smg.fail(
                "network_config.enable_inter_container_traffic_encryption is not set"
                " (the SageMaker default is false)"
            )
        return smg.fail("network_config.enable_inter_container_traffic_encryption is false")


check = JobDefinitionTrafficEncryption()
