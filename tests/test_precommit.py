"""The pre-commit hook, run by the real pre-commit against a temporary repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO

BAD_MODEL = """
resource "aws_sagemaker_model" "m" {
  name                     = "m"
  execution_role_arn       = "arn:aws:iam::123456789012:role/sagemaker"
  enable_network_isolation = false

  primary_container {
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:1"
  }
}
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_hook_fails_a_commit_with_a_non_isolated_model(tmp_path):
    repo = tmp_path / "infra"
    (repo / "ml").mkdir(parents=True)
    (repo / "ml" / "main.tf").write_text(BAD_MODEL)
    (repo / "README.md").write_text("not terraform\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
    }  # fmt: skip
    env.pop("SMGUARD_POLICY_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "smguard", "--all-files"],
        cwd=repo, capture_output=True, text=True, env=env,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "smguard (SageMaker network isolation)" in output
    assert "Failed" in output
    assert "SMG-MODEL-001" in output
    assert "aws_sagemaker_model.m" in output

    (repo / "ml" / "main.tf").write_text(BAD_MODEL.replace("= false", "= true"))
    (repo / "ml" / "main.tf").write_text(
        (repo / "ml" / "main.tf")
        .read_text()
        .replace(
            "  primary_container {",
            '  vpc_config {\n    subnets            = ["subnet-1"]\n'
            '    security_group_ids = ["sg-1"]\n  }\n\n  primary_container {',
        )
    )
    _git(repo, "add", ".")
    fixed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "smguard", "--all-files"],
        cwd=repo, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout


def test_hook_with_fix_rewrites_fails_and_passes_once_the_fix_is_added(tmp_path):
    """The pre-commit convention: the hook rewrites, the commit fails, the user re-adds.

    A local hook runs this checkout's entry point with the manifest's `files`
    and `args: [--fix]` (the manifest itself is installed by the test above).
    """
    import yaml

    (manifest,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    repo = tmp_path / "infra"
    (repo / "ml").mkdir(parents=True)
    fixable = BAD_MODEL.replace(
        "  primary_container {",
        '  vpc_config {\n    subnets            = ["subnet-1"]\n'
        '    security_group_ids = ["sg-1"]\n  }\n\n  primary_container {',
    )
    (repo / "ml" / "main.tf").write_text(fixable)
    hook = {
        "id": "smguard", "name": manifest["name"], "language": "system",
        "entry": f"{sys.executable} -m smguard.precommit", "files": manifest["files"],
        "require_serial": True, "args": ["--fix", "--engine=opa"],
    }  # fmt: skip
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]

    first = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env)
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "Failed" in output and "files were modified by this hook" in output
    assert "smguard: fixed files in ml: review and add them" in output
    assert (repo / "ml" / "main.tf").read_text() == fixable.replace("= false", "= true")

    _git(repo, "add", ".")
    second = subprocess.run(run, cwd=repo, capture_output=True, text=True, env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
