"""Render Terraform source into the plan document shape, before any plan exists.

tfparse (Aqua's Terraform evaluator, via cloud-custodian's binding) evaluates
the source: variable defaults, tfvars, locals, functions, `count`/`for_each`
and local modules. This module only reshapes its answer:

- every managed resource becomes a `resource_changes` entry (actions
  ["create"]) with its file and line recorded in Document.locations;
- a value tfparse could not evaluate (`var.x` with no value, a data source,
  a module output) or a reference to another resource becomes unknown until
  apply, with the reference recorded in `configuration`, exactly as in a real
  plan, so the rules treat it the same way; nothing is guessed;
- attributes left out stay absent: the rules apply the provider's default;
- a module whose source is not on disk (registry, git) is not scanned, and
  says so (an InputError unless partial results are allowed).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from smguard.document import Document
from smguard.errors import InputError

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_NOT_BLOCKS = {"variable", "locals", "module", "output", "provider", "terraform", "moved", "import"}
_LOCAL_SOURCE = ("./", "../")


def load(
    directory: Path,
    var_files: tuple[Path, ...] = (),
    variables: tuple[str, ...] = (),
    allow_partial: bool = False,
) -> Document:
    """Evaluate the Terraform source in `directory` into a plan-shaped Document.

    `var_files` and `variables` ("name=value", HCL syntax for the value) are
    `-var-file` and `-var`; terraform.tfvars and *.auto.tfvars are read first,
    as Terraform does.
    """
    if not directory.is_dir():
        raise InputError(f"{directory}: no such directory")
    if not any(directory.glob("*.tf")):
        raise InputError(f"{directory}: no Terraform files (*.tf)")
    with tempfile.TemporaryDirectory(prefix="smguard-vars-") as tmp:
        paths = _var_paths(directory, var_files, variables, Path(tmp))
        parsed = _parse(directory, paths)
    unscanned = _unscanned_modules(directory, parsed)
    if unscanned and not allow_partial:
        raise InputError(f"modules not on disk, not scanned: {'; '.join(unscanned)}")
    return _render(directory, parsed, tuple(unscanned))


def _var_paths(
    directory: Path, files: tuple[Path, ...], variables: tuple[str, ...], tmp: Path
) -> list[str]:
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    automatic += sorted(directory.glob("*.auto.tfvars")) + sorted(
        directory.glob("*.auto.tfvars.json")
    )
    paths = [p for p in automatic if p.is_file()]
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such variables file")
        paths.append(path.resolve())
    if variables:
        cli = tmp / "cli.tfvars"
        lines = []
        for item in variables:
            name, sep, value = item.partition("=")
            if not sep or not name.strip():
                raise InputError(f"-var {item!r}: expected NAME=VALUE")
            quoted = (
                value
                if re.match(r'^\s*[\["{0-9]|^\s*(true|false|null)\s*$', value)
                else f'"{value}"'
            )
            lines.append(f"{name.strip()} = {quoted}")
        cli.write_text("\n".join(lines) + "\n")
        paths.append(cli)
    # tfparse resolves variable files relative to the scanned directory
    return [os.path.relpath(p, directory) for p in paths]


def _parse(directory: Path, var_paths: list[str]) -> dict:
    import tfparse

    try:
        return tfparse.load_from_path(str(directory), stop_on_hcl_error=True, vars_paths=var_paths)
    except tfparse.ParseError as err:
        detail = str(err).removeprefix("unable to create TerraformConverter: ")
        raise InputError(f"{directory}: {detail.splitlines()[0]}") from None


def _unscanned_modules(directory: Path, parsed: dict) -> list[str]:
    missing = []
    for call in parsed.get("module") or []:
        meta = call.get("__tfmeta", {})
        source = str(call.get("source", ""))
        where = f"{meta.get('filename')}:{meta.get('line_start')}"
        if not source.startswith(_LOCAL_SOURCE):
            missing.append(f"{meta.get('path')} (source {source!r} at {where})")
        elif not (directory / Path(meta.get("filename", "")).parent / source).is_dir():
            raise InputError(
                f"{directory / meta.get('filename', '')}:{meta.get('line_start')}: "
                f"module source {source!r} not found"
            )
    return missing


def _render(directory: Path, parsed: dict, unscanned: tuple[str, ...]) -> Document:
    blocks = [
        block
        for key, values in parsed.items()
        if key not in _NOT_BLOCKS and isinstance(values, list)
        for block in values
        if isinstance(block, dict) and block.get("__tfmeta", {}).get("type") in ("resource", "data")
    ]
    by_id = {block["id"]: _address(block) for block in blocks if "id" in block}
    changes, configs, locations = [], {}, {}
    for block in blocks:
        meta = block["__tfmeta"]
        if meta["type"] != "resource":
            continue
        address = _address(block)
        module = re.match(r"^(.*)\.[^.]+\.[^.]+$", re.sub(r"\[[^\]]*\]$", "", address))
        # A plan's configuration records references relative to the module
        # the resource is in; references into other modules cannot exist.
        prefix = f"{module.group(1)}." if module else ""
        local = {key: target.removeprefix(prefix) for key, target in by_id.items()}
        after, unknown, expressions = _values(block, local)
        change = {
            "address": address,
            "mode": "managed",
            "type": meta["label"],
            "name": re.sub(r"\[.*$", "", address.rsplit(".", 1)[-1]),
            "change": {
                "actions": ["create"],
                "before": None,
                "after": after,
                "after_unknown": unknown,
            },
        }
        if module:
            change["module_address"] = module.group(1)
        changes.append(change)
        locations[address] = (meta.get("filename", ""), int(meta.get("line_start", 0)))
        _add_config(configs, address, meta["label"], expressions)
    data = {
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"root_module": _config_tree(configs)},
        "smguard_source": {"directory": str(directory), "unscanned_modules": list(unscanned)},
    }
    return Document(data, source=str(directory), locations=locations)


def _address(block: dict) -> str:
    meta = block["__tfmeta"]
    path = meta.get("path") or f"{meta['label']}.{block.get('name', '')}"
    if meta.get("type") == "data" and not re.search(r"(^|\.)data\.", path):
        prefix, _, rest = path.rpartition(f"{meta['label']}.")
        path = f"{prefix}data.{meta['label']}.{rest}"
    return path


def _values(block: dict, by_id: dict) -> tuple[dict, dict, dict]:
    """(after, after_unknown, configuration expressions) of one block's attributes."""
    after, unknown, expressions = {}, {}, {}
    for name, value in block.items():
        if name in ("__tfmeta", "id", "count", "for_each", "depends_on", "lifecycle", "provider"):
            continue
        known, is_unknown, refs = _value(value, by_id)
        if isinstance(value, dict) and "__tfmeta" in value:  # a nested block
            after[name], unknown[name], expressions[name] = [known], [is_unknown], [refs]
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and "__tfmeta" in v for v in value)
        ):
            after[name], unknown[name], expressions[name] = known, is_unknown, refs
        elif is_unknown:
            unknown[name] = True
            expressions[name] = {"references": refs}
        else:
            after[name] = known
    return after, unknown, expressions


