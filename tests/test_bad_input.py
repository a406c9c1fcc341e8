"""Input that is not a readable plan: one line on stderr, exit code 2, never a pass."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, smguard

BAD = FIXTURES / "bad-input"
CASES = json.loads((BAD / "expected.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["input"])
def test_bad_input_is_exit_2_with_one_line(case):
    run = smguard("scan", str(BAD / case["input"]))
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("smguard: error: ")
    assert case["error_contains"] in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("engine", ["opa", "embedded", "conftest"])
def test_bad_input_fails_before_any_engine(engine):
    run = smguard("scan", str(BAD / "truncated.json"), "--engine", engine)
    assert run.code == 2
    assert "invalid JSON at line" in run.stderr


def test_usage_error_is_exit_2():
    run = smguard("scan")
    assert run.code == 2
    assert "usage:" in run.stderr


def test_binary_plan_without_terraform_says_what_to_do():
    run = smguard("scan", str(BAD / "zip-not-plan.tfplan"), env={"PATH": "/nonexistent"})
    assert run.code == 2
    assert "binary plan file and no terraform binary on PATH" in run.stderr
    assert "terraform show -json PLANFILE > plan.json" in run.stderr
