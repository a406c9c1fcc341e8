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

    With keep, a lean load: only the resource changes and configuration blocks
    whose type keep accepts are kept, and the parts nothing reads (_UNREAD) are
    kept empty. A plan's values as Python objects take six times the file's
    size; the lean load keeps peak memory near the size of the file itself.
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
    """The plan's top-level object, decoded a part at a time, without what is
    not kept: resource changes and configuration blocks of other types, and the
    parts nobody reads. None for anything that is not a plan object of the
    usual shape or not valid JSON (the caller then decodes it whole, which
    gives the exact error)."""
    i = _skip(text, 0)
    if text[i : i + 1] != "{":
        return None
    try:
        data, i = _read(text, i, _LeanPlan(keep).member)
    except (json.JSONDecodeError, _NotAPlan):
        return None
    return data if _skip(text, i) == len(text) else None


class _LeanPlan:
    """How a lean load reads each part of a plan; every method but member() is a Reader."""

    def __init__(self, keep: Callable[[str], bool]):
        self.keep = keep

    def member(self, key: str | None) -> Reader:
        if key == "smguard_version":
            raise _NotAPlan  # a saved audit report: read whole
        parts = {"resource_changes": self.changes, "configuration": self.configuration}
        return parts.get(key, _unread if key in _UNREAD else _whole)

    def changes(self, text: str, i: int) -> tuple[object, int]:
        return _read(text, i, lambda _: self.change)

    def change(self, text: str, i: int) -> tuple[object, int]:
        rc, i = _whole(text, i)
        # A malformed change is kept, for validate() to refuse.
        kept = not isinstance(rc, dict) or self.keep(str(rc.get("type"))) or not _well_formed(rc)
        return (rc if kept else _DROPPED), i

    def configuration(self, text: str, i: int) -> tuple[object, int]:
        return _read(text, i, lambda key: self.module if key == "root_module" else _whole)

    def module(self, text: str, i: int) -> tuple[object, int]:
        parts = {"resources": self.blocks, "module_calls": self.calls}
        return _read(text, i, lambda key: parts.get(key, _whole))

    def blocks(self, text: str, i: int) -> tuple[object, int]:
        return _read(text, i, lambda _: self.block)

    def block(self, text: str, i: int) -> tuple[object, int]:
        block, i = _whole(text, i)
        kept = not isinstance(block, dict) or self.keep(str(block.get("type")))
        return (block if kept else _DROPPED), i

    def calls(self, text: str, i: int) -> tuple[object, int]:
        return _read(text, i, lambda _: self.call)

    def call(self, text: str, i: int) -> tuple[object, int]:
        return _read(text, i, lambda key: self.module if key == "module" else _whole)


# How a value is read: (text, index) -> (value, index after it). A value read
# as _DROPPED is checked but not kept.
Reader = Callable[[str, int], tuple[object, int]]
_DROPPED = object()


class _NotAPlan(Exception):
    pass


def _whole(text: str, i: int) -> tuple[object, int]:
    return _DECODER.raw_decode(text, i)


def _read(text: str, i: int, reader: Callable[[str | None], Reader]) -> tuple[object, int]:
    """The object or array at i, each member's value read by reader(key) (key
    None for an array's elements), without the values read as _DROPPED; any
    other value is decoded whole."""
    opening = text[i : i + 1]
    if opening not in ("{", "["):
        return _whole(text, i)
    closing = "}" if opening == "{" else "]"
    result: dict | list = {} if opening == "{" else []
    i = _skip(text, i + 1)
    if text[i : i + 1] == closing:
        return result, i + 1
    while True:
        key = None
        if opening == "{":
            key, i = _whole(text, i)
            i = _skip(text, i)
            if not isinstance(key, str) or text[i : i + 1] != ":":
                raise json.JSONDecodeError("Expecting property name and ':'", text, i)
            i = _skip(text, i + 1)
        value, i = reader(key)(text, i)
        if value is not _DROPPED:
            if isinstance(result, dict):
                result[key] = value
            else:
                result.append(value)
        i = _skip(text, i)
        if text[i : i + 1] == closing:
            return result, i + 1
        if text[i : i + 1] != ",":
            raise json.JSONDecodeError("Expecting ',' delimiter", text, i)
        i = _skip(text, i + 1)
        if text[i : i + 1] == closing:
            raise json.JSONDecodeError("Illegal trailing comma", text, i)


def _unread(text: str, i: int) -> tuple[object, int]:
    """A part nobody reads (the planned values, the prior state, the drift: each
    can be as large as the changes): checked a member at a time and every member
    dropped, so it is kept empty, never held whole (its presence matters to
    validate())."""
    return _read(text, i, lambda _: _dropped(3))


def _dropped(depth: int) -> Reader:
    def read(text: str, i: int) -> tuple[object, int]:
        if depth == 0:
            return _DROPPED, _whole(text, i)[1]
        return _DROPPED, _read(text, i, lambda _: _dropped(depth - 1))[1]

    return read


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
