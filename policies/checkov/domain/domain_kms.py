"""SMG-DOMAIN-005 domain-kms, as rules/domain/domain_kms/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

KEY = ("kms_key_id",)


class DomainKms(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure Studio domains encrypt their home EFS volume with a customer managed"
                " KMS key"
            ),
            id="SMG-DOMAIN-005",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        if dom.set_or_planned(rc, KEY, "aws_kms_key"):
            return smg.PASS
        if rc.get(*KEY).unknown:
            # A variable, a data source, a module output: it cannot be verified.
            return smg.warn(
                "kms_key_id is unknown until apply and refers to no aws_kms_key in this plan;"
                " it cannot be verified"
            )
        return smg.fail(
            "kms_key_id is not set (the home EFS volume is encrypted with an AWS managed key)"
        )


check = DomainKms()
