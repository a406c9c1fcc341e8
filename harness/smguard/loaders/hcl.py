"""Render Terraform source into the plan document shape, before any plan exists.

tfparse (Aqua's Terraform evaluator, via cloud-custodian's binding) evaluates
the source: variable defaults, tfvars, locals, functions, `count`/`for_each`,
local modules and the modules `terraform init` downloaded (it reads
`.terraform/modules/modules.json`), in native and JSON syntax. This module
reshapes its answer into what `terraform plan` would write:

- every managed resource becomes a `resource_changes` entry (actions
  ["create"]) with its file and line recorded in Document.locations;
- a value Terraform only knows after apply is unknown, with its references
  recorded in `configuration` as a plan records them, so the rules treat it
  the same way: an attribute the provider computes (`id`, `arn`, an unset
  `name`), a `random_*` result, `uuid()` and `timestamp()` (tfparse makes up a
  value for these, a new one at every reference), a data source, an output of
  a module that is not on disk, a variable with no value. Whether a value
  depends on one of these is read from the expression as written
  (hcl_syntax), through locals, module inputs and module outputs;
- `null`, and a variable whose default is `null` and that is given no value,
  are known nulls: the attribute is not set, and the rules apply the
  provider's default, as for an attribute left out;
- a module whose source is not on disk (registry, git, not downloaded by
  `terraform init`) is not scanned, and says so (an InputError unless
  partial results are allowed).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from smguard.document import Document
from smguard.errors import InputError
from smguard.loaders import hcl_syntax, hcl_types
from smguard.loaders.hcl_syntax import Block, Reference

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_NOT_BLOCKS = {"variable", "locals", "module", "output", "provider", "terraform", "moved", "import"}
_LOCAL_SOURCE = ("./", "../")
_META = ("__tfmeta", "id", "count", "for_each", "depends_on", "lifecycle", "provider")
# Functions whose result Terraform knows only at apply.
_IMPURE = {"uuid", "timestamp", "bcrypt"}
# In JSON syntax an object is a nested block unless it is one of these maps.
_MAP_ATTRIBUTES = {
    "tags",
    "tags_all",
    "environment",
    "hyper_parameters",
    "keepers",
    "triggers",
    "labels",
    "variables",
    "parameters",
}
_MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}
_MODULE_SEGMENT = re.compile(r"module\.[^.\[]+(?:\[(?:\"(?:[^\"\\]|\\.)*\"|[^\]]*)\])?\.")


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
    if not _terraform_files(directory):
        raise InputError(f"{directory}: no Terraform files (*.tf, *.tf.json)")
    _check_variable_types(directory)
    with tempfile.TemporaryDirectory(prefix="smguard-source-") as tmp:
        root = _stable_copy(directory, Path(tmp))
        paths = _var_paths(directory, var_files, variables, root)
        parsed = _parse(directory, root, paths)
    unscanned = _unscanned_modules(directory, parsed)
    try:
        source = _Source(directory, parsed)
        unplanned = source.unplanned(parsed)
        problems = []
        if unscanned:
            problems.append(
                f"{len(unscanned)} module(s) not on disk, not scanned: {'; '.join(unscanned)}; "
                "run `terraform init` to download them"
            )
        if unplanned:
            problems.append(
                f"{len(unplanned)} resource(s) Terraform cannot plan, not scanned: "
                f"{'; '.join(unplanned)}"
            )
        if problems and not allow_partial:
            raise InputError(
                f"{directory}: {'; '.join(problems)}, or pass --allow-partial to scan without them"
            )
        return _render(directory, parsed, source, (*unscanned, *unplanned))
    except RecursionError:
        raise InputError(f"{directory}: values nested too deeply to read") from None


def _check_variable_types(directory: Path) -> None:
    """An InputError for a variable whose type is not a type: tfparse would end
    the process with a Go panic on it (hcl_types)."""
    for folder in _module_folders(directory):
        for file in _terraform_files(folder):
            if file.name.endswith(".tf.json"):
                continue
            try:
                blocks = hcl_syntax.parse_file(file)
            except hcl_syntax.SyntaxProblem:
                continue
            for block in blocks:
                written = block.attributes.get("type") if block.type == "variable" else None
                if written is not None and not hcl_types.is_type(written):
                    where = os.path.relpath(file, directory.resolve())
                    shown, name = " ".join(written.split())[:60], " ".join(block.labels)
                    raise InputError(
                        f"{directory}: {where}:{block.line}: variable {name}: "
                        f"`type = {shown}` is not a type (string, number, bool, any, "
                        "list(…), set(…), map(…), tuple([…]), object({…}))"
                    )


def _terraform_files(directory: Path) -> list[Path]:
    return sorted(
        p for p in directory.iterdir() if p.is_file() and p.name.endswith((".tf", ".tf.json"))
    )


def _var_paths(
    directory: Path, files: tuple[Path, ...], variables: tuple[str, ...], root: Path
) -> list[str]:
    """The variables files in the order Terraform reads them, copied beside the
    copy of the source (tfparse reads them relative to the scanned directory)."""
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    automatic += sorted(directory.glob("*.auto.tfvars")) + sorted(
        directory.glob("*.auto.tfvars.json")
    )
    paths = [p for p in automatic if p.is_file()]
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: no such variables file")
        paths.append(path)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    suffixes = [".tfvars.json" if p.name.endswith(".json") else ".tfvars" for p in paths]
    if variables:
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
        texts.append("\n".join(lines) + "\n")
        suffixes.append(".tfvars")
    folder = root / ".smguard-vars"
    folder.mkdir()
    relative = []
    for n, (text, suffix) in enumerate(zip(texts, suffixes, strict=True)):
        (folder / f"{n:03d}{suffix}").write_text(text)
        relative.append(f".smguard-vars/{n:03d}{suffix}")
    return relative


def _stable_copy(directory: Path, tmp: Path) -> Path:
    """A copy of the source for tfparse, in which `random_*` resources and
    impure functions are references to nothing it knows.

    tfparse (Trivy's evaluator) gives them a new made-up value at every
    evaluation pass; when such a value reaches a module's inputs, the passes
    never agree and it drops other modules whole. Unknown, they are stable.
    Copied: the scanned directory, the local modules it calls and those
    `terraform init` downloaded, with their layout (relative module sources
    stay valid), Terraform files only, every line where it was.
    """
    try:
        folders = _module_folders(directory)
    except OSError as err:
        raise InputError(f"{err.filename}: cannot read: {err.strerror}") from None
    ancestor = Path(os.path.commonpath([str(f) for f in folders]))
    for folder in folders:
        target = tmp / folder.relative_to(ancestor)
        target.mkdir(parents=True, exist_ok=True)
        for file in _terraform_files(folder):
            text = file.read_text(encoding="utf-8", errors="replace")
            (target / file.name).write_text(_stabilize(text))
    root = tmp / directory.resolve().relative_to(ancestor)
    manifest = directory / ".terraform" / "modules" / "modules.json"
    if manifest.is_file():
        (root / ".terraform" / "modules").mkdir(parents=True, exist_ok=True)
        (root / ".terraform" / "modules" / "modules.json").write_bytes(manifest.read_bytes())
    return root


def _module_folders(directory: Path) -> list[Path]:
    """The directory, the local modules it calls (transitively) and the
    modules listed in `.terraform/modules/modules.json`."""
    pending = [directory.resolve()]
    pending += [p.resolve() for p in _manifest(directory).values() if p.is_dir()]
    seen: list[Path] = []
    while pending:
        folder = pending.pop()
        if folder in seen:
            continue
        seen.append(folder)
        for file in _terraform_files(folder):
            try:
                blocks = hcl_syntax.parse_file(file)
            except hcl_syntax.SyntaxProblem:
                continue  # tfparse reports it
            for block in blocks:
                source = (
                    _literal(block.attributes.get("source")) if block.type == "module" else None
                )
                if isinstance(source, str) and source.startswith(_LOCAL_SOURCE):
                    called = (folder / source).resolve()
                    if called.is_dir():
                        pending.append(called)
    return seen


def _literal(expression: str | None):
    try:
        return json.loads(expression) if expression else None
    except ValueError:
        return None


# `random_x.name.attr` and `resource "random_x"` (native and JSON syntax).
_RANDOM_TYPE = re.compile(r"(?<![\w.-])random_(?=[a-z0-9_]+(?:\s*\.|\"\s*[{:]|\"\s+\"))")
_IMPURE_CALL = re.compile(r"(?<![\w.-])(uuid|timestamp|bcrypt)\s*\(\s*\)")


def _stabilize(text: str) -> str:
    text = _RANDOM_TYPE.sub("smguardrandom_", text)
    return _IMPURE_CALL.sub(lambda m: f"smguard_impure.{m.group(1)}.result", text)


def _parse(directory: Path, root: Path, var_paths: list[str]) -> dict:
    import tfparse

    try:
        parsed = tfparse.load_from_path(str(root), stop_on_hcl_error=True, vars_paths=var_paths)
    except tfparse.ParseError as err:
        detail = str(err).removeprefix("unable to create TerraformConverter: ")
        detail = detail.replace(f"{root}/", "").replace(str(root), str(directory))
        raise InputError(f"{directory}: {detail.splitlines()[0]}") from None
    except RecursionError:
        raise InputError(f"{directory}: values nested too deeply to read") from None
    return json.loads(json.dumps(parsed).replace("smguardrandom_", "random_"))


def _manifest(directory: Path) -> dict[str, Path]:
    """Module key ("vpc", "vpc.subnets") -> its directory, from what `terraform init` wrote."""
    path = directory / ".terraform" / "modules" / "modules.json"
    if not path.is_file():
        return {}
    try:
        modules = json.loads(path.read_text()).get("Modules") or []
        return {m["Key"]: directory / m["Dir"] for m in modules if m.get("Key")}
    except (ValueError, AttributeError, KeyError, TypeError):
        raise InputError(f"{path}: not a Terraform modules manifest") from None


def _unscanned_modules(directory: Path, parsed: dict) -> list[str]:
    manifest = _manifest(directory)
    missing = []
    for call in parsed.get("module") or []:
        meta = call.get("__tfmeta", {})
        source = str(call.get("source", ""))
        where = f"{meta.get('filename')}:{meta.get('line_start')}"
        key = ".".join(re.findall(r"module\.([^.\[]+)", str(meta.get("path", ""))))
        if source.startswith(_LOCAL_SOURCE):
            if not (directory / Path(meta.get("filename", "")).parent / source).is_dir():
                raise InputError(
                    f"{directory / meta.get('filename', '')}:{meta.get('line_start')}: "
                    f"module source {source!r} not found"
                )
        elif key not in manifest or not manifest[key].is_dir():
            missing.append(f"{meta.get('path')} (source {source!r} at {where})")
    return sorted(set(missing))


def _scope(path: str, *, module_block: bool = False) -> str:
    """The module a block is in, instance keys removed: `module.a["x"].aws_b.c` -> `module.a`
    (for a module block, the module that calls it)."""
    text = f"{path}." if module_block else path
    segments, end = [], 0
    while match := _MODULE_SEGMENT.match(text, end):
        segments.append(re.sub(r"\[.*\]$", "", text[end : match.end() - 1]))
        end = match.end()
    return ".".join(segments[:-1] if module_block else segments)


@dataclass
class _Syntax:
    """The blocks of one module directory, as written."""

    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    locals: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    variables: dict[str, Block] = field(default_factory=dict)
    files: dict[tuple[str, str], str] = field(default_factory=dict)  # resource -> its file


class _Source:
    """What the source says beyond tfparse's values: expressions, and which
    values depend on something known only after apply."""

    def __init__(self, directory: Path, parsed: dict):
        self.directory = directory
        self.dirs: dict[str, str] = {}  # scope -> directory relative to the root
        for key, values in parsed.items():
            for block in values if isinstance(values, list) else []:
                meta = block.get("__tfmeta", {}) if isinstance(block, dict) else {}
                if "path" in meta and "filename" in meta:
                    scope = _scope(meta["path"], module_block=key == "module")
                    self.dirs.setdefault(scope, str(Path(meta["filename"]).parent))
        self._syntax: dict[str, _Syntax] = {}
        self.nested: dict[tuple[str, int], Block] = {}  # (file, line) -> nested block
        self._memo: dict[tuple, bool] = {}

    def syntax(self, scope: str) -> _Syntax:
        folder = self.dirs.get(scope)
        if folder is None:
            return _Syntax()
        if folder not in self._syntax:
            self._syntax[folder] = self._read(folder)
        return self._syntax[folder]

    def _read(self, folder: str) -> _Syntax:
        syntax = _Syntax()
        path = self.directory / folder
        for file in _terraform_files(path) if path.is_dir() else []:
            try:
                blocks = hcl_syntax.parse_file(file)
            except hcl_syntax.SyntaxProblem:
                continue  # tfparse read it: its values stand, without references
            relative = os.path.normpath(os.path.join(folder, file.name))
            for block in blocks:
                if block.type in ("resource", "data") and len(block.labels) == 2:
                    kind = ("data." if block.type == "data" else "") + block.labels[0]
                    syntax.resources[(kind, block.labels[1])] = block
                    syntax.files[(kind, block.labels[1])] = relative
                    self._index(relative, block.blocks)
                elif block.type == "locals":
                    syntax.locals.update(block.attributes)
                elif block.type == "output" and block.labels:
                    syntax.outputs[block.labels[0]] = block.attributes.get("value", "null")
                elif block.type == "module" and block.labels:
                    syntax.modules[block.labels[0]] = block
                elif block.type == "variable" and block.labels:
                    syntax.variables[block.labels[0]] = block
        return syntax

    def unplanned(self, parsed: dict) -> list[str]:
        """SageMaker resources whose `for_each` is known only after apply:
        Terraform refuses to plan them, and tfparse gives them no instance at
        all (a silent pass if nothing said so). Other types missing here are
        not passes: what refers to them finds nothing and says so."""
        planned = {
            re.sub(r"\[(?:\"(?:[^\"\\]|\\.)*\"|[^\]]*)\]", "", _address(block))
            for values in parsed.values()
            if isinstance(values, list)
            for block in values
            if isinstance(block, dict) and block.get("__tfmeta", {}).get("type") == "resource"
        }
        found = []
        for scope in sorted(self.dirs):
            syntax = self.syntax(scope)
            for (rtype, name), block in sorted(syntax.resources.items()):
                written = block.attributes.get("for_each")
                address = f"{scope}.{rtype}.{name}".lstrip(".")
                if (
                    written is None
                    or not re.match(r"^(aws|awscc)_sagemaker_", rtype)
                    or address in planned
                    or self._keys_known(syntax, written)
                    or not self.unknown_at_plan(scope, written)
                ):
                    continue
                where = f"{syntax.files[(rtype, name)]}:{block.line}"
                found.append(f"{address} (for_each unknown until apply at {where})")
        return found

    @staticmethod
    def _keys_known(syntax: _Syntax, written: str) -> bool:
        """`for_each = data.x.y` over a data source that has a for_each of its
        own: its keys are that for_each's, known at plan time."""
        match = re.fullmatch(r"data\.([\w-]+)\.([\w-]+)", written.strip())
        block = syntax.resources.get((f"data.{match.group(1)}", match.group(2))) if match else None
        return block is not None and "for_each" in block.attributes

    def _index(self, file: str, blocks: list[Block]) -> None:
        for block in blocks:
            self.nested[(file, block.line)] = block
            self._index(file, block.blocks)

    # Values known only after apply, followed through locals, module inputs
    # and outputs and other resources' attributes.

    def unknown_at_plan(self, scope: str, expression: str, iterators=frozenset()) -> bool:
        if hcl_syntax.calls(expression) & _IMPURE:
            return True
        return any(
            self._unknown_reference(scope, r) for r in hcl_syntax.references(expression, iterators)
        )

    def _unknown_reference(self, scope: str, ref: Reference) -> bool:
        if ref.root in ("count", "each", "path", "terraform", "self"):
            return False
        if ref.root in ("var", "local"):
            return self._remember((scope, ref.root, ref.steps[0]))
        if ref.root == "module":
            output = next((s for s in ref.steps[1:] if not s.startswith("[")), None)
            child = f"{scope}.module.{ref.steps[0]}".lstrip(".")
            return output is None or self._remember((child, "output", output))
        if ref.root == "data" or ref.resource is None:
            return True
        return self._remember((scope, "resource", *ref.resource, ref.attribute()))

    def _remember(self, key: tuple) -> bool:
        if key not in self._memo:
            self._memo[key] = False  # a cycle is not a reason to be unknown
            self._memo[key] = self._unknown_symbol(*key)
        return self._memo[key]

    def _unknown_symbol(self, scope: str, kind: str, *name) -> bool:
        if kind == "output" and scope not in self.dirs:
            return True  # a module not scanned
        syntax = self.syntax(scope)
        if kind == "var":
            call, parent = self._call(scope)
            given = call.attributes.get(name[0]) if call else None
            return given is not None and self.unknown_at_plan(parent, given)
        if kind == "local":
            written = syntax.locals.get(name[0])
            return written is not None and self.unknown_at_plan(scope, written)
        if kind == "output":
            return self.unknown_at_plan(scope, syntax.outputs.get(name[0], "null"))
        rtype, rname, attribute = name
        block = syntax.resources.get((rtype, rname))
        if block is None or attribute is None or attribute not in block.attributes:
            return True  # computed by the provider (id, arn, random results, unset names)
        return self.unknown_at_plan(scope, block.attributes[attribute])

    def _call(self, scope: str) -> tuple[Block | None, str]:
        """The module block that calls scope, and the scope it is in."""
        if not scope:
            return None, ""
        parent, _, name = scope.rpartition(".module.")
        if not _:
            parent, name = "", scope.removeprefix("module.")
        return self.syntax(parent).modules.get(name), parent

    # Known nulls: `null`, and variables whose value is null.

    def known_null(self, scope: str, expression: str, depth: int = 0) -> bool:
        text = expression.strip()
        if whole := re.fullmatch(r'"\$\{\s*([^{}"]*?)\s*\}"', text):  # "${var.x}", JSON syntax
            text = whole.group(1)
        if text == "null":
            return True
        if depth > 20:
            return False
        if match := re.fullmatch(r"var\.([\w-]+)", text):
            call, parent = self._call(scope)
            if call is not None and match.group(1) in call.attributes:
                return self.known_null(parent, call.attributes[match.group(1)], depth + 1)
            variable = self.syntax(scope).variables.get(match.group(1))
            default = variable.attributes.get("default") if variable else None
            return default is not None and default.strip() == "null"
        if match := re.fullmatch(r"local\.([\w-]+)", text):
            written = self.syntax(scope).locals.get(match.group(1))
            return written is not None and self.known_null(scope, written, depth + 1)
        if match := re.fullmatch(r"module\.([\w-]+)\.([\w-]+)", text):
            child = f"{scope}.module.{match.group(1)}".lstrip(".")
            written = self.syntax(child).outputs.get(match.group(2))
            return written is not None and self.known_null(child, written, depth + 1)
        return False


def _render(directory: Path, parsed: dict, source: _Source, unscanned: tuple[str, ...]) -> Document:
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
        scope = _scope(address)
        name = re.sub(r"\[.*$", "", address.rsplit(".", 1)[-1])
        written = source.syntax(scope).resources.get((meta["label"], name))
        context = _Context(source, scope, local, _iterators(written), str(meta.get("filename")))
        after, unknown, expressions = _values(block, written, context)
        change = {
            "address": address,
            "mode": "managed",
            "type": meta["label"],
            "name": name,
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
        "configuration": {"root_module": _config_tree(configs, source)},
        "smguard_source": {"directory": str(directory), "unscanned_modules": list(unscanned)},
    }
    return Document(data, source=str(directory), locations=locations)


@dataclass(frozen=True)
class _Context:
    source: _Source
    scope: str
    by_id: dict
    iterators: frozenset[str]
    file: str


def _iterators(block: Block | None) -> frozenset[str]:
    """Names that dynamic blocks bind inside a resource (`primary_container.value`)."""
    names: set[str] = set()
    stack = list(block.blocks) if block else []
    while stack:
        nested = stack.pop()
        if nested.type == "dynamic" and nested.labels:
            names.add(nested.labels[0])
            if "iterator" in nested.attributes:
                names.add(nested.attributes["iterator"].strip())
        stack.extend(nested.blocks)
    return frozenset(names)


def _address(block: dict) -> str:
    meta = block["__tfmeta"]
    path = meta.get("path") or f"{meta['label']}.{block.get('name', '')}"
    if meta.get("type") == "data" and not re.search(r"(^|\.)data\.", path):
        prefix, _, rest = path.rpartition(f"{meta['label']}.")
        path = f"{prefix}data.{meta['label']}.{rest}"
    return path


def _values(block: dict, written: Block | None, context: _Context) -> tuple[dict, dict, dict]:
    """(after, after_unknown, configuration expressions) of one block's attributes."""
    after, unknown, expressions = {}, {}, {}
    attributes = written.attributes if written else {}
    for name, value in block.items():
        if name in _META or name.startswith("//"):
            continue
        expression = attributes.get(name)
        if context.file.endswith(".tf.json") and _json_block(name, value):
            value = [_as_block(v) for v in (value if isinstance(value, list) else [value])]
        if isinstance(value, dict) and "__tfmeta" in value:  # a nested block
            known, is_unknown, refs = _nested(value, context)
            after[name], unknown[name], expressions[name] = [known], [is_unknown], [refs]
            continue
        if isinstance(value, list) and value and all(_is_block(v) for v in value):
            parts = [_nested(v, context) for v in value]
            after[name] = [p[0] for p in parts]
            unknown[name] = [p[1] for p in parts]
            expressions[name] = [p[2] for p in parts]
            continue
        if expression is not None and context.source.unknown_at_plan(
            context.scope, expression, context.iterators
        ):
            unknown[name] = True
            expressions[name] = {"references": _written_references(expression, context)}
            continue
        known, is_unknown, refs = _value(value, context.by_id)
        if is_unknown and expression is not None:
            if context.source.known_null(context.scope, expression):
                after[name] = None
                continue
            refs = _written_references(expression, context) or refs
        if is_unknown:
            unknown[name] = True
            expressions[name] = {"references": refs}
            continue
        after[name] = known
        # A plan records the references of known values too (a model's name
        # from aws_sagemaker_model.m.name, known at plan time).
        if expression is not None and (refs := _written_references(expression, context)):
            expressions[name] = {"references": refs}
    return after, unknown, expressions


def _nested(value: dict, context: _Context) -> tuple[dict, dict, dict]:
    meta = value.get("__tfmeta", {})
    written = context.source.nested.get(
        (os.path.normpath(str(meta.get("filename", ""))), int(meta.get("line_start", -1)))
    )
    if written is not None and written.type == "dynamic":
        written = next((b for b in written.blocks if b.type == "content"), None)
    return _values(value, written, context)


def _is_block(value) -> bool:
    return isinstance(value, dict) and "__tfmeta" in value


def _json_block(name: str, value) -> bool:
    """In JSON syntax tfparse gives nested blocks as plain objects."""
    if name in _MAP_ATTRIBUTES:
        return False
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(v, dict) and "__tfmeta" not in v for v in items)


