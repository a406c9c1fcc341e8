"""The rule catalogue, read from the `# METADATA` block of every rule.rego.

This is the one place rule metadata is parsed. The generated
`policies/rego/smguard/catalogue/catalogue.rego` (for engines without
`rego.metadata`, and for conftest users) and the docs are written from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from smguard.document import Document
from smguard.errors import EngineError
from smguard.paths import rego_dir

_PACKAGE_LINE = re.compile(r"^package\s+smguard\.rules\.(\w+)\.(\w+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Rule:
    """One catalogue entry."""

    id: str
    name: str  # kebab-case, also the docs anchor
    package: str  # the rule's package name (snake_case), its folder
    family: str
    title: str
    description: str
    severity: str
    resources: tuple[str, ...]  # types the rule reports on
    reads: tuple[str, ...]  # other types it looks at
    remediation: str
    aws_concept: str
    references: dict[str, tuple[str, ...]]  # checkov / security_hub / aws_config ids
    path: Path
    limits: str = ""  # what the rule cannot see, when it says so


def _metadata_block(text: str, path: Path) -> dict:
    lines = text.splitlines()
    try:
        start = lines.index("# METADATA") + 1
    except ValueError:
        raise ValueError("no # METADATA block") from None
    block = []
    for line in lines[start:]:
        if not line.startswith("#"):
            break
        block.append(line[2:] if line.startswith("# ") else line[1:])
    # libyaml's loader when PyYAML has it: the pure-Python one took 0.2 s for 30 rules.
    return yaml.load("\n".join(block), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def parse_rule(path: Path) -> Rule:
    """The catalogue entry of one rule.rego; EngineError if its METADATA is incomplete."""
    try:
        return _parse_rule(path)
    except (KeyError, TypeError, AttributeError, ValueError, yaml.YAMLError) as err:
        raise EngineError(f"{path}: invalid rule METADATA ({type(err).__name__}: {err})") from None


def _parse_rule(path: Path) -> Rule:
    text = path.read_text()
    meta = _metadata_block(text, path)
    custom = meta.get("custom", {})
    match = _PACKAGE_LINE.search(text)
    if not match:
        raise ValueError("package must be smguard.rules.<family>.<rule>")
    family, package = match.groups()
    return Rule(
        id=custom["id"],
        name=package.replace("_", "-"),
        package=package,
        family=family,
        title=meta["title"],
        description=" ".join(meta.get("description", "").split()),
        severity=custom["severity"],
        resources=tuple(custom["resources"]),
        reads=tuple(custom.get("reads", [])),
        remediation=custom["remediation"],
        aws_concept=custom.get("aws_concept", ""),
        references={k: tuple(v) for k, v in (custom.get("references") or {}).items()},
        path=path,
        limits=" ".join(custom.get("limits", "").split()),
    )


def load(root: Path | None = None) -> tuple[Rule, ...]:
    """Every rule under `<rego>/smguard/rules`, sorted by id."""
    return _load((root or rego_dir()).resolve())


@cache  # per folder: $SMGUARD_POLICY_DIR may point elsewhere within one process
def _load(root: Path) -> tuple[Rule, ...]:
    rules_root = root / "smguard" / "rules"
    rules = sorted((parse_rule(p) for p in rules_root.glob("*/*/rule.rego")), key=lambda r: r.id)
    ids = [r.id for r in rules]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise EngineError(f"duplicate rule ids: {', '.join(sorted(duplicates))}")
    return tuple(rules)


def resource_types(rules: tuple[Rule, ...]) -> frozenset[str]:
    """Every resource type some rule reports on or reads."""
    return frozenset(t for r in rules for t in (*r.resources, *r.reads))


# SageMaker resource types with no network setting of their own (the provider
# schemas have no VPC, subnet, security group, isolation or internet-access
# attribute): nothing to check, so they are not reported as unchecked.
# Anything else of aws_sagemaker_* or awscc_sagemaker_* that no rule reads is.
NO_NETWORK_SETTING = frozenset(
    {
        "app",  # runs in its domain's network, checked on the domain
        "app_image_config",
        "code_repository",
        "device",
        "device_fleet",
        "feature_group",
        "flow_definition",
        "hub",
        "human_task_ui",
        "image",
        "image_version",
        "model_package_group",
        "model_package_group_policy",
        "notebook_instance_lifecycle_configuration",
        "project",
        "servicecatalog_portfolio_status",
        "studio_lifecycle_config",
        "workteam",
        # AWSCC only (terraform-provider-awscc 1.96.0 docs/resources/sagemaker_*.md:
        # no VPC, subnet, security group, isolation or network attribute)
        "action",
        "algorithm",
        "context",
        "experiment",
        "experiment_trial_component",
        "inference_experiment",
        "mlflow_app",
        "mlflow_tracking_server",
        "model_package",
        "partner_app",
        "trial_component",
    }
)
_SAGEMAKER = re.compile(r"^(aws|awscc)_sagemaker_(.+)$")


def not_checked(document: Document, rules: tuple[Rule, ...]) -> tuple[str, ...]:
    """Addresses of the SageMaker resources (of a type with a network setting) that
    remain after apply and that no rule reads: never left out silently, every
    report lists them."""
    read = {t for r in rules for t in (*r.resources, *r.reads)}
    sagemaker = {
        str(rc.get("type"))
        for rc in document.resource_changes()
        if (match := _SAGEMAKER.match(str(rc.get("type"))))
        and match.group(2) not in NO_NETWORK_SETTING
    } - read
    return tuple(sorted(rc["address"] for rc in document.checked_resources(frozenset(sagemaker))))


def render_rego(rules: tuple[Rule, ...]) -> str:
    """The generated catalogue package (before `opa fmt`)."""
    entries = {
        r.package: {
            "id": r.id,
            "name": r.name,
            "title": r.title,
            "severity": r.severity,
            "remediation": r.remediation,
        }
        for r in rules
    }
    return (
        "# METADATA\n"
        "# description: |\n"
        "#   Generated from the METADATA of every rule by `make catalogue`. Do not edit.\n"
        "package smguard.catalogue\n\n"
        f"rules := {json.dumps(entries, indent=1, sort_keys=True)}\n"
    )


_REFERENCE_TITLES = {
    "checkov": "Checkov built-in",
    "security_hub": "Security Hub control",
    "aws_config": "AWS Config managed rule",
}


def render_markdown(rules: tuple[Rule, ...]) -> str:
    """docs/rules.md: every rule, generated from METADATA."""
    lines = [
        "# Rule catalogue",
        "",
        "Generated from the `# METADATA` of every rule by `make catalogue`; do not edit.",
        "",
        "| id | rule | severity | resources | title |",
        "|---|---|---|---|---|",
    ]
    for r in rules:
        resources = ", ".join(f"`{t}`" for t in r.resources)
        lines.append(f"| {r.id} | [{r.name}](#{r.name}) | {r.severity} | {resources} | {r.title} |")
    for r in rules:
        lines += [
            "",
            f"## {r.name}",
            "",
            f"**{r.id}** · {r.severity} · {r.title}",
            "",
            r.description,
            "",
        ]
        lines.append(f"- Resources: {', '.join(f'`{t}`' for t in r.resources)}")
        if r.reads:
            lines.append(f"- Also reads: {', '.join(f'`{t}`' for t in r.reads)}")
        if r.aws_concept:
            lines.append(f"- AWS concept: {r.aws_concept}")
        lines.append(f"- Remediation: {r.remediation}")
        if r.limits:
            lines.append(f"- Limits: {r.limits}")
        for key, title in _REFERENCE_TITLES.items():
            ids = r.references.get(key, ())
            lines.append(f"- {title}: {', '.join(ids) if ids else 'none'}")
        lines.append(f"- Source: `{r.path.relative_to(r.path.parents[6]).as_posix()}`")
    return "\n".join(lines) + "\n"
