"""Mutation check: every guarded attribute of every compliant fixture matters.

For each compliant fixture (every asserted finding passes) and each resource
of a guarded type in it, each guarded attribute is mutated three ways:
removed, set to its insecure value, and made unknown until apply (with its
configuration references dropped, so nothing in the plan can vouch for it).
A mutant is killed when a rule that guards the attribute reports a failure
or warning on that resource. Where the unmutated fixture already has such a
finding (a fixture compliant for the rules it asserts, with the attribute
insecure already), the mutation changes nothing and is not counted. Prints
the kill rate; exits 1 unless every mutant is killed.

Usage: python scripts/mutate.py [--engine opa]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from smguard import config as smguard_config
from smguard import engines
from smguard.document import GONE_ACTIONS, Document
from smguard.engines import EngineName
from smguard.errors import SmguardError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass(frozen=True)
class Guard:
    path: tuple  # attribute path in `after`, e.g. ("vpc_config", 0, "subnets")
    insecure: object  # the value that breaks the guardrail
    rules: tuple[str, ...]  # the rules that report it broken


_MODEL_VPC = ("SMG-MODEL-002",)
_NOTEBOOK_VPC = ("SMG-NOTEBOOK-002",)
_DOMAIN_PLACEMENT = ("SMG-DOMAIN-002",)

# What each rule guards, by resource type. A new guarded attribute goes here.
GUARDS: dict[str, tuple[Guard, ...]] = {
    "aws_sagemaker_model": (
        Guard(("enable_network_isolation",), False, ("SMG-MODEL-001",)),
        Guard(("vpc_config",), [], _MODEL_VPC),
        Guard(("vpc_config", 0, "subnets"), [], _MODEL_VPC),
        Guard(("vpc_config", 0, "security_group_ids"), [], _MODEL_VPC),
    ),
    "aws_sagemaker_endpoint_configuration": (
        Guard(
            ("production_variants", 0, "model_name"),
            "model-outside-the-plan",
            ("SMG-ENDPOINT-001",),
        ),
        Guard(("kms_key_arn",), "", ("SMG-ENDPOINT-003",)),
    ),
    "aws_sagemaker_endpoint": (
        Guard(("endpoint_config_name",), "config-outside-the-plan", ("SMG-ENDPOINT-002",)),
    ),
    "aws_sagemaker_domain": (
        Guard(("app_network_access_type",), "PublicInternetOnly", ("SMG-DOMAIN-001",)),
        Guard(("vpc_id",), "", _DOMAIN_PLACEMENT),
        Guard(("subnet_ids",), [], _DOMAIN_PLACEMENT),
        Guard(("kms_key_id",), "", ("SMG-DOMAIN-005",)),
        Guard(("default_user_settings", 0, "security_groups"), [], ("SMG-DOMAIN-004",)),
    ),
    "aws_sagemaker_notebook_instance": (
        Guard(("direct_internet_access",), "Enabled", ("SMG-NOTEBOOK-001",)),
        Guard(("root_access",), "Enabled", ("SMG-NOTEBOOK-003",)),
        Guard(("subnet_id",), "", _NOTEBOOK_VPC),
        Guard(("security_groups",), [], _NOTEBOOK_VPC),
        Guard(("kms_key_id",), "", ("SMG-NOTEBOOK-004",)),
    ),
    "aws_sagemaker_data_quality_job_definition": (
        Guard(("network_config",), [], ("SMG-JOB-001", "SMG-JOB-002", "SMG-JOB-003")),
        Guard(("network_config", 0, "enable_network_isolation"), False, ("SMG-JOB-001",)),
        Guard(
            ("network_config", 0, "enable_inter_container_traffic_encryption"),
            False,
            ("SMG-JOB-002",),
        ),
        Guard(("network_config", 0, "vpc_config"), [], ("SMG-JOB-003",)),
    ),
}

MUTATIONS = ("remove", "insecure", "unknown")


def compliant_fixtures() -> list[Path]:
    cases = []
    for expected in sorted(FIXTURES.glob("*/expected.json")):
        if not (expected.parent / "plan.json").is_file():
            continue  # a source (HCL) fixture
        findings = json.loads(expected.read_text()).get("findings") or []
        if findings and all(f["verdict"] == "pass" for f in findings):
            cases.append(expected.parent)
    return cases


def _set(container, path, value) -> bool:
    """Set container[path] = value; False when the path does not exist."""
    for key in path[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return False
    if isinstance(container, dict) or (isinstance(container, list) and path[-1] < len(container)):
        container[path[-1]] = value
        return True
    return False


def _delete(container, path) -> None:
    for key in path[:-1]:
        try:
            container = container[key]
        except (KeyError, IndexError, TypeError):
            return
    if isinstance(container, dict):
        container.pop(path[-1], None)


def _config_block(plan: dict, rc: dict) -> dict | None:
    import re

    module = plan.get("configuration", {}).get("root_module", {})
    prefix = re.sub(r"\[[^\]]*\]", "", rc.get("module_address", ""))
    for name in re.findall(r"module\.([^.]+)", prefix):
        module = module.get("module_calls", {}).get(name, {}).get("module", {})
    relative = re.sub(r"\[[^\]]*\]", "", rc["address"]).removeprefix(prefix + "." if prefix else "")
    return next((r for r in module.get("resources", []) if r.get("address") == relative), None)


def mutate(plan: dict, index: int, guard: Guard, how: str) -> dict | None:
    """A copy of plan with one attribute of resource_changes[index] mutated, or None."""
    mutant = copy.deepcopy(plan)
    rc = mutant["resource_changes"][index]
    change = rc["change"]
    after = change.get("after") or {}
    known = _set(copy.deepcopy(after), guard.path, None)
    unknown_now = _set(copy.deepcopy(change.get("after_unknown") or {}), guard.path, True)
    if not known and not unknown_now:
        return None  # the attribute does not exist on this resource
    config = _config_block(mutant, rc)
    if how == "remove":
        _delete(after, guard.path)
        _delete(change.get("after_unknown") or {}, guard.path)
    elif how == "insecure":
        _set(after, guard.path, guard.insecure)
        _delete(change.get("after_unknown") or {}, guard.path)
    else:
        _delete(after, guard.path)
        change.setdefault("after_unknown", {})
        if not _set(change["after_unknown"], guard.path, True):
            change["after_unknown"][guard.path[0]] = True
    if config is not None:  # nothing in the configuration may vouch for it any more
        _delete(config.get("expressions", {}), guard.path)
    return mutant


def run(engine_name: EngineName) -> tuple[int, int, list[str], int]:
    """(mutants, killed, survivors, guards not mutated: insecure in the fixture already)."""
    engine = engines.get(engine_name)
    total, survivors, insecure = 0, [], 0
    for case in compliant_fixtures():
        plan = json.loads((case / "plan.json").read_text())
        config_file = case / "config.yaml"
        config = smguard_config.load(config_file) if config_file.exists() else None
        baseline = _reported(engine.evaluate(Document(plan, case.name), config))
        for index, rc in enumerate(plan.get("resource_changes", [])):
            if rc.get("change", {}).get("actions") in GONE_ACTIONS:
                continue
            for guard in GUARDS.get(rc.get("type"), ()):
                if any((rule, rc["address"]) in baseline for rule in guard.rules):
                    insecure += 1
                    continue
                for how in MUTATIONS:
                    mutant = mutate(plan, index, guard, how)
                    if mutant is None:
                        continue
                    total += 1
                    reported = _reported(engine.evaluate(Document(mutant, case.name), config))
                    if not any((rule, rc["address"]) in reported for rule in guard.rules):
                        path = ".".join(map(str, guard.path))
                        survivors.append(f"{case.name}: {rc['address']} {path} {how}")
    return total, total - len(survivors), survivors, insecure


def _reported(report) -> set[tuple[str, str]]:
    """(rule id, address) of every failure and warning."""
    return {(f.rule_id, f.address) for f in report.findings if f.verdict in ("fail", "warn")}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", type=EngineName, default=EngineName.OPA)
    args = parser.parse_args()
    try:
        total, killed, survivors, insecure = run(args.engine)
    except SmguardError as err:
        print(f"mutate: error: {err}", file=sys.stderr)
        return 2
    for survivor in survivors:
        print(f"survived: {survivor}")
    print(f"not mutated: {insecure} guarded attributes already reported insecure by their rule")
    rate = 100.0 * killed / total if total else 0.0
    print(f"mutation check: {killed}/{total} mutants killed ({rate:.1f}%)")
    return 0 if total and not survivors else 1


if __name__ == "__main__":
    sys.exit(main())
