"""Finding the policy tool binaries: $SMGUARD_<TOOL>, the project's .tools, PATH.

The project's tools are in .tools/bin, or in .tools/<tool>/bin for a tool
installed in a venv of its own (checkov).

$SMGUARD_<TOOL> set to an empty string means "not available" (tests use it to
exercise the fallback to the embedded engine).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from smguard.errors import EngineError

# harness/smguard/engines/tools.py -> the source tree root
_PROJECT_TOOLS = Path(__file__).resolve().parents[3] / ".tools"


def find(tool: str) -> str | None:
    variable = "SMGUARD_" + tool.upper().replace("-", "_")
    override = os.environ.get(variable)
    if override is not None:
        return override or None
    for local in (_PROJECT_TOOLS / "bin" / tool, _PROJECT_TOOLS / tool / "bin" / tool):
        if local.is_file() and os.access(local, os.X_OK):
            return str(local)
    return shutil.which(tool)


def run(
    tool: str,
    command: list[str],
    stdin: bytes | None = None,
    cwd: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run a tool binary; a binary that cannot be started is an EngineError."""
    try:
        return subprocess.run(command, input=stdin, capture_output=True, cwd=cwd, env=env)
    except OSError as err:
        raise EngineError(f"{tool}: cannot run {command[0]}: {err.strerror}") from None


@contextlib.contextmanager
def data_file(data: dict) -> Iterator[Path]:
    """A temporary JSON file holding data, for a tool's --data."""
    with tempfile.TemporaryDirectory(prefix="smguard-") as tmp:
        path = Path(tmp) / "data.json"
        path.write_text(json.dumps(data))
        yield path