def _value(value, by_id: dict):
    """(known value, unknown marker, references) of one value."""
    if isinstance(value, dict) and "__tfmeta" in value:
        return _values(value, by_id)
    if isinstance(value, dict) and "__attribute__" in value:
        attribute = value["__attribute__"]
        return None, True, _references(attribute)
    if isinstance(value, str) and _UUID.match(value) and value in by_id:
        return None, True, _references(f"{by_id[value]}.id")
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and "__tfmeta" in v for v in value):
            parts = [_values(v, by_id) for v in value]
            return [p[0] for p in parts], [p[1] for p in parts], [p[2] for p in parts]
        parts = [_value(v, by_id) for v in value]
        if any(p[1] for p in parts):
            return None, True, sorted({r for p in parts for r in (p[2] or [])})
        return [p[0] for p in parts], False, []
    if isinstance(value, dict):
        parts = {k: _value(v, by_id) for k, v in value.items()}
        if any(p[1] for p in parts.values()):
            return None, True, sorted({r for p in parts.values() for r in (p[2] or [])})
        return {k: p[0] for k, p in parts.items()}, False, []
    return value, False, []


def _references(attribute: str) -> list[str]:
    """Terraform's style: the full reference, then the resource it belongs to."""
    parts = attribute.split(".")
    base = ".".join(parts[:3] if parts[0] == "data" else parts[:2])
    return [attribute] if base == attribute else [attribute, base]


def _add_config(configs: dict, address: str, rtype: str, expressions: dict) -> None:
    base = re.sub(r"\[[^\]]*\]", "", address)
    module, _, relative = base.rpartition(f"{rtype}.")
    module = module.rstrip(".")
    entry = configs.setdefault(module, {}).setdefault(
        f"{rtype}.{relative}",
        {
            "address": f"{rtype}.{relative}",
            "mode": "managed",
            "type": rtype,
            "name": relative,
            "expressions": {},
        },
    )
    entry["expressions"].update(expressions)


def _config_tree(configs: dict) -> dict:
    root: dict = {"resources": []}
    for module, resources in sorted(configs.items()):
        node = root
        for name in re.findall(r"module\.([^.]+)", module):
            node = node.setdefault("module_calls", {}).setdefault(
                name, {"module": {"resources": []}}
            )["module"]
        node["resources"].extend(resources.values())
    return root
