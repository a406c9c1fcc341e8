"""The mutation check (scripts/mutate.py): 100% of mutants killed, and it can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO

SCRIPT = REPO / "scripts" / "mutate.py"


def _run(env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, str(SCRIPT)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_every_mutant_is_killed():
    result = _run()
    assert result.returncode == 0, result.stdout
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.endswith("mutants killed (100.0%)")
    killed, total = summary.split(": ")[1].split(" ")[0].split("/")
    assert killed == total and int(total) >= 30


def test_a_rule_that_ignores_its_attribute_lets_mutants_survive(tmp_path):
    policies = tmp_path / "policies"
    shutil.copytree(REPO / "policies", policies, ignore=shutil.ignore_patterns("*_test.rego"))
    rule = policies / "rego/smguard/rules/model/model_network_isolation/rule.rego"
    rule.write_text(
        rule.read_text().replace(
            '_isolated(rc) if plan.value(rc, ["enable_network_isolation"]) == true', "_isolated(_)"
        )
    )
    result = _run({"SMGUARD_POLICY_DIR": str(policies)})
    assert result.returncode == 1
    assert "survived: compliant-model: aws_sagemaker_model." in result.stdout
    assert "enable_network_isolation insecure" in result.stdout
    assert "(100.0%)" not in result.stdout
