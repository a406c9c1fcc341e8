"""SMG-NOTEBOOK-001 notebook-direct-internet-access, as
rules/notebook/notebook_direct_internet_access/rule.rego."""

from __future__ import annotations

import json
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class NotebookDirectInternetAccess(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker notebook instances disable direct internet access",
            id="SMG-NOTEBOOK-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_notebook_instance"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        access = rc.get("direct_internet_access")
        if access.value == "Disabled":
            return smg.PASS
        if access.unknown:
            return smg.fail("direct_internet_access is unknown until apply; it must be Disabled")
        if access.value is None:
            return smg.fail("direct_internet_access is not set (the provider default is Enabled)")
        return smg.fail(f"direct_internet_access is {_text(access.value)}; it must be Disabled")


def _text(value: Any) -> str:
    """A value as Rego's sprintf %v writes it."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


check = NotebookDirectInternetAccess()
