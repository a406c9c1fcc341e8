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
VPC = ("network_config", 0, "vpc_config")
SUBNETS = (*VPC, 0, "subnets")
GROUPS = (*VPC, 0, "security_group_ids")
ATTRIBUTES = ((SUBNETS, "aws_subnet"), (GROUPS, "aws_security_group"))


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
        values = {path: rc.get(*path) for path, _ in ATTRIBUTES}
        pairs = [(values[path], kind) for path, kind in ATTRIBUTES]
        if all(rc.set_or_planned(value, kind) for value, kind in pairs):
            return smg.PASS
        # Unknown lists that do not refer to subnets or security groups in this
        # plan (variables, data sources, module outputs) cannot be verified.
        if rc.unverified(pairs):
            return smg.warn(
                "network_config.vpc_config subnets or security_group_ids are unknown until apply"
                " and do not refer to subnets and security groups in this plan;"
                " they cannot be verified"
            )
        network_config = rc.get("network_config")
        if not network_config.unknown and not network_config.nonempty:
            return smg.fail("network_config is not set; the job does not run in a VPC")
        vpc_config = rc.get(*VPC)
        if not vpc_config.unknown and not vpc_config.nonempty:
            return smg.fail("network_config.vpc_config is missing; the job does not run in a VPC")
        if not (values[SUBNETS].unknown or values[SUBNETS].known_nonempty):
            return smg.fail("network_config.vpc_config.subnets is empty")
        return smg.fail("network_config.vpc_config.security_group_ids is empty")


check = JobDefinitionVpcConfig()
