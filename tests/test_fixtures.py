"""Every plan fixture on every engine: exactly the expected verdicts, and agreement.

An expected.json lists the rules it asserts (`rules`) and, for those rules,
every finding. A fixture may carry a config.yaml. The Rego engines are
evaluated in-process (the same path `smguard scan` takes after loading), and
must also agree on every finding of every rule, asserted or not.
"""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, plan_fixtures
from smguard import catalogue, engines
from smguard import config as smguard_config
from smguard.engines import EngineName
from smguard.loaders import plan


def _expected(case) -> dict:
    return json.loads((case / "expected.json").read_text())


def _config(case) -> dict | None:
    path = case / "config.yaml"
    return smguard_config.load(path) if path.exists() else None


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_fixture_on_every_engine(case):
    expected = _expected(case)
    rules = set(expected["rules"])
    want = {(f["rule_id"], f["address"], f["verdict"]) for f in expected["findings"]}
    assert {rule for rule, _, _ in want} <= rules
    document = plan.load(case / "plan.json")
    config = _config(case)
    seen = {}
    for name in ENGINES:
        report = engines.get(EngineName(name)).evaluate(document, config)
        assert report.engine == name
        found = [f for f in report.findings if f.rule_id in rules]
        got = {(f.rule_id, f.address, str(f.verdict)) for f in found}
        assert got == want, f"{name}: missing {sorted(want - got)}; unexpected {sorted(got - want)}"
        keys = [(f.rule_id, f.address) for f in report.findings]
        assert len(keys) == len(set(keys)), f"{name}: one finding per rule and resource"
        messages = {(f.rule_id, f.address): f.message for f in found}
        for f in expected["findings"]:
            if "message_contains" in f:
                assert f["message_contains"] in messages[(f["rule_id"], f["address"])], name
        assert report.exit_code() == (1 if report.counts["fail"] else 0)
        seen[name] = sorted(
            (f.rule_id, f.address, str(f.verdict), f.message, f.severity) for f in report.findings
        )
    assert seen["embedded"] == seen["opa"], "embedded and opa disagree"
    assert seen["conftest"] == seen["opa"], "conftest and opa disagree"


def test_there_are_fixtures_for_every_rule():
    """Each rule passes somewhere and is reported (fail, or warn for warning-only rules)
    somewhere. SMG-IAM-001 reports on the plan, never a pass on a resource."""
    findings = [f for case in plan_fixtures() for f in _expected(case)["findings"]]
    covered = {(f["rule_id"], f["verdict"]) for f in findings}
    for rule in catalogue.load():
        if rule.id != "SMG-IAM-001":
            assert (rule.id, "pass") in covered, f"{rule.id}: no passing fixture"
        reported = {(rule.id, "fail"), (rule.id, "warn")} & covered
        assert reported, f"{rule.id}: no fixture where it fails or warns"
