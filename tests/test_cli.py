"""CLI behaviour beyond verdicts: formats, --strict, default engine, version."""

from __future__ import annotations

from conftest import REPO, smguard
from smguard import __version__

FAILING = REPO / "fixtures" / "real-model-isolation-disabled" / "plan.json"
WARN_ONLY = REPO / "fixtures" / "model-vpc-unresolved" / "plan.json"


def test_version():
    run = smguard("--version")
    assert run.code == 0
    assert run.stdout.strip() == f"smguard {__version__}"


def test_text_output_groups_by_resource_and_ends_with_summary():
    run = smguard("scan", str(FAILING), "--engine", "opa")
    assert run.code == 1
    lines = run.stdout.strip().splitlines()
    assert "aws_sagemaker_model.non_compliant_model" in lines
    assert any(
        line.strip().startswith("FAIL SMG-MODEL-001 model-network-isolation") for line in lines
    )
    assert any("fix: Set `enable_network_isolation = true`" in line for line in lines)
    summary = smguard("scan", str(FAILING), "--engine", "opa", "--format", "json").json()["summary"]
    assert summary["fail"] == 5
    assert lines[-1].startswith(
        f"5 failed, 0 warned, 0 exempted, {summary['pass']} passed across 3 resources"
    )
    assert "\033[" not in run.stdout, "no colour when stdout is not a terminal"


def test_default_engine_is_opa_then_embedded():
    assert smguard("scan", str(FAILING), "--format", "json").json()["engine"] == "opa"
    run = smguard("scan", str(FAILING), "--format", "json", env={"SMGUARD_OPA": ""})
    assert run.code == 1
    assert run.json()["engine"] == "embedded"


def test_warnings_fail_only_with_strict():
    assert smguard("scan", str(WARN_ONLY)).code == 0
    assert smguard("scan", str(WARN_ONLY), "--strict").code == 1
