"""Load the JSON of `terraform show -json PLANFILE` (or a binary plan file)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from smguard.document import Document
from smguard.errors import InputError

# Plan JSON format versions this loader understands: 1.x, as Terraform promises
# minor versions stay backward compatible.
SUPPORTED_MAJOR = "1"


def load(path: Path) -> Document:
    """Read a plan; raise InputError for anything that is not a readable plan."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a plan file") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from None
    if raw.startswith(b"PK"):  # binary plan files are zip archives
        raw = _show_json(path)
    if not raw.strip():
        raise InputError(f"{path}: empty file, expected `terraform show -json` output")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected plan JSON") from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from None
    return Document(validate(_unwrap_report(data, path), path), source=str(path))


def _unwrap_report(data: object, path: Path) -> object:
    """The document embedded in `smguard audit --format json` output, or data unchanged."""
    if not isinstance(data, dict) or "smguard_version" not in data:
        return data
    if not isinstance(data.get("plan"), dict):
        raise InputError(
            f"{path}: a smguard report without a document; only `smguard audit --format json` "
            "output can be scanned again"
        )
    return data["plan"]


def validate(data: object, path: Path | str) -> dict:
    """Check that data is a Terraform plan of a supported format version."""
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a Terraform plan (top level is not an object)")
    version = data.get("format_version")
    if version is None:
        raise InputError(f"{path}: not a Terraform plan (no format_version)")
    if "resource_changes" not in data and "planned_values" not in data:
        kind = "a state file" if "values" in data else "not a plan"
        raise InputError(
            f"{path}: {kind}, expected `terraform show -json PLANFILE` output (no resource_changes)"
        )
    if not isinstance(version, str) or version.split(".")[0] != SUPPORTED_MAJOR:
        raise InputError(f"{path}: unsupported plan format_version {version!r} (supported: 1.x)")
    changes = data.get("resource_changes", [])
    if not isinstance(changes, list) or not all(
        isinstance(rc, dict)
        and isinstance(rc.get("address"), str)
        and isinstance(rc.get("change"), dict)
        for rc in changes
    ):
        raise InputError(f"{path}: malformed resource_changes (each needs address and change)")
    return data


def _show_json(path: Path) -> bytes:
    terraform = shutil.which("terraform")
    if terraform is None:
        raise InputError(
            f"{path}: binary plan file and no terraform binary on PATH; "
            "run `terraform show -json PLANFILE > plan.json` and scan that"
        )
    result = subprocess.run(
        [terraform, "show", "-json", str(path)], capture_output=True, cwd=path.parent
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {result.returncode}"
        raise InputError(f"{path}: terraform show -json failed: {detail}")
    return result.stdout
