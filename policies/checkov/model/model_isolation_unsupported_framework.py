"""SMG-MODEL-004 model-isolation-unsupported-framework, as
rules/model/model_isolation_unsupported_framework/rule.rego.

An image in the second of several container blocks is where checkov does not
mark a value unknown until apply: whether it is unknown is read from the plan
file (smguard_model), and what it refers to from the plan's configuration
(smguard_domain), as plan.rego does.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
import smguard_model as smm
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

ECR = "aws_ecr_repository"
UNVERIFIABLE = "whether it supports network isolation cannot be verified"


class ModelIsolationUnsupportedFramework(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure isolated SageMaker models not use framework images that cannot run isolated"
            ),
            id="SMG-MODEL-004",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_model"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        problems = smm.isolated_container_problems(rc, "images", _image_problems)
        return smg.warn("; ".join(problems)) if problems else smg.PASS


def _image_problems(rc: smg.Resource, label: str, container: tuple[str, int]) -> list[str]:
    path = (*container, "image")
    image = rc.get(*path)
    unknown = smm.unknown(rc, *path)
    if not unknown and isinstance(image.value, str):
        framework = _unsupported(_repository(image.value))
        if framework:
            return [
                f"{label}.image is from the {_repository(image.value)} repository ({framework}),"
                " which does not support network isolation"
            ]
    if not unknown:
        return []
    repositories = dom.referenced(rc, path, ECR)
    if not repositories:
        return [
            f"{label}.image is unknown until apply and does not refer to an ECR repository"
            f" in this plan; {UNVERIFIABLE}"
        ]
    problems = []
    for ecr in repositories:
        name = ecr.get("name")
        if name.unknown or not isinstance(name.value, str):
            problems.append(
                f"{label}.image refers to {ecr.address}, whose name is unknown until apply;"
                f" {UNVERIFIABLE}"
            )
        elif framework := _unsupported(name.value.lower()):
            problems.append(
                f"{label}.image refers to {ecr.address}, repository {name.value} ({framework}),"
                " which does not support network isolation"
            )
    return problems


def _repository(image: str) -> str:
    """The repository of an image URI, lower case: the last path segment
    without its tag or digest ("…/sagemaker-chainer:5.0.0-cpu-py3" -> "sagemaker-chainer")."""
    return image.split("@")[0].split("/")[-1].split(":")[0].lower()


def _unsupported(repository: str) -> str:
    """The framework whose SageMaker images do not support network isolation, or ""."""
    if repository == "sagemaker-chainer":
        return "Chainer"
    if repository == "sagemaker-pytorch" or repository.startswith("pytorch-"):
        return "PyTorch"
    if repository == "sagemaker-scikit-learn":
        return "Scikit-learn"
    if repository.startswith("sagemaker-rl-"):
        return "SageMaker Reinforcement Learning"
    return ""


check = ModelIsolationUnsupportedFramework()
