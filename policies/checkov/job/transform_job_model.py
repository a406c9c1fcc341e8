"""SMG-JOB-103 transform-job-model, as rules/job/transform_job_model/rule.rego.

A batch transform job runs with the network settings of the model it names,
so it is judged by what the model checks (the `model` folder, as the Rego
`model` family) say about the models of that name. `aws_sagemaker_transform_job`
exists only in audits (`smguard audit`): it has no configuration, so models
are found by name only.
"""

from __future__ import annotations

import json
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

MODEL = "aws_sagemaker_model"


class TransformJobModel(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker batch transform jobs run compliant models",
            id="SMG-JOB-103",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_transform_job"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        name = rc.get("model_name")
        models = {m.address: m for m in rc.named(MODEL, name.value)}
        failing, warned = [], []
        for address in sorted(models):
            verdicts = models[address].verdicts("model")
            denied = smg.ids(verdicts, CheckResult.FAILED)
            unverified = smg.ids(verdicts, CheckResult.SKIPPED)
            if denied:
                failing.append(f"it ran {address}, which fails {', '.join(denied)}")
            elif unverified:
                warned.append(f"{address} ({', '.join(unverified)})")
        if failing:
            return smg.fail("; ".join(failing))
        if name.unknown:
            return smg.warn("model_name is unknown; the model the job ran cannot be verified")
        if not isinstance(name.value, str):
            return smg.warn("model_name is not set; the model the job ran cannot be verified")
        if not models:
            return smg.warn(
                f"model {json.dumps(name.value)} is not in the account (deleted since the job ran,"
                " or not readable); the network settings the job ran with cannot be verified"
            )
        if warned:
            return smg.warn(
                f"it ran {', '.join(sorted(warned))}, which could not be fully verified"
            )
        return smg.PASS


check = TransformJobModel()
