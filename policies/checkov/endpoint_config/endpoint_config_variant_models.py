"""SMG-ENDPOINT-001 endpoint-config-variant-models, as
rules/endpoint_config/endpoint_config_variant_models/rule.rego.

A configuration is judged by what the model checks (the `model` folder, as the
Rego `model` family) say about each model its variants serve. Models are found
by name and by reference in checkov's graph; a Checkov YAML graph check cannot
follow a name, report a model outside the plan as unverifiable (a warning) or
reuse the model checks' verdicts.
"""

from __future__ import annotations

import json
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

BLOCKS = ("production_variants", "shadow_production_variants")
MODEL = "aws_sagemaker_model"


class EndpointConfigVariantModels(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure endpoint configurations serve only compliant models",
            id="SMG-ENDPOINT-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_endpoint_configuration"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        # As in the Rego rule: the variant lists unknown until apply, then the
        # variants whose model is not found, then the models that only warn.
        failing, unknown, not_found, unverified = [], [], [], []
        for block in BLOCKS:
            if rc.get(block).unknown:
                unknown.append(
                    f"{block} is unknown until apply; the models it serves cannot be verified"
                )
            for i in range(len(rc.blocks(block))):
                name = rc.get(block, i, "model_name")
                models = {m.address: m for m in rc.named(MODEL, name.value)}
                models.update((m.address, m) for m in rc.referenced(name, MODEL))
                if not models:
                    not_found.append(_not_found(block, i, name))
                for address in sorted(models):
                    verdicts = models[address].verdicts("model")
                    denied = smg.ids(verdicts, CheckResult.FAILED)
                    warned = smg.ids(verdicts, CheckResult.SKIPPED)
                    if denied:
                        failing.append(
                            f"{block}[{i}] serves {address}, which fails {', '.join(denied)}"
                        )
                    elif warned:
                        unverified.append(
                            f"{block}[{i}] serves {address}, which could not be fully verified"
                            f" ({', '.join(warned)})"
                        )
        if failing:
            return smg.fail("; ".join(failing))
        if unknown or not_found or unverified:
            return smg.warn("; ".join(unknown + not_found + unverified))
        return smg.PASS


def _not_found(block: str, i: int, name: smg.Value) -> str:
    if isinstance(name.value, str):
        return (
            f"{block}[{i}] serves model {json.dumps(name.value)}, which is not in this plan"
            " and cannot be verified"
        )
    if not name.unknown:
        return f"{block}[{i}] model_name is not set; the variant's model cannot be verified"
    return (
        f"{block}[{i}] model_name is unknown until apply and does not refer to a model"
        " in this plan; it cannot be verified"
    )


check = EndpointConfigVariantModels()
