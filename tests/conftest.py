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
