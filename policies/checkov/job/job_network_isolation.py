"""SMG-JOB-101 job-network-isolation, as rules/job/job_network_isolation/rule.rego.

Training and processing jobs have no Terraform resource: `smguard audit`
writes them as `aws_sagemaker_training_job` and `aws_sagemaker_processing_job`,
which `smguard scan --engine checkov` gives checkov as a plan.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# Where each job type keeps the flag.
PATHS: dict[str, tuple[str | int, ...]] = {
    "aws_sagemaker_training_job": ("enable_network_isolation",),
    "aws_sagemaker_processing_job": ("network_config", 0, "enable_network_isolation"),
}


class JobNetworkIsolation(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker training and processing jobs run with network isolation",
            id="SMG-JOB-101",
            categories=[CheckCategories.NETWORKING],
            supported_resources=list(PATHS),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        path = PATHS[rc.type]
        label = _label(path)
        isolation = rc.get(*path)
        if isolation.value is True:
            return smg.PASS
        if isolation.unknown:
            return smg.fail(f"{label} is unknown; it must be true")
        if len(path) > 1 and not rc.get(str(path[0])).nonempty:
            return smg.fail(
                "network_config is not set, so network isolation is off (the SageMaker default)"
            )
        if isolation.value is None:
            return smg.fail(f"{label} is not set (the SageMaker default is false)")
        return smg.fail(f"{label} is false")


def _label(path: tuple[str | int, ...]) -> str:
    return ".".join(step for step in path if isinstance(step, str))


check = JobNetworkIsolation()
