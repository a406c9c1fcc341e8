"""Where the policies are: inside the installed package, or in the source tree."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def policies_dir() -> Path:
    """The `policies/` folder: bundled into the wheel, or the repository's own."""
    for candidate in (_PACKAGE / "policies", _PACKAGE.parent.parent / "policies"):
        if (candidate / "rego").is_dir():
            return candidate
    raise FileNotFoundError("smguard policies not found beside the package or in the source tree")


def rego_dir() -> Path:
    return policies_dir() / "rego"
