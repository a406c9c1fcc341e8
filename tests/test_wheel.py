"""`pip install` of a built wheel in a clean venv: version, policies and embedded engine inside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

from conftest import REPO
from smguard import __version__


def test_wheel_installs_and_scans_without_opa(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True, capture_output=True, cwd=tmp_path,
    )  # fmt: skip
    (wheel,) = wheels.glob("smguard-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "smguard/_bundle/policy.wasm" in names
    assert "smguard/config.schema.json" in names
    assert "smguard/policies/rego/smguard/main/main.rego" in names
    assert "smguard/policies/rego/conftest.rego" in names
    assert not [n for n in names if n.endswith("_test.rego")]

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True, capture_output=True,
    )  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMGUARD_")}
    env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"  # no opa, no project tools
    version = subprocess.run(
        [str(venv / "bin" / "smguard"), "--version"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert version.stdout.strip() == f"smguard {__version__}"
    example = str(REPO / "examples" / "plan.json")
    scan = subprocess.run(
        [str(venv / "bin" / "smguard"), "scan", example, "--format", "json"],
        capture_output=True, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert scan.returncode == 1, scan.stderr
    report = json.loads(scan.stdout)
    assert report["engine"] == "embedded"
    assert ("SMG-MODEL-001", "aws_sagemaker_model.churn", "fail") in {
        (f["rule_id"], f["address"], f["verdict"]) for f in report["findings"]
    }
