"""Finding the policy tool binaries: $SMGUARD_<TOOL>, the project's .tools/bin, PATH."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from smguard.paths import policies_dir

_PROJECT_TOOLS = policies_dir().parent / ".tools" / "bin"


def find(tool: str) -> str | None:
    override = os.environ.get(f"SMGUARD_{tool.upper()}")
    if override:
        return override
    local = _PROJECT_TOOLS / tool
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(tool)
