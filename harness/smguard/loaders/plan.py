"""Load the JSON of `terraform show -json PLANFILE` (or a binary plan file).

Anything that is not a readable plan is an InputError naming the file: bytes
that are not UTF-8 JSON, JSON nested deeper than any plan (MAX_DEPTH), other
output before or after the JSON, and resource changes or configuration of the
wrong shape. What the rules read is the plan reduced by `Document.for_engine`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from smguard.document import Document
from smguard.errors import InputError

# Plan JSON format versions this loader understands: 1.x, as Terraform promises
# minor versions stay backward compatible.
SUPPORTED_MAJOR = "1"

# How deep JSON may nest. Terraform's own plans nest a few dozen levels (modules
# in modules, blocks in blocks); every engine and report handles this depth
# with room to spare, and decoding deeper input is refused before it can
# exhaust Python's recursion limit anywhere later.
MAX_DEPTH = 200

# What a resource change holds, as the rules and reports read it: key ->
# (the JSON types allowed, their description). A key may be absent.
_CHANGE_SHAPE = {
    "mode": ((str,), "a string"),
    "module_address": ((str,), "a string"),
    "name": ((str,), "a string"),
    "index": ((str, int, float, type(None)), "a string or number"),
}
_CHANGE_VALUES = {
    "actions": ((list,), "a list"),
    "before": ((dict, type(None)), "an object or null"),
    "after": ((dict, type(None)), "an object or null"),
    "after_unknown": ((dict,), "an object"),
}

# The first line of a GitHub Actions log command or of setup-terraform's wrapper.
_WRAPPER = re.compile(r"::[a-z-]+::|\[command\]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_BOX = " \t│╷╵"  # what frames Terraform's diagnostics


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
    if not raw or raw.isspace():
        raise InputError(f"{path}: empty file, expected `terraform show -json` output")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; expected plan JSON") from None
    del raw  # the plan is held once as text, then once as objects
    data = _decode(text, path)
    del text
    return Document(validate(_unwrap_report(data, path), path), source=str(path))


def _decode(text: str, path: Path) -> object:
    """The JSON value of text, refused deeper than MAX_DEPTH."""
    try:
        try:
            return _loads(text, _stack_depth() + MAX_DEPTH)
        except RecursionError:
            pass
        # Deeper than MAX_DEPTH, or a caller's stack holds more than its frames
        # (C calls count too): decoded without the limit, and measured.
        data = json.loads(text, parse_constant=_not_json)
    except RecursionError:
        data = None
    except json.JSONDecodeError as err:
        raise InputError(f"{path}: {_invalid(text, err)}") from None
    except ValueError as err:  # NaN or Infinity, an integer of more than 4,300 digits
        raise InputError(f"{path}: invalid JSON: {str(err).split(';')[0]}") from None
    if data is None or _depth(data) > MAX_DEPTH:
        raise InputError(
            f"{path}: JSON nested more than {MAX_DEPTH} levels deep; not a Terraform plan"
        )
    return data


def _loads(text: str, depth: int) -> object:
    """json.loads with a recursion limit depth frames deep.

    Python's decoder counts each array and object it enters against the
    recursion limit, so a limit MAX_DEPTH above the decoder's own depth is a
    depth limit checked at no cost as it decodes. Python 3.11 only: 3.12 and
    later count the decoder's recursion apart, against a limit of their own
    that this cannot lower, so there JSON deeper than MAX_DEPTH but within
    that limit decodes (the project runs 3.11; see docs/input.md).
    """
    limit = sys.getrecursionlimit()
    # This frame, json.loads, JSONDecoder.decode and raw_decode are above the
    # caller's, and a limit is reached at its value, not past it.
    sys.setrecursionlimit(depth + 5)
    try:
        return json.loads(text, parse_constant=_not_json)
    finally:
        sys.setrecursionlimit(limit)


def _not_json(constant: str):
    """Python's decoder reads NaN, Infinity and -Infinity; JSON has no such values."""
    raise ValueError(f"{constant} is not a JSON value")


