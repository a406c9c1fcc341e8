"""What the model and endpoint configuration checks read from the plan file
itself, beside what checkov gives them: which values are unknown until apply.

Checkov marks unknown values only at the top level and in a single nested
block (smguard_checkov), and not at all inside a map: an environment entry
unknown until apply (`primary_container[0].environment.QUEUE_URL`) is simply
absent. plan.rego reads the change's `after_unknown`; so do these helpers,
from the plan file checkov gives every resource (`__file__`, read by
smguard_domain). In Terraform source there is no plan file, and an expression
checkov could not evaluate is read as unknown (smguard_checkov).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import smguard_checkov as smg
import smguard_domain as dom

_MISSING = object()


def change(rc: smg.Resource) -> dict[str, Any] | None:
    """The resource's change in its plan file (the current object, not a
    deposed one, and not one only being deleted or forgotten), if there is one."""
    if not rc.planned:
        return None
    for candidate in dom.changes(rc):
        body = candidate.get("change")
        if not isinstance(body, dict) or candidate.get("deposed"):
            continue
        if body.get("actions") in (["delete"], ["forget"]):
            continue
        return body
    return None


def unknown(rc: smg.Resource, *path: str | int) -> bool:
    """plan.rego's `unknown`: the value at path, or a block containing it, or
    an element of the list at path, is unknown until apply."""
    body = change(rc)
    if body is None:
        return rc.get(*path).unknown
    marks = body.get("after_unknown")
    for n in range(1, len(path) + 1):
        if _at(marks, path[:n]) is True:
            return True
    elements = _at(marks, path)
    return isinstance(elements, list) and any(e is True for e in elements)


def unknown_keys(rc: smg.Resource, *path: str | int) -> list[str]:
    """The entries of a known map whose values are unknown until apply (true
    in `after_unknown`), sorted; in source, those checkov could not evaluate."""
    body = change(rc)
    if body is not None:
        marks = _at(body.get("after_unknown"), path)
        if not isinstance(marks, dict):
            return []
        return sorted(k for k, flag in marks.items() if flag is True)
    if rc.planned:
        return []
    return sorted(k for k in entries(rc, *path) if rc.get(*path, 0, k).unknown)


def entries(rc: smg.Resource, *path: str | int) -> dict[str, Any]:
    """The known entries of the map at path, as checkov gives it (a block
    with its own line numbers), without the values unknown until apply."""
    value = rc.get(*path)
    if value.unknown or not isinstance(value.value, list) or not value.value:
        return {}
    block = value.value[0]
    if not isinstance(block, dict):
        return {}
    known: dict[str, Any] = {}
    for key in block:
        if key.startswith("__") or key in ("start_line", "end_line", "references_"):
            continue
        entry = rc.get(*path, 0, key)
        if not entry.unknown:
            known[key] = entry.value
    return known


def _at(node: Any, path: tuple[str | int, ...]) -> Any:
    """object.get(node, path, _MISSING) as in Rego: objects by key, arrays by index."""
    for step in path:
        indexed = isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node)
        if not indexed and not (isinstance(step, str) and isinstance(node, dict) and step in node):
            return _MISSING
        node = node[step]
    return node


# A model's container blocks, as the Rego model rules' `_blocks`.
CONTAINER_BLOCKS = ("primary_container", "container")


def unknown_container_blocks(rc: smg.Resource) -> list[str]:
    """The container blocks unknown as a whole until apply (their containers
    are not in the plan)."""
    return [
        block
        for block in CONTAINER_BLOCKS
        if unknown(rc, block) and not isinstance(rc.get(block).value, list)
    ]


def containers(rc: smg.Resource) -> list[tuple[str, tuple[str, int]]]:
    """(label, path) of every known container: ("container[1]", ("container", 1))."""
    return [
        (f"{block}[{i}]", (block, i))
        for block in CONTAINER_BLOCKS
        for i in range(len(rc.blocks(block)))
    ]


def isolated_container_problems(
    rc: smg.Resource,
    what: str,
    per_container: Callable[[smg.Resource, str, tuple[str, int]], list[str]],
) -> list[str]:
    """What SMG-MODEL-004 and -005 find in a model with network isolation on
    (nothing when it is off or unknown): each container block unknown as a
    whole ("its <what> cannot be verified"), then per_container(rc, label,
    path) of every container."""
    isolation = rc.get("enable_network_isolation")
    if isolation.unknown or isolation.value is not True:
        return []
    problems = [
        f"{block} is unknown until apply; its {what} cannot be verified"
        for block in unknown_container_blocks(rc)
    ]
    for label, path in containers(rc):
        problems += per_container(rc, label, path)
    return problems