def _as_block(value: dict) -> dict:
    block = {"__tfmeta": {}}
    for key, item in value.items():
        if key.startswith("//"):
            continue
        block[key] = (
            [_as_block(v) for v in (item if isinstance(item, list) else [item])]
            if _json_block(key, item)
            else item
        )
    return block


def _written_references(expression: str, context: _Context) -> list[str]:
    forms = [
        form
        for ref in hcl_syntax.references(expression, context.iterators)
        for form in ref.plan_form()
    ]
    return list(dict.fromkeys(forms))


def _value(value, by_id: dict):
    """(known value, unknown marker, references) of one value."""
    if isinstance(value, dict) and "__attribute__" in value:
        return None, True, _references(value["__attribute__"])
    if isinstance(value, str) and _UUID.match(value) and value in by_id:
        return None, True, _references(f"{by_id[value]}.id")
    if isinstance(value, list):
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


def _config_tree(configs: dict, source: _Source) -> dict:
    """The configuration: resources' expressions, and module outputs with
    their references (as a plan records them) for every scanned module."""
    root: dict = {"resources": []}
    for module in sorted(set(configs) | {s for s in source.dirs if s}):
        node = root
        for name in re.findall(r"module\.([^.]+)", module):
            node = node.setdefault("module_calls", {}).setdefault(
                name, {"module": {"resources": []}}
            )["module"]
        node["resources"].extend(configs.get(module, {}).values())
    for scope in source.dirs:
        node = root
        for name in re.findall(r"module\.([^.]+)", scope):
            node = node["module_calls"][name]["module"]
        for name, call in source.syntax(scope).modules.items():
            if name in node.get("module_calls", {}):
                node["module_calls"][name]["expressions"] = {
                    argument: {"references": _output_references(written)}
                    for argument, written in sorted(call.attributes.items())
                    if argument not in _MODULE_META and hcl_syntax.references(written)
                }
        outputs = source.syntax(scope).outputs
        if scope and outputs:
            node["outputs"] = {
                name: {"expression": {"references": _output_references(written)}}
                for name, written in sorted(outputs.items())
            }
    return root


def _output_references(expression: str) -> list[str]:
    forms = [form for ref in hcl_syntax.references(expression) for form in ref.plan_form()]
    return list(dict.fromkeys(forms))
