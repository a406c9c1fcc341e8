"""Scan, graph and audit take one path on every engine: load -> document -> engine -> report.

A saved audit (`smguard audit --format json`) that could not read every part is exit 2
on every engine unless --allow-partial; its regions are evaluated apart and give the
same findings everywhere. One scan writes several reports that agree.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import ENGINES, FIXTURES, smguard
from smguard.engines import EngineName, get
from smguard.formats import FormatName, render
from smguard.loaders import audit_document
from smguard.report import Unread

REGIONS = ("us-east-1", "eu-west-1")


def _model(name: str, region: str, isolated: bool) -> audit_document.Answer:
    body = {
        "ModelName": name,
        "ModelArn": f"arn:aws:sagemaker:{region}:123456789012:model/{name}",
        "EnableNetworkIsolation": isolated,
        "PrimaryContainer": {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"},
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/sm",
    }
    return audit_document.Answer(region=region, type="aws_sagemaker_model", body=body)


@pytest.fixture(scope="module")
def saved_audit(tmp_path_factory):
    """A saved audit of two regions, one failing model in each, 15 parts unread."""
    unread = [
        Unread(f"aws_sagemaker_space in {region}", f"ListSpaces: AccessDenied {i}")
        for region in REGIONS
        for i in range(8)
    ][:15]
    document = audit_document.build(
        [_model("open", REGIONS[0], False), _model("shut", REGIONS[1], True)],
        account="123456789012",
        regions=REGIONS,
        unread=unread,
    )
    report = get(EngineName.EMBEDDED).evaluate(document)
    path = tmp_path_factory.mktemp("audit") / "audit.json"
    path.write_text(render(FormatName.JSON, report, document=document.data))
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_a_partial_saved_audit_is_exit_2_on_every_engine(saved_audit, engine):
    run = smguard("scan", str(saved_audit), "--engine", engine)
    assert run.code == 2, run.stdout + run.stderr
    assert "15 parts of the account could not be read" in run.stderr
    assert "NOT AUDITED" in run.stdout


@pytest.mark.parametrize("engine", ENGINES)
def test_a_partial_saved_audit_with_allow_partial_reports_its_regions(saved_audit, engine):
    run = smguard(
        "scan", str(saved_audit), "--engine", engine, "--allow-partial", "--format", "json"
    )
    assert run.code == 1, run.stderr
    report = run.json()
    assert report["engine"] == engine
    assert len(report["unread"]) == 15
    failed = {(f["rule_id"], f["address"]) for f in report["findings"] if f["verdict"] == "fail"}
    assert ("SMG-MODEL-001", 'aws_sagemaker_model.open["us-east-1"]') in failed
    assert not {a for r, a in failed if r == "SMG-MODEL-001"} - {
        'aws_sagemaker_model.open["us-east-1"]'
    }


def test_default_engine_takes_the_same_path(saved_audit):
    """The default engine (whichever it is here) honours unread parts too."""
    run = smguard("scan", str(saved_audit))
    assert run.code == 2
    run = smguard("scan", str(saved_audit), "--allow-partial", "--format", "json")
    assert run.code == 1
    assert len(run.json()["unread"]) == 15


def test_one_scan_writes_every_report_and_they_agree(tmp_path):
    plan = FIXTURES / "model-no-vpc" / "plan.json"
    sarif, summary, junit = tmp_path / "r.sarif", tmp_path / "r.md", tmp_path / "r.xml"
    outputs = (f"sarif={sarif}", f"markdown={summary}", f"junit={junit}")
    run = smguard("scan", str(plan), "--format", "json", *(f"--output={o}" for o in outputs))
    assert run.code == 1, run.stderr
    findings = run.json()["findings"]
    failed = {(f["rule_id"], f["address"]) for f in findings if f["verdict"] == "fail"}
    assert failed
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    in_sarif = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for r in results
        if r["level"] == "error"
    }
    assert in_sarif == failed
    markdown = summary.read_text()
    for rule_id, address in failed:
        assert rule_id in markdown and address in markdown
    failures = {
        (case.get("classname").split(".")[0], case.get("name"))
        for case in ET.parse(junit).iter("testcase")
        if case.find("failure") is not None
    }
    assert failures == failed


def test_output_needs_format_and_path():
    plan = FIXTURES / "model-no-vpc" / "plan.json"
    run = smguard("scan", str(plan), "--output", "yaml=x")
    assert run.code == 2
    assert "unknown format 'yaml'" in run.stderr
    run = smguard("scan", str(plan), "--output", "sarif")
    assert run.code == 2
    assert "expected FORMAT=PATH" in run.stderr
