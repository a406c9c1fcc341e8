"""SMG-ENDPOINT-003 endpoint-config-kms, as rules/endpoint_config/endpoint_config_kms/rule.rego."""

from __future__ import annotations

import re
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

BLOCKS = ("production_variants", "shadow_production_variants")
KEYS = ("aws_kms_key", "aws_kms_alias")
# ml.<family>.<size> where the family has local NVMe instance storage: `d`
# after the generation (m5d, c5d, r5d, g4dn, p3dn, p4d, p4de, ...), and g5.
LOCAL_STORAGE = re.compile(r"[a-z]+[0-9]+[a-z]*d[a-z]*|g5")


class EndpointConfigKms(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure endpoint configurations encrypt the ML storage volume with a KMS key",
            id="SMG-ENDPOINT-003",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_sagemaker_endpoint_configuration"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        key = rc.get("kms_key_arn")
        if key.known_nonempty or (key.unknown and any(rc.referenced(key, kind) for kind in KEYS)):
            return smg.PASS
        if key.unknown:
            return smg.warn(
                "kms_key_arn is unknown until apply and does not refer to a KMS key or alias"
                " in this plan; it cannot be verified"
            )
        # No key where AWS does not accept one: a variant on local NVMe storage.
        if any(
            _local_storage(rc, block, i) for block in BLOCKS for i in range(len(rc.blocks(block)))
        ):
            return smg.PASS
        return smg.fail(
            "kms_key_arn is not set; the storage volume is encrypted with a transient key"
            " you do not control"
        )


def _local_storage(rc: smg.Resource, block: str, i: int) -> bool:
    instance_type = rc.get(block, i, "instance_type")
    if instance_type.unknown or not isinstance(instance_type.value, str):
        return False
    parts = instance_type.value.split(".")
    return len(parts) > 1 and LOCAL_STORAGE.fullmatch(parts[1]) is not None


check = EndpointConfigKms()
