"""SMG-JOB-003 job-definition-vpc-config, as
rules/job_definition/job_definition_vpc_config/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Job definition types with a `network_config` block (MonitoringNetworkConfig),
# as the Rego rule's `_types`.
TYPES = ["aws_sagemaker_data_quality_job_definition"]


class JobDefinitionVpcConfig(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker monitoring job definitions run in a VPC",
            id="SMG-JOB-003",
            categories=[CheckCategories.NETWORKING],
            supported_resources=TYPES,
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        # Checked first: without network_config nothing below it is set or unknown,
        # so the VPC verdict could only fail.
        network_config = rc.get("network_config")
        if not network_config.unknown and not network_config.nonempty:
            return smg.fail("network_config is not set; the job does not run in a VPC")
        return smg.vpc_config_verdict(
            rc, ("network_config", 0, "vpc_config"), "the job does not run in a VPC"
        )


check = JobDefinitionVpcConfig()
