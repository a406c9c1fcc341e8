"""Every plan fixture, through the CLI, on every engine: exactly the expected verdicts.

An expected.json lists the rules it asserts (`rules`) and, for those rules,
every finding. All three engines must also agree on every finding of every
rule, asserted or not.
"""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, plan_fixtures, smguard


def _expected(case) -> list[dict]:
    return json.loads((case / "expected.json").read_text())["findings"]


def _config_args(case) -> list[str]:
    """A fixture may carry the configuration it needs (settings such as allowlists)."""
    config = case / "config.yaml"
    return ["--config", str(config)] if config.exists() else []


def _asserted_rules(case) -> set[str]:
    return set(json.loads((case / "expected.json").read_text())["rules"])


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_fixture_verdicts(case, engine):
    expected = _expected(case)
    run = smguard(
        "scan", str(case / "plan.json"), "--engine", engine, "--format", "json", *_config_args(case)
    )
    assert run.code in (0, 1), run.stderr
    report = run.json()
    rules = _asserted_rules(case)
    findings = [f for f in report["findings"] if f["rule_id"] in rules]
    got = {(f["rule_id"], f["address"], f["verdict"]) for f in findings}
    want = {(f["rule_id"], f["address"], f["verdict"]) for f in expected}
    assert {f["rule_id"] for f in expected} <= rules
    assert got == want, f"missing {sorted(want - got)}; unexpected {sorted(got - want)}"
    assert len(report["findings"]) == len(
        {(f["rule_id"], f["address"]) for f in report["findings"]}
    ), "one finding per rule and resource"

    messages = {(f["rule_id"], f["address"]): f["message"] for f in report["findings"]}
    for f in expected:
        if "message_contains" in f:
            assert f["message_contains"] in messages[(f["rule_id"], f["address"])]

    all_fails = report["summary"]["fail"]
    assert run.code == (1 if all_fails else 0)
    assert all_fails >= sum(f["verdict"] == "fail" for f in expected)
    assert report["engine"] == engine


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_engines_agree_on_every_finding(case):
    seen = {}
    for engine in ENGINES:
        args = ["--engine", engine, "--format", "json", *_config_args(case)]
        run = smguard("scan", str(case / "plan.json"), *args)
        assert run.code in (0, 1), run.stderr
        seen[engine] = sorted(
            (f["rule_id"], f["address"], f["verdict"], f["message"], f["severity"])
            for f in run.json()["findings"]
        )
    assert seen["embedded"] == seen["opa"]
    assert seen["conftest"] == seen["opa"]


def test_there_are_fixtures_for_every_rule():
    from smguard import catalogue

    covered = {(f["rule_id"], f["verdict"]) for case in plan_fixtures() for f in _expected(case)}
    for rule in catalogue.load():
        assert (rule.id, "pass") in covered, f"{rule.id} has no passing fixture"
        assert (rule.id, "fail") in covered, f"{rule.id} has no failing fixture"
