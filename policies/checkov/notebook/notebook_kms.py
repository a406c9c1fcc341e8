"""SMG-NOTEBOOK-004 notebook-kms, as rules/notebook/notebook_kms/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class NotebookKms(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker notebook instances encrypt their storage volume with a KMS key",
            id="SMG-NOTEBOOK-004",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_sagemaker_notebook_instance"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        key = rc.get("kms_key_id")
        if not key.unknown and not key.nonempty:
            return smg.fail("kms_key_id is not set")
        if key.unknown and not rc.referenced(key, "aws_kms_key"):
            return smg.warn(
                "kms_key_id is unknown until apply and not a reference to an aws_kms_key"
                " in this plan; it cannot be verified"
            )
        return smg.PASS


check = NotebookKms()
