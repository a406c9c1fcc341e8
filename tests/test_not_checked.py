"""SageMaker resources no rule reads are named in every report, never left out silently.

fixtures/not-checked: a HyperPod cluster (AWSCC) and a monitoring schedule in a module, which
no rule of this version reads; an image (no network setting: nothing to check), a workforce
being deleted, and a compliant model.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import FIXTURES, smguard
from smguard import catalogue
from smguard.loaders import plan

PLAN = FIXTURES / "not-checked" / "plan.json"
NOT_CHECKED = [
    "awscc_sagemaker_cluster.hyperpod",
    "module.monitoring.aws_sagemaker_monitoring_schedule.this",
]


def test_not_checked_names_only_unread_types_with_a_network_setting():
    assert catalogue.not_checked(plan.load(PLAN), catalogue.load()) == tuple(NOT_CHECKED)


def test_every_rule_type_is_checked():
    """A type some rule reads is never 'not checked', whatever the fixture."""
    rules = catalogue.load()
    for case in FIXTURES.glob("*/plan.json"):
        if case.parent.name in ("not-checked", "bad-input"):
            continue
        try:
            document = plan.load(case)
        except Exception:  # bad-input style fixtures are refused by the loader
            continue
        assert catalogue.not_checked(document, rules) == (), case


@pytest.mark.parametrize("engine", ["opa", "embedded"])
def test_text_lists_and_counts_them_and_strict_fails(engine):
    run = smguard("scan", str(PLAN), "--engine", engine)
    assert run.code == 0, run.stderr
    section = run.stdout.split("NOT CHECKED", 1)[1]
    for address in NOT_CHECKED:
        assert f"\n  {address}\n" in section
    assert "aws_sagemaker_image.base" not in run.stdout
    assert "aws_sagemaker_workforce.old" not in run.stdout
    assert run.stdout.rstrip().endswith("; 2 not checked")
    assert smguard("scan", str(PLAN), "--engine", engine, "--strict").code == 1


def test_every_format_names_them(tmp_path):
    outputs = {name: tmp_path / f"report.{name}" for name in ("sarif", "junit", "markdown")}
    run = smguard(
        "scan", str(PLAN), "--format", "json",
        *(f"--output={name}={path}" for name, path in outputs.items()),
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert run.json()["not_checked"] == NOT_CHECKED
    sarif = json.loads(outputs["sarif"].read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"].rsplit(": ", 1)[1] for n in notes] == NOT_CHECKED
    skipped = [
        case.get("name")
        for suite in ET.parse(outputs["junit"]).iter("testsuite")
        if suite.get("name") == "smguard: not checked"
        for case in suite.iter("testcase")
    ]
    assert skipped == NOT_CHECKED
    markdown = outputs["markdown"].read_text()
    assert "### Not checked (2 SageMaker resources)" in markdown
    github = smguard("scan", str(PLAN), "--format", "github").stdout
    for address in NOT_CHECKED:
        assert f"::warning title=smguard%3A not checked::{address}: not checked" in github
