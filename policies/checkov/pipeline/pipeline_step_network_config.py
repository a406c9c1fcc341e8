"""SMG-PIPELINE-001 pipeline-step-network-config, as
rules/pipeline/pipeline_step_network_config/rule.rego.

The pipeline definition (JSON text) is parsed here and every step that starts
a job is checked for what the `pipelines.minimum` setting requires: Processing
steps' NetworkConfig, Training steps' and Tuning steps' training job
definitions, and the model a Transform step runs (a Model step of the
pipeline, or an aws_sagemaker_model in the plan found by name).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import smguard_checkov as smg
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

MODEL = "aws_sagemaker_model"
JOB_TYPES = {"Processing", "Training", "Tuning", "Transform"}
STEP_LISTS = {"Steps", "IfSteps", "ElseSteps"}
MODEL_SUBNETS = ("vpc_config", 0, "subnets")
MODEL_GROUPS = ("vpc_config", 0, "security_group_ids")
MODEL_VPC = ((MODEL_SUBNETS, "aws_subnet"), (MODEL_GROUPS, "aws_security_group"))


class PipelineStepNetworkConfig(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure SageMaker pipelines run their jobs with network isolation and in a VPC",
            id="SMG-PIPELINE-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_pipeline"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        definition = rc.get("pipeline_definition")
        if definition.unknown:
            return smg.warn(
                "pipeline_definition is unknown until apply; its steps cannot be verified"
            )
        if isinstance(definition.value, str):
            return _Minimum().definition_verdict(rc, definition.value)
        evaluated = definition.value if isinstance(definition.value, list) else []
        if len(evaluated) == 1 and isinstance(evaluated[0], dict):
            # In source, checkov evaluates jsonencode({...}) to the object itself.
            minimum = _Minimum()
            return minimum.summary(minimum.checked_steps(rc, evaluated[0]))
        location = rc.get("pipeline_definition_s3_location")
        if location.unknown or location.nonempty:
            return smg.warn(_s3_message(rc))
        return smg.fail("neither pipeline_definition nor pipeline_definition_s3_location is set")


def _s3_message(rc: smg.Resource) -> str:
    bucket = rc.get("pipeline_definition_s3_location", 0, "bucket")
    key = rc.get("pipeline_definition_s3_location", 0, "object_key")
    if isinstance(bucket.value, str) and isinstance(key.value, str):
        return (
            f"the pipeline definition is read from s3://{bucket.value}/{key.value}"
            " (pipeline_definition_s3_location); its steps cannot be verified from the plan"
        )
    return (
        "the pipeline definition is read from pipeline_definition_s3_location;"
        " its steps cannot be verified from the plan"
    )


class _Minimum:
    """What `pipelines.minimum` requires: "isolation_and_vpc" (default), "vpc"
    or "isolation"; any other value requires both, the strictest reading."""

    def __init__(self) -> None:
        self.minimum = smg.setting("pipelines", "minimum")
        self.isolation = self.minimum != "vpc"
        self.vpc = self.minimum != "isolation"

    @property
    def requirement(self) -> str:
        if self.isolation and self.vpc:
            return "EnableNetworkIsolation true and a VpcConfig with Subnets and SecurityGroupIds"
        if self.vpc:
            return "a VpcConfig with Subnets and SecurityGroupIds"
        return "EnableNetworkIsolation true"

    @property
    def text(self) -> str:
        return self.minimum if isinstance(self.minimum, str) else _marshal(self.minimum)

    def definition_verdict(self, rc: smg.Resource, text: str) -> smg.Verdict:
        definition = _parse(text)
        if definition is _INVALID:
            return smg.fail("pipeline_definition is not valid JSON")
        if not isinstance(definition, dict):
            return smg.fail("pipeline_definition is not a JSON object")
        return self.summary(self.checked_steps(rc, definition))

    def summary(self, checked: list[tuple[str, list[str], list[str]]]) -> smg.Verdict:
        failing = sorted(_describe(label, problems) for label, problems, _ in checked if problems)
        if failing:
            unverified = sorted(
                _describe(label, notes)
                for label, problems, notes in checked
                if notes and not problems
            )
            also = f"; cannot be verified: {'; '.join(unverified)}" if unverified else ""
            return smg.fail(
                f"steps without {self.requirement} (pipelines.minimum {self.text}):"
                f" {'; '.join(failing)}{also}"
            )
        unverified = sorted(_describe(label, notes) for label, _, notes in checked if notes)
        if unverified:
            return smg.warn(
                "network settings of steps cannot be verified from the plan"
                f" (pipelines.minimum {self.text}): {'; '.join(unverified)}"
            )
        return smg.PASS

    def checked_steps(
        self, rc: smg.Resource, definition: dict[str, Any]
    ) -> list[tuple[str, list[str], list[str]]]:
        """(label, problems, what cannot be verified) of every step that starts a job."""
        checked = []
        for step in _steps(definition):
            if isinstance(step.get("Type"), str) and step["Type"] in JOB_TYPES:
                problems, unverified = self.check(rc, step, definition)
                checked.append((_label(step), problems, unverified))
        return checked

    def check(
        self, rc: smg.Resource, step: dict[str, Any], definition: dict[str, Any]
    ) -> tuple[list[str], list[str]]:
        arguments = _arguments(step)
        if step["Type"] == "Processing":
            network = arguments.get("NetworkConfig")
            if not isinstance(network, dict):
                return ["no NetworkConfig"], []
            return self.units_check([("NetworkConfig.", network)])
        if step["Type"] == "Training":
            return self.units_check([("", arguments)])
        if step["Type"] == "Tuning":
            definitions = _tuning_definitions(arguments)
            if not definitions:
                return ["no TrainingJobDefinition or TrainingJobDefinitions"], []
            return self.units_check(definitions)
        return self.transform_check(rc, arguments.get("ModelName"), definition)

    def units_check(self, units: list[tuple[str, dict[str, Any]]]) -> tuple[list[str], list[str]]:
        """The network settings of jobs (or models): (label, request) each."""
        problems: list[str] = []
        unverified: list[str] = []
        for label, request in units:
            isolation = request.get("EnableNetworkIsolation")
            vpc = request.get("VpcConfig")
            problems += self.isolation_problems(label, isolation) + self.vpc_problems(label, vpc)
        for label, request in units:
            isolation = request.get("EnableNetworkIsolation")
            vpc = request.get("VpcConfig")
            unverified += self.isolation_unverified(label, isolation)
            unverified += self.vpc_unverified(label, vpc)
        return problems, unverified

    def isolation_problems(self, label: str, isolation: Any) -> list[str]:
        if not self.isolation or isolation is True or _expression(isolation):
            return []
        if isolation is None:
            return [f"{label}EnableNetworkIsolation is not set"]
        return [f"{label}EnableNetworkIsolation is not true"]

    def isolation_unverified(self, label: str, isolation: Any) -> list[str]:
        if self.isolation and _expression(isolation):
            return [f"{label}EnableNetworkIsolation {_refers(isolation)}"]
        return []

    def vpc_problems(self, label: str, vpc: Any) -> list[str]:
        if not self.vpc or _expression(vpc):
            return []
        if not isinstance(vpc, dict):
            return [f"{label}VpcConfig is missing"]
        return [
            f"{label}VpcConfig.{field}{problem}"
            for field in ("Subnets", "SecurityGroupIds")
            if (problem := _list_problem(vpc.get(field))) is not None
        ]

    def vpc_unverified(self, label: str, vpc: Any) -> list[str]:
        if not self.vpc:
            return []
        if _expression(vpc):
            return [f"{label}VpcConfig {_refers(vpc)}"]
        if not isinstance(vpc, dict):
            return []
        return [
            f"{label}VpcConfig.{field} {', '.join(refs)}"
            for field in ("Subnets", "SecurityGroupIds")
            if (refs := _list_refs(vpc.get(field)))
        ]

    def transform_check(
        self, rc: smg.Resource, name: Any, definition: dict[str, Any]
    ) -> tuple[list[str], list[str]]:
        """A Transform step runs the model with that model's network settings."""
        step_name = _model_step_name(name)
        if step_name is not None:
            model_steps = [
                s
                for s in _steps(definition)
                if s.get("Name") == step_name and s.get("Type") == "Model"
            ]
            if model_steps:
                label = f"model step {step_name}: "
                return self.units_check([(label, _arguments(model_steps[0]))])
        if _expression(name):
            return [], [f"ModelName {_refers(name)}"]
        models = rc.named(MODEL, name)
        if models:
            return self.plan_model_check(models)
        if isinstance(name, str):
            return [], [f'model "{name}" is not in this plan']
        return ["ModelName is not set"], []

    def plan_model_check(self, models: list[smg.Resource]) -> tuple[list[str], list[str]]:
        problems: list[str] = []
        unverified: list[str] = []
        for m in models:
            if self.isolation and m.get("enable_network_isolation").value is not True:
                problems.append(f"model {m.address}: enable_network_isolation is not true")
            if self.vpc and not _model_in_vpc(m) and not _model_vpc_unresolved(m):
                problems.append(f"model {m.address}: vpc_config is missing or incomplete")
        for m in models:
            if self.vpc and not _model_in_vpc(m) and _model_vpc_unresolved(m):
                unverified.append(
                    f"model {m.address}: vpc_config is unknown until apply and does not refer"
                    " to subnets and security groups in this plan"
                )
        return problems, unverified


