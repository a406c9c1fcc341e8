"""SMG-NOTEBOOK-003 notebook-root-access, as rules/notebook/notebook_root_access/rule.rego."""

from __future__ import annotations

import json
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class NotebookRootAccess(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker notebook instances disable root access",
            id="SMG-NOTEBOOK-003",
            categories=[CheckCategories.GENERAL_SECURITY],
            supported_resources=["aws_sagemaker_notebook_instance"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        root = rc.get("root_access")
        if root.value == "Disabled":
            return smg.PASS
        if root.unknown:
            return smg.fail("root_access is unknown until apply; it must be Disabled")
        if root.value is None:
            return smg.fail("root_access is not set (the provider default is Enabled)")
        return smg.fail(f"root_access is {_text(root.value)}; it must be Disabled")


def _text(value: Any) -> str:
    """A value as Rego's sprintf %v writes it."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


check = NotebookRootAccess()
