"""SMG-ENDPOINT-004 endpoint-config-async-output-encryption, as
rules/endpoint_config/endpoint_config_async_output_encryption/rule.rego.

The key is two blocks deep, where checkov does not mark a value unknown until
apply: whether it is unknown is read from the plan file (smguard_model), and
what it refers to from the plan's configuration (smguard_domain), as plan.rego
does.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
import smguard_model as smm
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ASYNC = ("async_inference_config",)
KEY = ("async_inference_config", 0, "output_config", 0, "kms_key_id")
KEYS = ("aws_kms_key", "aws_kms_alias")


class EndpointConfigAsyncOutputEncryption(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure asynchronous inference outputs be encrypted with a KMS key",
            id="SMG-ENDPOINT-004",
            categories=[CheckCategories.ENCRYPTION],
            supported_resources=["aws_sagemaker_endpoint_configuration"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        configured = smm.unknown(rc, *ASYNC) is False and rc.get(*ASYNC).nonempty
        if not configured and not smm.unknown(rc, *ASYNC):
            return smg.PASS  # not asynchronous
        key_unknown = smm.unknown(rc, *KEY)
        key = rc.get(*KEY)
        if not key_unknown and key.nonempty:
            return smg.PASS
        if key_unknown and any(dom.referenced(rc, KEY, kind) for kind in KEYS):
            return smg.PASS
        if key_unknown and not configured:
            return smg.warn(
                "async_inference_config is unknown until apply; its output encryption"
                " cannot be verified"
            )
        if key_unknown:
            return smg.warn(
                "async_inference_config.output_config.kms_key_id is unknown until apply and"
                " does not refer to a KMS key or alias in this plan; it cannot be verified"
            )
        return smg.fail(
            "async_inference_config.output_config.kms_key_id is not set;"
            " asynchronous inference results are written to S3 without a KMS key you control"
        )


check = EndpointConfigAsyncOutputEncryption()
