"""Every plan fixture, through the CLI, on every engine: exactly the expected verdicts."""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, plan_fixtures, smguard


def _expected(case) -> list[dict]:
    return json.loads((case / "expected.json").read_text())["findings"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_fixture_verdicts(case, engine):
    expected = _expected(case)
    run = smguard("scan", str(case / "plan.json"), "--engine", engine, "--format", "json")
    assert run.code in (0, 1), run.stderr
    report = run.json()
    got = {(f["rule_id"], f["address"], f["verdict"]) for f in report["findings"]}
    want = {(f["rule_id"], f["address"], f["verdict"]) for f in expected}
    assert got == want, f"missing {sorted(want - got)}; unexpected {sorted(got - want)}"
    assert len(report["findings"]) == len(got), "one finding per rule and resource"

    messages = {(f["rule_id"], f["address"]): f["message"] for f in report["findings"]}
    for f in expected:
        if "message_contains" in f:
            assert f["message_contains"] in messages[(f["rule_id"], f["address"])]

    fails = sum(f["verdict"] == "fail" for f in expected)
    assert run.code == (1 if fails else 0)
    assert report["summary"]["fail"] == fails
    assert report["summary"]["warn"] == sum(f["verdict"] == "warn" for f in expected)
    assert report["engine"] == engine


def test_there_are_fixtures_for_every_rule():
    from smguard import catalogue

    covered = {(f["rule_id"], f["verdict"]) for case in plan_fixtures() for f in _expected(case)}
    for rule in catalogue.load():
        assert (rule.id, "pass") in covered, f"{rule.id} has no passing fixture"
        assert (rule.id, "fail") in covered, f"{rule.id} has no failing fixture"
