"""The configuration file: exemptions, expiry, unused exemptions, rule options, validation."""

from __future__ import annotations

import json

import pytest

from conftest import ENGINES, FIXTURES, REPO, TOOLS, smguard

PLAN = FIXTURES / "child-modules" / "plan.json"
CONFIG = FIXTURES / "config" / "exemptions.yaml"
TEAM_B_MODEL = 'module.team["b"].aws_sagemaker_model.this'


def _scan(*args: str, engine: str = "opa"):
    return smguard("scan", str(PLAN), "--engine", engine, "--format", "json", *args)


def _verdicts(report: dict) -> dict[tuple[str, str], str]:
    return {(f["rule_id"], f["address"]): f["verdict"] for f in report["findings"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_exemption_turns_a_failure_into_exempt_on_every_engine(engine):
    before = _scan(engine=engine).json()
    after = _scan("--config", str(CONFIG), "--now", "2026-11-23", engine=engine).json()
    assert _verdicts(before)[("SMG-MODEL-001", TEAM_B_MODEL)] == "fail"
    assert _verdicts(after)[("SMG-MODEL-001", TEAM_B_MODEL)] == "exempt"
    exempted = next(
        f
        for f in after["findings"]
        if (f["rule_id"], f["address"]) == ("SMG-MODEL-001", TEAM_B_MODEL)
    )
    # [*] matched the instance key; the first matching exemption is named
    assert "exemptions[1]" in exempted["message"]
    assert "covers the other team instances" in exempted["message"]
    # counts are exact: one failure moved to exempted, nothing else changed
    assert after["summary"]["exempt"] == 1
    assert after["summary"]["fail"] == before["summary"]["fail"] - 1
    assert after["summary"]["pass"] == before["summary"]["pass"]
    assert len(after["findings"]) == len(before["findings"])


@pytest.mark.parametrize("engine", ENGINES)
def test_expired_and_unused_exemptions_are_reported(engine):
    report = _scan("--config", str(CONFIG), "--now", "2026-11-23", engine=engine).json()
    problems = {(p["exemption"], p["problem"]) for p in report["exemption_problems"]}
    assert problems == {(0, "unused"), (2, "unused"), (3, "expired")}


def test_an_exemption_stops_applying_the_day_after_it_expires():
    on_the_day = _scan("--config", str(CONFIG), "--now", "2027-01-31").json()
    day_after = _scan("--config", str(CONFIG), "--now", "2027-02-01").json()
    assert _verdicts(on_the_day)[("SMG-MODEL-001", TEAM_B_MODEL)] == "exempt"
    assert _verdicts(day_after)[("SMG-MODEL-001", TEAM_B_MODEL)] == "fail"
    assert (1, "expired") in {
        (p["exemption"], p["problem"]) for p in day_after["exemption_problems"]
    }


def test_exemption_problems_fail_only_with_strict(tmp_path):
    config = tmp_path / "unused.yaml"
    config.write_text(
        "exemptions:\n"
        "  - {rule: SMG-MODEL-001, address: module.nowhere.*, reason: r, expires: 2030-01-01}\n"
    )
    plan = str(FIXTURES / "compliant-model" / "plan.json")
    assert smguard("scan", plan, "--config", str(config)).code == 0
    strict = smguard("scan", plan, "--config", str(config), "--strict")
    assert strict.code == 1
    assert (
        "exemptions[0] (SMG-MODEL-001 module.nowhere.*) matched no failure or warning"
        in strict.stdout
    )


def test_severity_override_and_disabled_rule(tmp_path):
    config = tmp_path / "rules.json"
    config.write_text(
        json.dumps(
            {"rules": {"SMG-MODEL-002": {"enabled": False}, "SMG-MODEL-001": {"severity": "low"}}}
        )
    )
    report = _scan("--config", str(config)).json()
    assert not [f for f in report["findings"] if f["rule_id"] == "SMG-MODEL-002"]
    severities = {f["severity"] for f in report["findings"] if f["rule_id"] == "SMG-MODEL-001"}
    assert severities == {"low"}


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            "exemptions:\n  - {rule: SMG-MODEL-001, address: x, reason: r}\n",
            "$.exemptions[0]: 'expires' is a required",
        ),
        (
            "exemptions:\n  - {rule: SMG-MODEL-001, address: x, reason: r, expires: 2027-13-01}\n",
            "$.exemptions[0].expires",
        ),
        ("rules:\n  SMG-NOPE-001: {enabled: false}\n", "unknown rule id SMG-NOPE-001"),
        ("rules:\n  SMG-MODEL-001: {severity: extreme}\n", "$.rules.SMG-MODEL-001.severity"),
        ("settings:\n  allowlists:\n    subnet: [a]\n", "$.settings.allowlists"),
        ("exemptions: [\n", "invalid YAML/JSON at line"),
        (
            "- just\n- a list\n",
            "invalid configuration at $: ['just', 'a list'] is not of type 'object'",
        ),
    ],
)
def test_invalid_configuration_is_exit_2_with_the_offending_path(tmp_path, content, error):
    config = tmp_path / "config.yaml"
    config.write_text(content)
    run = smguard("scan", str(PLAN), "--config", str(config))
    assert run.code == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert error in run.stderr, run.stderr


def test_missing_configuration_file():
    run = smguard("scan", str(PLAN), "--config", "/nonexistent/config.yaml")
    assert run.code == 2
    assert "no such configuration file" in run.stderr


def test_conftest_users_pass_the_configuration_as_data(tmp_path):
    import subprocess

    data = tmp_path / "data"
    data.mkdir()
    (data / "config.json").write_text(
        json.dumps(
            {
                "smguard": {
                    "now": "2026-11-23",
                    "config": {
                        "exemptions": [
                            {
                                "rule": "SMG-MODEL-001",
                                "address": "module.team[*].aws_sagemaker_model.*",
                                "reason": "r",
                                "expires": "2027-01-31",
                            }
                        ]
                    },
                }
            }
        )
    )
    result = subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", str(PLAN),
         "-p", str(REPO / "policies" / "rego"), "--data", str(data)],
        capture_output=True, text=True,
    )  # fmt: skip
    (output,) = json.loads(result.stdout)
    failed = {(r["metadata"]["rule_id"], r["metadata"]["address"]) for r in output["failures"]}
    assert ("SMG-MODEL-001", TEAM_B_MODEL) not in failed
    assert ("SMG-MODEL-002", "aws_sagemaker_model.this") in failed