def _stack_depth() -> int:
    """How many frames are above this one's caller's, the caller's included."""
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _depth(value: object) -> int:
    """How deep arrays and objects nest in value; iterative, for any depth."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        members = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            stack += ((m, depth + 1) for m in members if isinstance(m, dict | list))
    return deepest


def _invalid(text: str, err: json.JSONDecodeError) -> str:
    """Why text is not JSON; other output before or after a plan said as such."""
    start = len(text) - len(text.lstrip(" \t\n\r"))  # JSON's whitespace only
    opening = re.search(r"^[ \t]*\{", text, re.MULTILINE)  # where a plan's JSON starts
    # (a line of output that is JSON itself, `null` say, ends where the plan starts)
    if opening and start < opening.start() and err.pos <= opening.start():
        lines = text.count("\n", 0, opening.start())
        n, words = _first_words(text, start)
        hint = "; with hashicorp/setup-terraform, set terraform_wrapper: false"
        return (
            f"{lines} line{'s' if lines != 1 else ''} of other output before the plan JSON "
            f"(line {n}: {words!r}): save only the standard output of "
            f"`terraform show -json PLANFILE`{hint if _WRAPPER.match(words) else ''}"
        )
    if err.pos == start and not opening:
        n, words = _first_words(text, start)
        return f"not JSON (line {n}: {words!r}); expected `terraform show -json` output"
    where = f"line {err.lineno} column {err.colno}"
    if err.msg == "Extra data":
        return (
            f"other output after the plan JSON at {where}: save only the standard output of "
            "`terraform show -json PLANFILE`"
        )
    return f"invalid JSON at {where}: {err.msg}"


def _first_words(text: str, start: int) -> tuple[int, str]:
    """The number and words of the first line at or after start with words in
    it (not only colour codes or Terraform's box drawing), at most 80 characters."""
    first = text.count("\n", 0, start) + 1
    for n, line in enumerate(text[start : start + 2000].split("\n"), first):
        words = _ANSI.sub("", line).strip(_BOX)
        if words:
            return n, words[:80]
    return first, ""


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
    """Check that data is a Terraform plan of a supported format version, and
    that its resource changes and configuration have the shape the rules read."""
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
    if not isinstance(changes, list):
        raise InputError(f"{path}: malformed resource_changes: {_kind(changes)}, expected a list")
    for i, rc in enumerate(changes):
        problem = _change_problem(rc)
        if problem:
            named = f" ({rc['address']})" if _addressed(rc) else ""
            raise InputError(f"{path}: malformed resource_changes[{i}]{named}: {problem}")
    problem = _configuration_problem(data.get("configuration"))
    if problem:
        raise InputError(f"{path}: malformed configuration: {problem}")
    audit = data.get("smguard_audit")
    if audit is not None and not (
        isinstance(audit, dict)
        and isinstance(audit.get("unread", []), list)
        and all(isinstance(u, dict) for u in audit.get("unread", []))
    ):
        raise InputError(
            f"{path}: malformed smguard_audit (an object, its unread a list of objects)"
        )
    return data


def _addressed(rc: object) -> bool:
    return isinstance(rc, dict) and isinstance(rc.get("address"), str)


def _change_problem(rc: object) -> str | None:
    """What is wrong with a resource change, or None."""
    if not isinstance(rc, dict):
        return f"{_kind(rc)}, expected an object"
    for key in ("address", "type"):
        if not isinstance(rc.get(key), str):
            return f"{key} is {_kind(rc.get(key))}, expected a string"
    for key, (types, expected) in _CHANGE_SHAPE.items():
        if key in rc and not isinstance(rc[key], types):
            return f"{key} is {_kind(rc[key])}, expected {expected}"
    change = rc.get("change")
    if not isinstance(change, dict):
        return f"change is {_kind(change)}, expected an object"
    for key, (types, expected) in _CHANGE_VALUES.items():
        if key in change and not isinstance(change[key], types):
            return f"change.{key} is {_kind(change[key])}, expected {expected}"
    if not all(isinstance(a, str) for a in change.get("actions", [])):
        return "change.actions holds a value that is not a string"
    return None


def _configuration_problem(configuration: object) -> str | None:
    """What is wrong with the configuration's module tree, or None. Iterative:
    modules may nest as deep as JSON does."""
    if configuration is None:
        return None
    if not isinstance(configuration, dict):
        return f"{_kind(configuration)}, expected an object"
    if "root_module" not in configuration:
        return None
    modules = [("root_module", configuration["root_module"])]
    while modules:
        where, module = modules.pop()
        if not isinstance(module, dict):
            return f"{where} is {_kind(module)}, expected an object"
        resources = module.get("resources", [])
        if not isinstance(resources, list):
            return f"{where}.resources is {_kind(resources)}, expected a list"
        for i, block in enumerate(resources):
            if not isinstance(block, dict):
                return f"{where}.resources[{i}] is {_kind(block)}, expected an object"
            for key in ("address", "type"):
                if key in block and not isinstance(block[key], str):
                    return f"{where}.resources[{i}].{key} is {_kind(block[key])}, expected a string"
            if not isinstance(block.get("expressions", {}), dict):
                return f"{where}.resources[{i}].expressions is {_kind(block['expressions'])}"
        calls = module.get("module_calls", {})
        if not isinstance(calls, dict):
            return f"{where}.module_calls is {_kind(calls)}, expected an object"
        for name, call in calls.items():
            if not isinstance(call, dict):
                return f"{where}.module_calls.{name} is {_kind(call)}, expected an object"
            modules.append((f"{where}.module_calls.{name}.module", call.get("module", {})))
    return None


def _kind(value: object) -> str:
    """The JSON type of a value, with an article: `a string`, `null`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number"}
    return names.get(type(value), type(value).__name__)


def _show_json(path: Path) -> bytes:
    terraform = shutil.which("terraform")
    if terraform is None:
        raise InputError(
            f"{path}: binary plan file and no terraform binary on PATH; "
            "run `terraform show -json PLANFILE > plan.json` and scan that"
        )
    result = subprocess.run(
        [terraform, "show", "-json", "-no-color", str(path)], capture_output=True, cwd=path.parent
    )
    if result.returncode != 0:
        raise InputError(f"{path}: terraform show -json failed: {_terraform_error(result)}")
    return result.stdout


def _terraform_error(result: subprocess.CompletedProcess) -> str:
    """Terraform's own `Error: …` line (its warnings and box drawing left out),
    else its last line."""
    text = _ANSI.sub("", result.stderr.decode(errors="replace"))
    lines = [line.strip(_BOX) for line in text.splitlines()]
    lines = [line for line in lines if line]
    error = next((line for line in lines if line.startswith("Error:")), None)
    detail = error or (lines[-1] if lines else f"exit code {result.returncode}")
    return detail if len(detail) <= 300 else detail[:297] + "..."
