"""Shared test helpers: the repository layout and running the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
TOOLS = REPO / ".tools" / "bin"
ENGINES = ("opa", "embedded", "conftest")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:
        return json.loads(self.stdout)


def smguard(*args: str, env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run the CLI in a subprocess, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "smguard.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd or REPO,
    )
    return Run(result.returncode, result.stdout, result.stderr)


def smguard_on_a_terminal(*args: str, env: dict | None = None) -> tuple[Run, str]:
    """Run the CLI with stderr on a pseudo-terminal (stdout stays a pipe): the
    run, and what the terminal received."""
    import pty
    import threading

    main, terminal = pty.openpty()
    received = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # EIO: the terminal's last holder closed it
                return
            if not chunk:
                return
            received.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "smguard.cli", *args],
            stdout=subprocess.PIPE,
            stderr=terminal,
            text=True,
            env={**os.environ, **(env or {})},
            cwd=REPO,
        )
    finally:
        os.close(terminal)
        reader.join(10)
        os.close(main)
    shown = received.decode(errors="replace")
    return Run(result.returncode, result.stdout, ""), shown


def plan_fixtures() -> list[Path]:
    """Every fixture folder with a plan.json and an expected.json."""
    return sorted(
        p.parent for p in FIXTURES.glob("*/plan.json") if (p.parent / "expected.json").exists()
    )


@pytest.fixture(scope="module")
def ported_rules_only(tmp_path_factory):
    """Point the harness at ported_policies() for a module's tests (the Checkov ones)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SMGUARD_POLICY_DIR", str(ported_policies(tmp_path_factory.mktemp("ported"))))
        yield


def ported_policies(target: Path) -> Path:
    """A copy of policies/ holding only the rules that have a Checkov check, with
    its catalogue regenerated: what the Checkov engine can evaluate today (the
    rest are not ported yet; on the full catalogue the engine refuses to run)."""
    import shutil
    import subprocess

    from smguard import catalogue

    copy = target / "policies"
    shutil.copytree(REPO / "policies", copy, ignore=shutil.ignore_patterns("__pycache__"))
    for rule_dir in (copy / "rego" / "smguard" / "rules").glob("*/*"):
        family, package = rule_dir.parent.name, rule_dir.name
        checks = copy / "checkov" / family
        if not any((checks / f"{package}{ext}").exists() for ext in (".py", ".yaml")):
            shutil.rmtree(rule_dir)
    source = catalogue.render_rego(catalogue.load(copy / "rego"))
    formatted = subprocess.run(
        [str(TOOLS / "opa"), "fmt"], input=source, capture_output=True, text=True, check=True
    ).stdout
    (copy / "rego" / "smguard" / "catalogue" / "catalogue.rego").write_text(formatted)
    return copy
