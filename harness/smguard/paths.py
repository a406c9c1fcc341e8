"""Where the policies are: $SMGUARD_POLICY_DIR, inside the installed package, or the source tree."""

import os
from pathlib import Path

from smguard.errors import EngineError

_PACKAGE = Path(__file__).resolve().parent


def policies_dir() -> Path:
    """The `policies/` folder (with `rego/` inside)."""
    override = os.environ.get("SMGUARD_POLICY_DIR")
    candidates = (
        [Path(override)]
        if override
        else [_PACKAGE / "policies", _PACKAGE.parent.parent / "policies"]
    )
    for candidate in candidates:
        if (candidate / "rego").is_dir():
            return candidate
    raise EngineError(f"smguard policies not found (looked in {', '.join(map(str, candidates))})")


def rego_dir() -> Path:
    return policies_dir() / "rego"
