"""SMG-MODEL-005 model-isolated-container-network-use, as
rules/model/model_isolated_container_network_use/rule.rego.

Checkov leaves out an environment entry unknown until apply (a map inside a
nested block): which entries are unknown is read from the plan file
(smguard_model), as plan.rego reads `after_unknown`.
"""

from __future__ import annotations

import re
from typing import Any

import smguard_checkov as smg
import smguard_model as smm
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

CONSEQUENCE = "with network isolation the container has no network access and no AWS credentials"
SERVICE_ENDPOINT = re.compile(r"([a-z0-9-]+\.)+amazonaws\.com(\.cn)?([:/?#]|\Z)", re.IGNORECASE)
# Model ids the serving containers download from the Hugging Face Hub at start
# unless they are a local path (`/opt/ml/model`): the Hugging Face inference
# toolkit, TGI and DJL LMI (HF_MODEL_ID), DJL serving (OPTION_MODEL_ID).
MODEL_ID_KEYS = frozenset({"HF_MODEL_ID", "OPTION_MODEL_ID"})
HUB_TOKEN_KEYS = frozenset({"HF_TOKEN", "HF_API_TOKEN", "HUGGING_FACE_HUB_TOKEN"})


class ModelIsolatedContainerNetworkUse(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure isolated SageMaker model containers not depend on fetching from the"
                " network at start"
            ),
            id="SMG-MODEL-005",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        problems = smm.isolated_container_problems(rc, "environment", _environment_problems)
        return smg.warn("; ".join([*problems, CONSEQUENCE])) if problems else smg.PASS


def _environment_problems(rc: smg.Resource, label: str, container: tuple[str, int]) -> list[str]:
    path = (*container, "environment")
    environment = rc.get(*path)
    if smm.unknown(rc, *path) and not isinstance(environment.value, list):
        # The environment as a whole is unknown: nothing in it can be checked.
        return [f"{label}.environment is unknown until apply and cannot be verified"]
    unknown = smm.unknown_keys(rc, *path)
    entries = smm.entries(rc, *path)
    problems = [
        f"{label}.environment.{key} {reason}"
        for key in sorted(entries)
        if key not in unknown and (reason := _reason(key, entries[key]))
    ]
    return problems + [
        f"{label}.environment.{key} is unknown until apply and cannot be verified"
        for key in unknown
    ]


def _reason(key: str, value: Any) -> str:
    """Why a value needs the network; "" when it does not. Values are not
    repeated in messages: environments often hold secrets."""
    if not isinstance(value, str):
        return ""
    if value.lower().startswith("s3://"):
        return "is an S3 URI; the container cannot download it"
    if SERVICE_ENDPOINT.search(value):
        return "names an AWS service endpoint; the container cannot reach it"
    if key in MODEL_ID_KEYS and value != "" and not value.startswith("/"):
        return "names a model hub id; the container cannot download the model"
    if key in HUB_TOKEN_KEYS and value != "":
        return "is a Hugging Face Hub token; the container cannot reach the hub"
    return ""


check = ModelIsolatedContainerNetworkUse()
