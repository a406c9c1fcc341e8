"""SMG-MODEL-003 model-vpc-allowlist, as rules/model/model_vpc_allowlist/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

# (attribute, path in the model, allowlist setting)
LISTS = (
    ("subnets", ("vpc_config", 0, "subnets"), "subnets"),
    ("security_group_ids", ("vpc_config", 0, "security_group_ids"), "security_groups"),
)


class ModelVpcAllowlist(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker models use only allowlisted subnets and security groups",
            id="SMG-MODEL-003",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        # The lists whose allowlist is configured (non-empty), with the allowlist.
        checked = [
            (attribute, path, setting, allowed)
            for attribute, path, setting in LISTS
            if isinstance(allowed := smg.setting("allowlists", setting), list) and allowed
        ]
        outside = []
        for attribute, path, setting, allowed in checked:
            entries = {e for e in rc.elements(*path) if isinstance(e, str) and e not in allowed}
            if entries:
                outside.append(
                    f"vpc_config.{attribute} has {', '.join(sorted(entries))},"
                    f" which allowlists.{setting} does not list"
                )
        if outside:
            return smg.fail("; ".join(outside))
        unknown = [
            f"vpc_config.{attribute} is unknown until apply and cannot be compared with"
            f" allowlists.{setting}"
            for attribute, path, setting, _ in checked
            if rc.get(*path).unknown
        ]
        if unknown:
            return smg.warn("; ".join(unknown))
        return smg.PASS


check = ModelVpcAllowlist()
