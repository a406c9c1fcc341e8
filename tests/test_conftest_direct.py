"""The policies as users run them, with no smguard in between.

`conftest test PLAN -p policies/rego` (no --namespace flag) and `opa eval` on
the raw plan must give the same failures and warnings as the fixtures expect.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import REPO, TOOLS, plan_fixtures


def _expected(case, verdict: str) -> set[tuple[str, str]]:
    findings = json.loads((case / "expected.json").read_text())["findings"]
    return {(f["rule_id"], f["address"]) for f in findings if f["verdict"] == verdict}


def _data_args(case, tmp_path) -> list[str]:
    """A fixture's config.yaml, as the data document conftest and opa users pass."""
    config = case / "config.yaml"
    if not config.exists():
        return []
    from smguard import config as smguard_config

    data = tmp_path / "data"
    data.mkdir()
    document = {"smguard": {"config": smguard_config.load(config)}}
    (data / "smguard.json").write_text(json.dumps(document))
    return [str(data / "smguard.json")]


def _asserted(case) -> set[str]:
    return set(json.loads((case / "expected.json").read_text())["rules"])


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_conftest_without_flags(case, tmp_path):
    data = [a for path in _data_args(case, tmp_path) for a in ("--data", path)]
    result = subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", str(case / "plan.json"),
         "-p", str(REPO / "policies" / "rego"), *data],
        capture_output=True, text=True,
    )  # fmt: skip
    (output,) = json.loads(result.stdout)
    assert output["namespace"] == "main"
    assert result.returncode == (1 if output.get("failures") else 0), result.stderr
    rules = _asserted(case)
    expected_by_key = {"failures": _expected(case, "fail"), "warnings": _expected(case, "warn")}
    for key, expected in expected_by_key.items():
        results = output.get(key) or []
        got = {(r["metadata"]["rule_id"], r["metadata"]["address"]) for r in results}
        assert {g for g in got if g[0] in rules} == expected, key
        for r in results:
            # what conftest prints: rule id, address, then the problem
            assert r["msg"].startswith(f"{r['metadata']['rule_id']} {r['metadata']['address']}: ")


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_opa_eval_on_the_raw_plan(case, tmp_path):
    data = [a for path in _data_args(case, tmp_path) for a in ("-d", path)]
    result = subprocess.run(
        [str(TOOLS / "opa"), "eval", "-f", "json", "--strict-builtin-errors", *data,
         "-d", str(REPO / "policies" / "rego"), "-i", str(case / "plan.json"),
         "data.smguard.main.report"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)["result"][0]["expressions"][0]["value"]
    assert report["missing"] == [] and report["uncatalogued"] == []
    rules = _asserted(case)
    for key, verdict in (("deny", "fail"), ("warn", "warn")):
        got = {(f["rule_id"], f["address"]) for f in report[key] if f["rule_id"] in rules}
        assert got == _expected(case, verdict), key


def _conftest(*flags: str) -> subprocess.CompletedProcess:
    plan = REPO / "fixtures" / "model-isolation-disabled" / "plan.json"
    return subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", str(plan),
         "-p", str(REPO / "policies" / "rego"), *flags],
        capture_output=True, text=True,
    )  # fmt: skip


def test_namespaces_as_the_readme_says():
    """README "Using the policies with conftest": package main by default,
    --namespace smguard.main the same findings, --all-namespaces refused."""
    default, entry = _conftest(), _conftest("--namespace", "smguard.main")
    failures = {}
    for run, namespace in ((default, "main"), (entry, "smguard.main")):
        assert run.returncode == 1, run.stderr
        (output,) = json.loads(run.stdout)
        assert output["namespace"] == namespace
        failures[namespace] = sorted(f["msg"] for f in output["failures"])
    assert failures["main"] == failures["smguard.main"]
    assert failures["main"][0].startswith("SMG-MODEL-001 aws_sagemaker_model.")

    for flags in (
        ["--all-namespaces"],
        ["--namespace", "smguard.rules.model.model_network_isolation"],
    ):
        run = _conftest(*flags)
        assert run.returncode == 1 and run.stdout == ""
        assert '"msg" field must be present and a string' in run.stderr
