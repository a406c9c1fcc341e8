"""Shared test helpers: the repository layout and running the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

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


def plan_fixtures() -> list[Path]:
    """Every fixture folder with a plan.json and an expected.json."""
    return sorted(
        p.parent for p in FIXTURES.glob("*/plan.json") if (p.parent / "expected.json").exists()
    )
