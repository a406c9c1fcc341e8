"""What the Studio domain and user profile checks read from the plan file
itself, beside what checkov gives them.

Checkov's plan parser keeps a resource's planned values, its change actions
(`__change_actions__`) and, per expression, the references of the
configuration, but not which attribute those references belong to when the
value is known or holds nested blocks, nor the change's `before`,
`replace_paths`, `action_reason` and deposed objects. Checkov gives every
resource the plan file it comes from (`__file__`), and the checks read those
from it, as plan.rego does:

- changes(rc): the resource changes at the resource's address (SMG-DOMAIN-007
  names the domain, its EFS volume and why it is replaced);
- references(rc, *path): plan.rego's `references`, the references of the
  configuration expression at path, whether the value is known or not;
- referenced(rc, path, type): plan.rego's `referenced`, the resources of a
  type those references name, in the same module instance.

In Terraform source there is no plan file: there are no changes, and an
expression checkov could not evaluate is its own reference (smguard_checkov).
A resource only being deleted has no planned values, so checkov gives no
check a resource for it at all.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import smguard_checkov as smg

# plan.rego reads the configuration of modules nested up to six calls deep.


class _Plan:
    """A plan file's resource changes by address, and its configuration's
    resource blocks by address without instance keys."""

    def __init__(self, path: str) -> None:
        with open(path, encoding="utf-8") as file:
            document = json.load(file)
        document = smg.plan_document(document)
        self.changes: dict[str, list[dict[str, Any]]] = {}
        for rc in document.get("resource_changes") or []:
            if isinstance(rc, dict) and isinstance(rc.get("address"), str):
                self.changes.setdefault(rc["address"], []).append(rc)
        self.config = smg.config_blocks(document)


@lru_cache(maxsize=4)
def _plan(path: str) -> _Plan | None:
    try:
        return _Plan(path)
    except (OSError, ValueError):
        return None


def _plan_of(rc: smg.Resource) -> _Plan | None:
    return _plan(rc.scope) if rc.planned and isinstance(rc.scope, str) else None


def changes(rc: smg.Resource) -> list[dict[str, Any]]:
    """The plan's resource changes at the resource's address, in plan order
    (a deposed object shares the address of the current one)."""
    plan = _plan_of(rc)
    return list(plan.changes.get(rc.address, [])) if plan else []


def references(rc: smg.Resource, *path: str | int) -> tuple[str, ...]:
    """The references of the expression at path (plan.rego's `references`)."""
    if not rc.planned:
        return rc.get(*path).references
    plan = _plan_of(rc)
    if plan is None:
        return ()
    node: Any = plan.config.get(_base_address(rc.address), {}).get("expressions", {})
    for step in path:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, dict) else None
    refs = node.get("references") if isinstance(node, dict) else None
    return tuple(r for r in refs if isinstance(r, str)) if isinstance(refs, list) else ()


def referenced(rc: smg.Resource, path: tuple[str | int, ...], kind: str) -> list[smg.Resource]:
    """Resources of a type the expression at path refers to, in the same
    module instance, whether its value is known or not (plan.rego's `referenced`)."""
    return rc.referenced(smg.Value(unknown=True, references=references(rc, *path)), kind)


def set_or_planned(rc: smg.Resource, path: tuple[str | int, ...], kind: str) -> bool:
    """Known and non-empty, or unknown but referring to `kind` resources in
    this plan (plan.rego's `set_or_planned`)."""
    value = rc.get(*path)
    if value.known_nonempty:
        return True
    return value.unknown and bool(referenced(rc, path, kind))


def _base_address(address: str) -> str:
    """Instance keys removed, as plan.rego's `base_address`:
    module.a["x"].aws_thing.b[0] -> module.a.aws_thing.b"""
    parts = address.split("[")
    return parts[0] + "".join(p[p.index("]") + 1 :] if "]" in p else p for p in parts[1:])


def quoted(value: str) -> str:
    """Rego's sprintf("%q", [value]) (Go's strconv.Quote, for printable text)."""
    return json.dumps(value, ensure_ascii=False)
