"""Load the JSON of `terraform show -json PLANFILE` (or a binary plan file)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from smguard.document import Document
from smguard.errors import InputError

# Plan JSON format versions this loader understands: 1.x, as Terraform promises
# minor versions stay backward compatible.
SUPPORTED_MAJOR = "1"

# Parts of a plan no consumer reads; a lean load does not keep them.
_UNREAD = frozenset({"planned_values", "prior_state", "resource_drift", "relevant_attributes"})


def load(path: Path, keep: Callable[[str], bool] | None = None) -> Document:
    """Read a plan; raise InputError for anything that is not a readable plan.

    With keep, a lean load: only the resource changes whose type keep accepts,
    and none of the parts nothing reads (_UNREAD), are kept. A plan's values
    as Python objects take six times the file's size; the lean load keeps
    peak memory near the size of the file itself.
    """
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
        text = raw.decode("utf-8-sig")
        del raw
        data = _lean(text, keep) if keep else None
        if data is None:  # not lean-readable: decoded whole, for the exact error too
            data = json.loads(text)
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected plan JSON") from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"{path}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}"
        ) from None
    return Document(validate(_unwrap_report(data, path), path), source=str(path))


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, i: int) -> int:
    """The index of the first character at or after i that is not whitespace."""
    return _SPACE.match(text, i).end()


def _lean(text: str, keep: Callable[[str], bool]) -> dict | None:
    """The plan's top-level object, decoded one member (and one resource change)
    at a time, without what is not kept; None for anything that is not a plan
    object of the usual shape or not valid JSON (the caller then decodes it
    whole, which gives the exact error)."""
    try:
        return _lean_object(text, keep)
    except json.JSONDecodeError:
        return None


def _lean_object(text: str, keep: Callable[[str], bool]) -> dict | None:

    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        return None
    data: dict = {}
    i = _skip(text, i + 1)
    while text[i : i + 1] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if not isinstance(key, str) or text[i : i + 1] != ":" or key == "smguard_version":
            return None  # not a plan; or a saved audit report, read whole
        i = _skip(text, i + 1)
        if key == "resource_changes" and text[i : i + 1] == "[":
            data[key], i = _changes(text, _skip(text, i + 1), keep)
        elif key in _UNREAD and text[i : i + 1] == "{":
            # A part nobody reads is dropped; its presence is kept for validate().
            data[key], i = {}, _discard(text, i)
        else:
            data[key], i = _DECODER.raw_decode(text, i)
        i = _skip(text, i)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
            if text[i : i + 1] == "}":
                return None  # a trailing comma
        elif text[i : i + 1] != "}":
            return None
    if _skip(text, i + 1) != len(text):
        return None
    return data


def _changes(text: str, i: int, keep: Callable[[str], bool]) -> tuple[list, int]:
    """The kept resource changes of the array starting at i, and where it ends.
    Every change is decoded (and checked by validate() if it is malformed)."""
    kept = []
    while text[i : i + 1] != "]":
        rc, i = _DECODER.raw_decode(text, i)
        if not isinstance(rc, dict) or keep(str(rc.get("type"))) or not _well_formed(rc):
            kept.append(rc)
        i = _skip(text, i)
        if text[i : i + 1] == ",":
            i = _skip(text, i + 1)
            if text[i : i + 1] == "]":
                raise json.JSONDecodeError("Illegal trailing comma", text, i)
        elif text[i : i + 1] != "]":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
    return kept, i + 1


def _discard(text: str, i: int, depth: int = 4) -> int:
    """Where the JSON value at i ends. Objects and arrays down to depth are
    decoded a member at a time and dropped, so that a large unread part (the
    planned values, the prior state: each as large as the changes) is checked
    but never held whole; below depth, values are decoded whole."""
    opening = text[i : i + 1]
    if depth == 0 or opening not in ("{", "["):
        return _DECODER.raw_decode(text, i)[1]
    closing = "}" if opening == "{" else "]"
    i = _skip(text, i + 1)
    if text[i : i + 1] == closing:
        return i + 1
    while True:
        if opening == "{":
            key, i = _DECODER.raw_decode(text, i)
            i = _skip(text, i)
            if not isinstance(key, str) or text[i : i + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            i = _skip(text, i + 1)
        i = _skip(text, _discard(text, i, depth - 1))
        if text[i : i + 1] == closing:
            return i + 1
        if text[i : i + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
        i = _skip(text, i + 1)
        if text[i : i + 1] == closing:
            raise json.JSONDecodeError("Illegal trailing comma", text, i)


def _well_formed(rc: dict) -> bool:
    return isinstance(rc.get("address"), str) and isinstance(rc.get("change"), dict)


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
        isinstance(rc, dict) and _well_formed(rc) for rc in changes
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
