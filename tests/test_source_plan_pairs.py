"""Source and plan agree: each fixtures/pairs/<case> holds Terraform source and
the plan JSON `terraform plan` writes for it (written by hand in Terraform's
format); `smguard scan DIR` and `smguard scan DIR/plan.json` must give the same
verdict for every rule and resource, and the verdicts expected.json names."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, smguard

PAIRS = FIXTURES / "pairs"
CASES = sorted(p.name for p in PAIRS.iterdir() if (p / "plan.json").is_file())


def _findings(target, *args: str) -> dict[tuple[str, str], dict]:
    run = smguard("scan", str(target), "--engine", "opa", "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    return {(f["rule_id"], f["address"]): f for f in run.json()["findings"]}


def _verdicts(findings: dict) -> dict[tuple[str, str], str]:
    return {key: f["verdict"] for key, f in findings.items()}


@pytest.mark.parametrize("case", CASES)
def test_source_and_plan_give_the_same_verdicts(case):
    directory = PAIRS / case
    source = _findings(
        directory, *json.loads((directory / "expected.json").read_text()).get("args", [])
    )
    plan = _findings(directory / "plan.json")
    assert source, "the source scan found nothing to check"
    assert _verdicts(source) == _verdicts(plan)
    for expected in json.loads((directory / "expected.json").read_text())["findings"]:
        key = (expected["rule_id"], expected["address"])
        for found in (source[key], plan[key]):
            assert found["verdict"] == expected["verdict"], (key, found["message"])
            assert expected.get("message_contains", "") in found["message"]


def test_pairs_cover_the_patterns_of_real_modules():
    assert {
        "null-defaults",
        "random-names",
        "random-module-input",
        "local-modules",
        "registry-module",
        "functions-dynamic-count",
        "json-syntax",
        "cdktf",
    } <= set(CASES)
