"""SMG-JOB-102 job-vpc-config, as rules/job/job_vpc_config/rule.rego.

These types exist only in audits (`smguard audit`); a job has no plan, so a
value that is not known cannot be verified, and fails.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Where each job type keeps its vpc_config block.
VPC: dict[str, tuple[str | int, ...]] = {
    "aws_sagemaker_training_job": ("vpc_config",),
    "aws_sagemaker_processing_job": ("network_config", 0, "vpc_config"),
}


class JobVpcConfig(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker training and processing jobs run in a VPC",
            id="SMG-JOB-102",
            categories=[CheckCategories.NETWORKING],
            supported_resources=list(VPC),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        vpc = VPC[rc.type]
        subnets, groups = (*vpc, 0, "subnets"), (*vpc, 0, "security_group_ids")
        values = {path: rc.get(*path) for path in (vpc, subnets, groups)}
        if values[subnets].known_nonempty and values[groups].known_nonempty:
            return smg.PASS
        if any(v.unknown for v in values.values()):
            return smg.fail(f"{_label(vpc)} is unknown; the job's VPC placement cannot be verified")
        if len(vpc) > 1 and not rc.get(str(vpc[0])).nonempty:
            return smg.fail("network_config is not set; the job does not run in a VPC")
        if not values[vpc].nonempty:
            return smg.fail(f"{_label(vpc)} is not set; the job does not run in a VPC")
        if not values[subnets].known_nonempty:
            return smg.fail(f"{_label(subnets)} is empty")
        return smg.fail(f"{_label(groups)} is empty")


def _label(path: tuple[str | int, ...]) -> str:
    return ".".join(step for step in path if isinstance(step, str))


check = JobVpcConfig()