_INVALID = object()


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _parse(text: str) -> Any:
    """The JSON value of text, or _INVALID (Rego's json.is_valid: no NaN or Infinity)."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _INVALID


def _marshal(value: Any) -> str:
    """Rego's json.marshal: compact, keys sorted, <, > and & escaped."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Rego's walk: every node with its path, depth first, objects by key."""
    yield path, node
    if isinstance(node, dict):
        for key in sorted(node):
            yield from _walk(node[key], (*path, key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i))


def _steps(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Steps at the top level and inside Condition steps, at any depth."""
    return [
        node
        for path, node in _walk(definition)
        if len(path) > 1
        and path[-2] in STEP_LISTS
        and isinstance(path[-1], int)
        and isinstance(node, dict)
    ]


def _label(step: dict[str, Any]) -> str:
    name = step.get("Name")
    return f"{name} ({step['Type']})" if isinstance(name, str) else f"unnamed step ({step['Type']})"


def _arguments(step: dict[str, Any]) -> dict[str, Any]:
    arguments = step.get("Arguments")
    return arguments if isinstance(arguments, dict) else {}


def _tuning_definitions(arguments: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    single = arguments.get("TrainingJobDefinition")
    if isinstance(single, dict):
        found.append(("TrainingJobDefinition.", single))
    many = arguments.get("TrainingJobDefinitions")
    if isinstance(many, list):
        items = [(str(i), d) for i, d in enumerate(many)]
    elif isinstance(many, dict):  # Rego iterates an object's keys (sprintf's %d of a string)
        items = [(f"%!d(string={k})", many[k]) for k in sorted(many)]
    else:
        items = []
    found += [(f"TrainingJobDefinitions[{i}].", d) for i, d in items if isinstance(d, dict)]
    return found


def _expression(v: Any) -> bool:
    """A pipeline expression: a parameter or property reference ({"Get": ...})
    or a function such as {"Std:Join": ...}, known only when the pipeline runs."""
    if not isinstance(v, dict):
        return False
    return isinstance(v.get("Get"), str) or any(key.startswith("Std:") for key in v)


def _refers(v: dict[str, Any]) -> str:
    if isinstance(v.get("Get"), str):
        return f"refers to {v['Get']}"
    return f"is computed by {', '.join(sorted(v))}"


def _nonempty(v: Any) -> bool:
    return isinstance(v, str | list) and len(v) > 0


def _list_problem(value: Any) -> str | None:
    if not _expression(value) and not _nonempty(value):
        return " is empty"
    if isinstance(value, list) and any(
        not _expression(e) and not (isinstance(e, str) and e != "") for e in value
    ):
        return " contains an empty or non-string value"
    return None


def _list_refs(value: Any) -> list[str]:
    if _expression(value):
        return [_refers(value)]
    if isinstance(value, list):
        return [_refers(e) for e in value if _expression(e)]
    return []


def _model_step_name(name: Any) -> str | None:
    """{"Get": "Steps.<step>.ModelName"}: the ModelName property of a Model step."""
    if not isinstance(name, dict) or not isinstance(name.get("Get"), str):
        return None
    parts = name["Get"].split(".")
    if len(parts) == 3 and parts[0] == "Steps" and parts[2] == "ModelName":
        return parts[1]
    return None


def _describe(label: str, notes: list[str]) -> str:
    return f"{label}: {', '.join(notes)}"


def _model_in_vpc(m: smg.Resource) -> bool:
    return all(m.set_or_planned(m.get(*path), kind) for path, kind in MODEL_VPC)


def _model_vpc_unresolved(m: smg.Resource) -> bool:
    return m.unverified([(m.get(*path), kind) for path, kind in MODEL_VPC])


check = PipelineStepNetworkConfig()
