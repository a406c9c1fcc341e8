"""`smguard fix`: the scan run backwards for the rules that have one compliant value.

plan() scans the source, turns each fixable finding into an edit at the place
the source decides the value (the attribute itself, the variable's default or
tfvars entry, the local module call's argument, the local), applies the edits
to a copy of the source and scans that again. An edit is kept only when its
findings are gone, no finding is new and no resource appeared or went away;
the others are held back and said why. Everything else is advice: "needs your
input", with the snippet to add and the module of modules/ that provides it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from smguard import catalogue
from smguard.errors import InputError
from smguard.findings import Verdict
from smguard.fix import rules
from smguard.fix.hclfile import Attribute, HclFile
from smguard.fix.jsonfile import JsonFile

_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
_LITERAL = re.compile(
    r'^(true|false|null|-?\d+(\.\d+)?|"(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*")$'
)  # fmt: skip
_REFERENCE = re.compile(r"^(var|local)\.([A-Za-z_][\w-]*)$")
_JSON_REFERENCE = re.compile(r"^\$\{(var|local)\.([A-Za-z_][\w-]*)\}$")
_OPEN = (Verdict.FAIL, Verdict.WARN)
_NO_NEWLINE = "\\ No newline at end of file"


@dataclass(frozen=True)
class Edit:
    """One planned change: `attribute` of `target` in `file` becomes `new`."""

    file: str  # relative to the scanned directory
    line: int
    where: str  # resource | variable default | module argument | tfvars | local
    target: str  # the block, e.g. `resource aws_sagemaker_model.m`, `variable "x"`
    attribute: str  # dotted: nested blocks created where absent
    old: str | None  # the value's source text, None when the attribute is added
    new: str
    findings: tuple[str, ...]  # "SMG-MODEL-001 aws_sagemaker_model.m", what it fixes

    def to_dict(self) -> dict:
        return {**self.__dict__, "findings": list(self.findings)}


@dataclass(frozen=True)
class Advice:
    """A finding smguard does not fix by itself, and what the user can add."""

    rule_id: str
    address: str
    file: str | None
    line: int | None
    reason: str
    snippet: str
    module: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class FixPlan:
    directory: Path
    edits: tuple[Edit, ...]
    changes: dict[str, tuple[str, str]]  # file -> (old text, new text)
    advice: tuple[Advice, ...]
    unformatted: tuple[str, ...] = ()  # changed files terraform fmt was not run on

    def diff(self) -> str:
        """The unified diff of every change, paths as `a/DIR/file` and `b/DIR/file`."""
        out = []
        for file, (old, new) in sorted(self.changes.items()):
            path = self.directory / file
            shown = Path(os.path.relpath(path)).as_posix()
            old_name, new_name = (
                (f"a/{shown}", f"b/{shown}")
                if not shown.startswith("../")
                else (str(path.resolve()), str(path.resolve()))
            )
            lines = difflib.unified_diff(
                old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
            )
            for line in lines:
                out.append(line if line.endswith("\n") else f"{line}\n{_NO_NEWLINE}\n")
        return "".join(out)

    def write(self) -> list[Path]:
        """Write every changed file; all are rendered before the first is written."""
        written = []
        for file, (_, new) in sorted(self.changes.items()):
            path = self.directory / file
            path.write_text(new, encoding="utf-8", newline="")
            written.append(path)
        return written

    def to_dict(self) -> dict:
        return {
            "directory": str(self.directory),
            "edits": [e.to_dict() for e in self.edits],
            "files": sorted(self.changes),
            "needs_input": [a.to_dict() for a in self.advice],
            "not_formatted": list(self.unformatted),
            "diff": self.diff(),
        }


def plan(
    directory: Path,
    engine,
    config: dict | None = None,
    only: frozenset[str] | None = None,
    terraform: str | None = "auto",
) -> FixPlan:
    """The edits that fix what can be fixed in `directory`, each re-checked by a scan.

    engine: a smguard Engine; only: rule ids to fix (None: every fixable rule);
    terraform: the binary for `terraform fmt` on changed files ("auto": on PATH,
    None: never).
    """
    if terraform == "auto":
        terraform = shutil.which("terraform")
    source = _Source(directory)
    # What `smguard scan DIR` reports; the copies the edits are checked on must show
    # the same resources, or the edits are held back (see recheck).
    before = source.scan_directory(engine, config)
    sites: dict[tuple, _Site] = {}
    advice: list[Advice] = []
    for finding in before.findings:
        if finding.verdict not in _OPEN or finding.rule_id not in rules.FIXES:
            continue
        if only is not None and finding.rule_id not in only:
            continue
        found = source.site(before.document, finding, rules.FIXES[finding.rule_id])
        if isinstance(found, Advice):
            advice.append(found)
            continue
        site = sites.setdefault(found.key, found)
        if site.value != found.value:
            site.conflict = True
        site.findings.add((finding.rule_id, finding.address))
    for site in [s for s in sites.values() if s.conflict]:
        del sites[site.key]
        advice += [
            source.advice_for(before, rule_id, address, f"{site.label} must take two values")
            for rule_id, address in sorted(site.findings)
        ]
    kept, held = source.recheck(engine, config, before, list(sites.values()), terraform)
    advice += held
    after = source.rendered(kept, terraform)
    fixed = {f for site in kept for f in site.findings}
    accounted = {(a.rule_id, a.address) for a in advice} | fixed
    for finding in before.findings:
        if finding.verdict in _OPEN and (finding.rule_id, finding.address) not in accounted:
            if finding.rule_id in rules.FIXES:
                if only is None or finding.rule_id in only:
                    continue
                reason = f"not fixed: --rule leaves it out ({finding.message})"
            else:
                reason = finding.message
            advice.append(source.advice_for_finding(finding, reason))
    edits = tuple(
        sorted(
            (site.edit() for site in kept),
            key=lambda e: (e.file, e.line, e.attribute),
        )
    )
    return FixPlan(
        directory=directory,
        edits=edits,
        changes={f: (source.raw[f], text) for f, text in after.texts.items()},
        advice=tuple(sorted(advice, key=lambda a: (a.address, a.rule_id))),
        unformatted=tuple(sorted(after.unformatted)),
    )


@dataclass(eq=False)
class _Site:
    """One place in the source that a fix changes, and the findings it fixes."""

    key: tuple
    file: str
    line: int
    where: str
    target: str
    attribute: str
    old: str | None
    value: bool | str
    apply: Callable[[], None]
    findings: set[tuple[str, str]] = field(default_factory=set)
    conflict: bool = False

    @property
    def label(self) -> str:
        return f"{self.target} {self.attribute} ({self.file}:{self.line})"

    def edit(self) -> Edit:
        return Edit(
            self.file, self.line, self.where, self.target, self.attribute, self.old,
            json.dumps(self.value), tuple(f"{r} {a}" for r, a in sorted(self.findings)),
        )  # fmt: skip


@dataclass(frozen=True)
class _Scan:
    document: object
    findings: tuple
    addresses: frozenset[str]

    def open(self) -> set[tuple[str, str, str]]:
        return {f.key for f in self.findings if f.verdict in _OPEN}


@dataclass(frozen=True)
class _Rendered:
    texts: dict[str, str]  # changed files only
    unformatted: set[str]


class _Source:
    """The Terraform files of the scanned root and of the local modules it calls."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.files: dict[str, HclFile | JsonFile] = {}
        self.dirs: list[str] = []
        self._formatted: dict[str, str | None] = {}  # terraform fmt of a text
        self.raw: dict[str, str] = {}  # each file's text as read
        self.rule_resources = {rule.id: rule.resources for rule in catalogue.load()}
        self.installed = _installed_modules(directory)  # module key -> its directory
        self._read_dir(".")
        for rel in self.installed.values():
            self._read_dir(rel)

    # -- reading --------------------------------------------------------------
    def _read_dir(self, rel: str) -> None:
        rel = os.path.normpath(rel)
        if rel in self.dirs:
            return
        self.dirs.append(rel)
        folder = self.directory / rel
        if not folder.is_dir():
            return  # the loader reports a missing module source
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.name.endswith(_SUFFIXES):
                name = os.path.normpath(os.path.join(rel, path.name))
                try:
                    raw = path.read_bytes().decode("utf-8")
                except UnicodeDecodeError as err:
                    raise InputError(f"{self.directory / name}: not UTF-8 text: {err}") from None
                self.raw[name] = raw
                # A file with Windows line ends is edited with \n and written back with \r\n.
                text = raw.replace("\r\n", "\n") if _crlf(raw) else raw
                is_json = path.name.endswith(".json")
                self.files[name] = (JsonFile if is_json else HclFile)(name, text)
        for name in self._in_dir(rel):
            for call in self._blocks(name, "module"):
                source = self._literal_of(name, call, "source")
                if isinstance(source, str) and source.startswith(("./", "../")):
                    self._read_dir(os.path.join(rel, source))

    def _in_dir(self, rel: str, *, variables: bool = False) -> list[str]:
        """Files of one directory: configuration (.tf, .tf.json), or tfvars files."""
        suffixes = (".tfvars", ".tfvars.json") if variables else (".tf", ".tf.json")
        return [
            name
            for name in self.files
            if os.path.dirname(name) == ("" if rel == "." else rel) and name.endswith(suffixes)
        ]

    def _blocks(self, name: str, kind: str, *labels: str) -> list:
        file = self.files[name]
        if isinstance(file, HclFile):
            return file.top.children(kind, *labels)
        found = file.find(kind, *labels) if labels else None
        if labels:
            return [found] if found else []
        items = file.data.get(kind)
        return [
            (obj, [kind, label]) for label, obj in (items or {}).items() if isinstance(obj, dict)
        ] if isinstance(items, dict) else []  # fmt: skip

    def _literal_of(self, name: str, block, attribute: str):
        file = self.files[name]
        if isinstance(file, HclFile):
            found = block.attributes.get(attribute)
            if found and _LITERAL.match(found.value):
                return json.loads(found.value) if found.value.startswith('"') else found.value
            return None
        return block[0].get(attribute)

    # -- scanning ---------------------------------------------------------------
    def scan_directory(self, engine, config) -> _Scan:
        """Scan the directory itself, as `smguard scan DIR` does."""
        from smguard.loaders import hcl

        return _scanned(hcl.load(self.directory), engine, config)

    def scan(self, engine, config, texts: dict[str, str]) -> _Scan:
        """Scan a copy of the source with `texts` (file -> text) in place of its files."""
        from smguard.loaders import hcl

        # The copy keeps every file's place relative to the scanned directory,
        # module sources outside it (`../modules/x`) included.
        depth = max(len(re.match(r"^(\.\./)*", d + "/").group(0)) // 3 for d in self.dirs)
        with tempfile.TemporaryDirectory(prefix="smguard-fix-") as tmp:
            top = Path(tmp).joinpath("root", *["up"] * depth)
            top.mkdir(parents=True)
            for name in self.files:
                target = top / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(texts.get(name, self.raw[name]), encoding="utf-8", newline="")
            # Modules `terraform init` installed: read from the copy, never edited.
            installed = self.directory / ".terraform" / "modules"
            for path in sorted(installed.rglob("*")) if installed.is_dir() else ():
                if path.is_file() and path.name.endswith((*_SUFFIXES, "modules.json")):
                    target = top / path.relative_to(self.directory)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
            document = hcl.load(top.resolve())
        return _scanned(document, engine, config)

    def recheck(self, engine, config, before: _Scan, sites: list[_Site], terraform):
        """The sites whose edits fix their findings and add none, and advice for the rest."""
        held: list[Advice] = []
        kept = list(sites)
        wanted = before.open()
        while kept:
            after = self.scan(engine, config, self.rendered(kept, terraform).texts)
            now = after.open()
            new = {(r, a) for r, a, _ in now - wanted}
            still = {(r, a) for r, a, _ in now}
            drop: dict[_Site, str] = {}
            modules: dict[_Site, str] = {}
            for site in kept:
                stays = sorted(f for f in site.findings if f in still)
                if stays:
                    drop[site] = "the edit does not fix it (another place decides the value)"
                caused = sorted(f for f in new if f[1] in {a for _, a in site.findings})
                if caused:
                    listed = ", ".join(f"{r} on {a}" for r, a in caused)
                    drop[site] = (
                        f"held back: `{site.attribute} = {json.dumps(site.value)}` would make "
                        f"smguard report {listed}; fix that first, then run smguard fix again"
                    )
                    first = rules.NEEDS_INPUT.get(caused[0][0])
                    if first and first.module:
                        modules[site] = first.module
            if after.addresses != before.addresses:
                shared = [s for s in kept if s.where != "resource"]
                for site in shared or kept:
                    drop.setdefault(
                        site, "held back: the edit would add or remove resources (count, for_each)"
                    )
            if not drop and new:
                # a new finding no edit's own resources explain: the shared values
                listed = ", ".join(f"{r} on {a}" for r, a in sorted(new))
                for site in [s for s in kept if s.where != "resource"] or kept:
                    drop[site] = f"held back: the edits would make smguard report {listed}"
            if not drop:
                break
            for site, reason in drop.items():
                kept.remove(site)
                held += [
                    self.advice_for(before, r, a, reason, modules.get(site))
                    for r, a in sorted(site.findings)
                ]
        return kept, held

    def rendered(self, sites: list[_Site], terraform) -> _Rendered:
        for file in self.files.values():
            file.reset()
        for site in sites:
            site.apply()
        texts, unformatted = {}, set()
        for name, file in self.files.items():
            if not file.changed():
                continue
            text = file.render()
            if isinstance(file, HclFile):
                if terraform and _fmt(terraform, file.text, self._formatted) == file.text:
                    text = _fmt(terraform, text, self._formatted) or text
                else:
                    unformatted.add(name)
            if _crlf(self.raw[name]):
                text = text.replace("\n", "\r\n")
            if text != self.raw[name]:
                texts[name] = text
        return _Rendered(texts, unformatted)

    # -- where a value is decided ----------------------------------------------------
    def site(self, document, finding, fix: rules.Fix) -> _Site | Advice:
        """Where the source decides the value `fix` sets on the finding's resource."""
        address = finding.address
        modules, rtype, name = _split(address)
        types = fix.types or {
            t for t in self.rule_resources.get(finding.rule_id, ()) if t.startswith("aws_")
        }
        if rtype not in types:
            return self.advice_for_finding(finding, f"not fixed on {rtype}")
        located = document.locations.get(address)
        if not located or os.path.normpath(located[0]) not in self.files:
            return self.advice_for_finding(finding, "its source file was not found")
        file_name = os.path.normpath(located[0])
        file = self.files[file_name]
        value = fix.value
        target = f"resource {rtype}.{name}"
        if isinstance(file, JsonFile):
            found = file.find("resource", rtype, name)
            if found is None:
                return self.advice_for_finding(finding, "its block was not found")
            return self._json_attribute(
                finding, modules, file, found, fix.path, value, "resource", target
            )
        block = file.find("resource", rtype, name)
        if block is None:
            return self.advice_for_finding(finding, "its block was not found")
        path = list(fix.path)
        while len(path) > 1:
            nested = block.children(path[0])
            dynamic = [d.children("content") for d in block.children("dynamic", path[0])]
            if nested:
                block = nested[0]
            elif dynamic and dynamic[0]:
                block = dynamic[0][0]
            elif dynamic:
                return self.advice_for_finding(finding, f'dynamic "{path[0]}" has no content')
            else:
                break
            path.pop(0)
        attribute = block.attributes.get(path[0]) if len(path) == 1 else None
        label = ".".join(fix.path)
        if attribute is None:
            return _Site(
                (file_name, "add", block.start, tuple(path)), file_name, block.line, "resource",
                target, label, None, value,
                lambda: file.add(block, tuple(path), json.dumps(value)),
            )  # fmt: skip
        return self._hcl_value(finding, modules, file, attribute, value, "resource", target, label)

    def _hcl_value(self, finding, modules, file: HclFile, attribute: Attribute, value, where,
                   target, label):  # fmt: skip
        text = attribute.value.strip()
        if _LITERAL.match(text):
            if self._outside(file.path):
                return self._outside_advice(finding, file.path, attribute.line, label, value)
            if text == json.dumps(value):
                return self.advice_for_finding(finding, f"{label} is already {text} here")
            return _Site(
                (file.path, "set", attribute.value_start), file.path, attribute.line, where,
                target, label, attribute.value, value,
                lambda: file.replace(attribute, json.dumps(value)),
            )  # fmt: skip
        reference = _REFERENCE.match(text)
        if reference:
            return self._reference(finding, modules, *reference.groups(), value)
        return self.advice_for_finding(
            finding,
            f"{label} is the expression `{text}` ({file.path}:{attribute.line}): "
            f"make it {json.dumps(value)}",
        )

    def _json_attribute(self, finding, modules, file: JsonFile, found, path, value, where,
                        target):  # fmt: skip
        obj, keys = found
        rest = list(path)
        while len(rest) > 1:
            nested = file.nested((obj, keys), rest[0])
            dynamic = file.nested((obj, keys), "dynamic")
            dynamic = dynamic and file.nested(dynamic, rest[0])
            if nested is None and dynamic:
                nested = file.nested(dynamic, "content")
                if nested is None:
                    return self.advice_for_finding(finding, f'dynamic "{rest[0]}" has no content')
            if nested is None:
                break
            obj, keys = nested
            rest.pop(0)
        label = ".".join(path)
        exists = rest[-1] in obj and len(rest) == 1
        line = _json_line(file, [*keys, rest[-1]] if exists else keys)
        if exists:
            current = obj[rest[-1]]
            if isinstance(current, str) and "${" in current:
                reference = _JSON_REFERENCE.match(current)
                if reference:
                    return self._reference(finding, modules, *reference.groups(), value)
                return self.advice_for_finding(
                    finding, f"{label} is the expression `{current}` ({file.path}): make it "
                    f"{json.dumps(value)}",
                )  # fmt: skip
            if current == value:
                return self.advice_for_finding(finding, f"{label} is already {json.dumps(value)}")
            old = json.dumps(current)
        else:
            old = None
        if not file.round_trips():
            return self.advice_for_finding(
                finding,
                f"{file.path} is not laid out as json.dumps writes it: set "
                f"{label} = {json.dumps(value)} by hand",
            )
        if self._outside(file.path):
            return self._outside_advice(finding, file.path, line, label, value)
        set_keys = [*keys, *rest]
        return _Site(
            (file.path, "json", tuple(map(str, set_keys))), file.path, line, where, target,
            label, old, value, lambda: file.set(set_keys, value),
        )  # fmt: skip

    def _reference(self, finding, modules: tuple[str, ...], kind: str, name: str, value):
        rel = self._module_dir(modules)
        if rel is None:
            return self.advice_for_finding(finding, "its module's directory was not found")
        if kind == "local":
            for file_name in self._in_dir(rel):
                file = self.files[file_name]
                if isinstance(file, HclFile):
                    for block in file.top.children("locals"):
                        if name in block.attributes:
                            return self._hcl_value(
                                finding, modules, file, block.attributes[name], value, "local",
                                "locals", name,
                            )  # fmt: skip
                else:
                    found = file.find("locals")
                    if found and name in found[0]:
                        return self._json_attribute(
                            finding, modules, file, found, (name,), value, "local", "locals"
                        )
            return self.advice_for_finding(finding, f"local.{name} was not found")
        if modules:
            parent = self._module_dir(modules[:-1])
            for file_name in self._in_dir(parent):
                file = self.files[file_name]
                if isinstance(file, HclFile):
                    call = file.find("module", modules[-1])
                    if call and name in call.attributes:
                        return self._hcl_value(
                            finding, modules[:-1], file, call.attributes[name], value,
                            "module argument", f'module "{modules[-1]}"', name,
                        )  # fmt: skip
                else:
                    found = file.find("module", modules[-1])
                    if found and name in found[0]:
                        return self._json_attribute(
                            finding, modules[:-1], file, found, (name,), value,
                            "module argument", f'module "{modules[-1]}"',
                        )  # fmt: skip
        else:
            for file_name in self._tfvars_deciding(rel):
                file = self.files[file_name]
                if isinstance(file, HclFile) and name in file.top.attributes:
                    return self._hcl_value(
                        finding, modules, file, file.top.attributes[name], value, "tfvars",
                        "tfvars entry", name,
                    )  # fmt: skip
                if isinstance(file, JsonFile) and name in file.data:
                    return self._json_attribute(
                        finding, modules, file, (file.data, []), (name,), value, "tfvars",
                        "tfvars entry",
                    )  # fmt: skip
        for file_name in self._in_dir(rel):
            file = self.files[file_name]
            if isinstance(file, HclFile):
                variable = file.find("variable", name)
                if variable is None:
                    continue
                if "default" not in variable.attributes:
                    break
                return self._hcl_value(
                    finding, modules, file, variable.attributes["default"], value,
                    "variable default", f'variable "{name}"', "default",
                )  # fmt: skip
            found = file.find("variable", name)
            if found is None:
                continue
            if "default" not in found[0]:
                break
            return self._json_attribute(
                finding, modules, file, found, ("default",), value, "variable default",
                f'variable "{name}"',
            )  # fmt: skip
        return self.advice_for_finding(
            finding,
            f"var.{name} has no default here: its value comes from -var or -var-file at plan "
            f"time; make it {json.dumps(value)}",
        )

    def _tfvars_deciding(self, rel: str) -> list[str]:
        """The root's tfvars files, the one whose value Terraform takes first."""
        names = {os.path.basename(n): n for n in self._in_dir(rel, variables=True)}
        auto = sorted(n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json")))
        order = [*reversed(auto), "terraform.tfvars.json", "terraform.tfvars"]
        return [names[n] for n in order if n in names]

    def _module_dir(self, modules: tuple[str, ...]) -> str | None:
        """The directory of a module instance: local sources followed call by call,
        installed ones (registry, git) from .terraform/modules/modules.json."""
        rel = "."
        for depth, call_name in enumerate(modules, 1):
            installed = self.installed.get(".".join(modules[:depth]))
            for file_name in self._in_dir(rel):
                calls = self._blocks(file_name, "module", call_name)
                if calls:
                    source = self._literal_of(file_name, calls[0], "source")
                    if isinstance(source, str) and source.startswith(("./", "../")):
                        rel = os.path.normpath(os.path.join(rel, source))
                        break
            else:
                if installed is None:
                    return None
                rel = installed
        return rel

    def _outside(self, name: str) -> bool:
        return name.startswith(("../", ".terraform/"))

    def _outside_advice(self, finding, name, line, label, value) -> Advice:
        where = (
            "in a module terraform init installed"
            if name.startswith(".terraform/")
            else f"outside {self.directory}"
        )
        return self.advice_for_finding(
            finding,
            f"the value is decided at {name}:{line}, {where}: "
            f"set {label} = {json.dumps(value)} there, or pass it from {self.directory}",
        )

    # -- advice ---------------------------------------------------------------------
    def advice_for_finding(self, finding, reason: str, module: str | None = None) -> Advice:
        needs = rules.NEEDS_INPUT.get(finding.rule_id)
        fix = rules.FIXES.get(finding.rule_id)
        snippet = needs.snippet if needs else ""
        if fix:
            inner = f"{fix.path[-1]} = {json.dumps(fix.value)}"
            for name in reversed(fix.path[:-1]):
                inner = f"{name} {{\n" + "\n".join("  " + x for x in inner.splitlines()) + "\n}"
            snippet = inner
        return Advice(
            finding.rule_id, finding.address, finding.file, finding.line, reason, snippet,
            module or (needs.module if needs else None),
        )  # fmt: skip

    def advice_for(
        self, scan: _Scan, rule_id: str, address: str, reason: str, module: str | None = None
    ) -> Advice:
        finding = next(f for f in scan.findings if (f.rule_id, f.address) == (rule_id, address))
        return self.advice_for_finding(finding, reason, module)


def _scanned(document, engine, config) -> _Scan:
    report = engine.evaluate(document, config)
    addresses = frozenset(rc.get("address") for rc in document.data["resource_changes"])
    return _Scan(document, report.findings, addresses)


def _installed_modules(directory: Path) -> dict[str, str]:
    """Module key (`a`, `a.b`) -> directory, from `terraform init`'s modules.json."""
    path = directory / ".terraform" / "modules" / "modules.json"
    try:
        listed = json.loads(path.read_text()).get("Modules") or []
    except (OSError, ValueError, AttributeError):
        return {}
    return {
        m["Key"]: os.path.normpath(m["Dir"])
        for m in listed
        if isinstance(m, dict) and m.get("Key") and isinstance(m.get("Dir"), str)
    }


def _split(address: str) -> tuple[tuple[str, ...], str, str]:
    """(module call names, resource type, resource name) of a resource address."""
    parts = re.findall(r'(?:[^.\["]+|\[(?:"[^"]*"|[^\]]*)\])+', address)
    modules = tuple(
        re.sub(r"\[.*\]$", "", parts[i + 1]) for i in range(len(parts) - 2) if parts[i] == "module"
    )
    rtype, name = parts[-2], re.sub(r"\[.*\]$", "", parts[-1])
    return modules, rtype, name


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _crlf(text: str) -> bool:
    """Whether every line of the text ends with \r\n."""
    return "\r\n" in text and text.count("\r\n") == text.count("\n")


def _json_line(file: JsonFile, keys: list) -> int:
    """The line of the last key of `keys` (list indexes skipped), found key after key."""
    at = 0
    for key in keys:
        if isinstance(key, str):
            found = file.text.find(json.dumps(key), at)
            at = found if found >= 0 else at
    return file.text.count("\n", 0, at) + 1


def _fmt(terraform: str, text: str, cache: dict[str, str | None]) -> str | None:
    """`terraform fmt` of one file's text (None when it cannot format it)."""
    if text in cache:
        return cache[text]
    try:
        done = subprocess.run(
            [terraform, "fmt", "-no-color", "-"],
            input=text, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        done = None
    cache[text] = done.stdout if done and done.returncode == 0 else None
    return cache[text]


def summary(result: FixPlan, *, written: bool) -> str:
    """What the plan does and what it leaves to the user, for stderr."""
    out = []
    fixed = sorted({f for e in result.edits for f in e.findings})
    files = len(result.changes)
    if result.edits:
        verb = "wrote" if written else "would write"
        applies = "" if written else "; --write applies them"
        out.append(
            f"smguard fix: {_count(len(result.edits), 'edit')} in {_count(files, 'file')} fix "
            f"{_count(len(fixed), 'finding')} ({verb}{applies}):"
        )
        for edit in result.edits:
            change = "added" if edit.old is None else f"{edit.old} ->"
            out.append(
                f"  {edit.file}:{edit.line}: {edit.target} {edit.attribute}: {change} {edit.new}"
                f" ({edit.where}; {', '.join(edit.findings)})"
            )
    else:
        out.append("smguard fix: nothing to change")
    for name in result.unformatted:
        out.append(f"  {name}: terraform fmt not run (no binary, or the file was not fmt-clean)")
    if result.advice:
        out.append(f"needs your input ({len(result.advice)}):")
        for item in result.advice:
            where = f" ({item.file}:{item.line})" if item.file else ""
            out.append(f"  {item.rule_id} {item.address}{where}: {item.reason}")
            out.extend("      " + line for line in item.snippet.splitlines())
            if item.module:
                out.append(f"    or use the module modules/{item.module}")
    return "\n".join(out) + "\n"


__all__ = ["Advice", "Edit", "FixPlan", "plan", "summary"]
