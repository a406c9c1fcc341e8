"""SMG-MODEL-002 model-vpc-config, as rules/model/model_vpc_config/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

SUBNETS = ("vpc_config", 0, "subnets")
GROUPS = ("vpc_config", 0, "security_group_ids")
ATTRIBUTES = ((SUBNETS, "aws_subnet"), (GROUPS, "aws_security_group"))


class ModelVpcConfig(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker models run in a VPC",
            id="SMG-MODEL-002",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
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
                "vpc_config subnets or security_group_ids are unknown until apply"
                " and do not refer to subnets and security groups in this plan;"
                " they cannot be verified"
            )
        vpc_config = rc.get("vpc_config")
        if not vpc_config.unknown and not vpc_config.nonempty:
            return smg.fail("vpc_config is missing; the model is not placed in a VPC")
        if not (values[SUBNETS].unknown or values[SUBNETS].known_nonempty):
            return smg.fail("vpc_config.subnets is empty")
        return smg.fail("vpc_config.security_group_ids is empty")


check = ModelVpcConfig()
