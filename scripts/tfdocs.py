"""Generate the tables of every Terraform module's README from its code.

The part of `modules/<module>/README.md` between `<!-- BEGIN_TF_DOCS -->` and
`<!-- END_TF_DOCS -->` is rewritten with the requirements (versions.tf), the
resources (main.tf), the inputs (variables.tf) and the outputs (outputs.tf),
in the layout of terraform-docs' markdown table. Types and defaults are shown
as written in the source, descriptions as given.

    python scripts/tfdocs.py           # rewrite the READMEs
    python scripts/tfdocs.py --check   # exit 1 when a README is out of date

The small HCL reader below understands what these files contain: top-level
blocks, attributes, nested blocks, quoted strings with `${...}`, heredocs and
comments. It is not a general HCL parser.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "modules"
BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n")
_CLOSE = {"{": "}", "[": "]", "(": ")"}


class HclError(ValueError):
    """The file holds something this reader does not understand."""


# ---------------------------------------------------------------------------
# Reading HCL


def _string_end(text: str, i: int) -> int:
    """Index after the quoted string that starts at text[i] == '"'."""
    i += 1
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
        elif c == '"':
            return i + 1
        elif c in "$%" and text.startswith("{", i + 1):
            i = _group_end(text, i + 1)
        elif c == "\n":
            raise HclError("unterminated string")
        else:
            i += 1
    raise HclError("unterminated string")


def _heredoc_end(text: str, i: int) -> int:
    """Index after the heredoc that starts at text[i:] == '<<'."""
    match = _HEREDOC.match(text, i)
    if not match:
        raise HclError("malformed heredoc")
    marker = match.group(2)
    line_start = match.end()
    while line_start < len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end == -1 else line_end
        if text[line_start:line_end].strip() == marker:
            return line_end
        line_start = line_end + 1
    raise HclError(f"heredoc {marker} is not closed")


def _skip_token(text: str, i: int) -> int | None:
    """Index after a string, heredoc or comment starting at i, else None."""
    if text[i] == '"':
        return _string_end(text, i)
    if text.startswith("<<", i) and _HEREDOC.match(text, i):
        return _heredoc_end(text, i)
    if text[i] == "#" or text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end == -1 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        if end == -1:
            raise HclError("unterminated comment")
        return end + 2
    return None


def _group_end(text: str, i: int) -> int:
    """Index after the bracketed group that opens at text[i]."""
    stack = [_CLOSE[text[i]]]
    i += 1
    while i < len(text):
        skipped = _skip_token(text, i)
        if skipped is not None:
            i = skipped
            continue
        c = text[i]
        if c in _CLOSE:
            stack.append(_CLOSE[c])
        elif c in "}])":
            if c != stack.pop():
                raise HclError(f"unbalanced {c!r}")
            if not stack:
                return i + 1
        i += 1
    raise HclError("unbalanced brackets")


def _expression_end(text: str, i: int) -> int:
    """Index of the newline, line comment or end of text that ends the expression at i."""
    while i < len(text) and text[i] != "\n":
        if text[i] == "#" or text.startswith("//", i):
            return i
        skipped = _skip_token(text, i)
        if skipped is not None:
            i = skipped
        elif text[i] in _CLOSE:
            i = _group_end(text, i)
        else:
            i += 1
    return i


def _items(body: str) -> tuple[dict[str, str], list[tuple[str, list[str], str]]]:
    """Attributes (name -> source text) and nested blocks (type, labels, body) of a body."""
    attributes: dict[str, str] = {}
    blocks: list[tuple[str, list[str], str]] = []
    i = 0
    while i < len(body):
        if body[i].isspace():
            i += 1
            continue
        skipped = _skip_token(body, i)
        if skipped is not None:
            i = skipped
            continue
        name = _IDENT.match(body, i)
        if not name:
            raise HclError(f"unexpected {body[i : i + 20]!r}")
        i = name.end()
        rest = body[i:].lstrip(" \t")
        i = len(body) - len(rest)
        if rest.startswith("=") and not rest.startswith("=="):
            start = i + 1
            end = _expression_end(body, start)
            attributes[name.group()] = body[start:end].strip()
            i = end
            continue
        labels = []
        while body[i] != "{":
            if body[i] == '"':
                end = _string_end(body, i)
                labels.append(json.loads(body[i:end]))
                i = end
            elif body[i].isspace():
                i += 1
            else:
                raise HclError(f"unexpected {body[i : i + 20]!r} in block header")
        end = _group_end(body, i)
        blocks.append((name.group(), labels, body[i + 1 : end - 1]))
        i = end
    return attributes, blocks


def _string_value(source: str) -> str:
    """The text of a quoted string or heredoc attribute."""
    if source.startswith('"'):
        return json.loads(source)
    match = _HEREDOC.match(source)
    if match:
        lines = source[match.end() :].split("\n")[:-1]
        text = "\n".join(lines)
        return (textwrap.dedent(text) if match.group(1) else text).strip("\n")
    raise HclError(f"not a string: {source[:40]!r}")


def _dedent(source: str) -> str:
    """A multi-line expression as written, less the indentation of its block."""
    first, _, rest = source.partition("\n")
    if not rest:
        return first
    lines = rest.split("\n")
    shift = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join([first, *(line[shift:] for line in lines)])


# ---------------------------------------------------------------------------
# A module


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: str
    default: str | None


@dataclass(frozen=True)
class Output:
    name: str
    description: str


@dataclass(frozen=True)
class Module:
    requirements: list[tuple[str, str]]
    resources: list[str]
    variables: list[Variable]
    outputs: list[Output]


def _file_blocks(path: Path) -> list[tuple[str, list[str], str]]:
    if not path.exists():
        return []
    try:
        return _items(path.read_text())[1]
    except HclError as err:
        raise HclError(f"{path}: {err}") from None


def read_module(directory: Path) -> Module:
    """What the README documents, read from the module's .tf files."""
    requirements = []
    for kind, _, body in _file_blocks(directory / "versions.tf"):
        if kind != "terraform":
            continue
        attributes, blocks = _items(body)
        if "required_version" in attributes:
            requirements.append(("terraform", _string_value(attributes["required_version"])))
        for block, _, providers in blocks:
            if block != "required_providers":
                continue
            for name, spec in _items(providers)[0].items():
                version = re.search(r'version\s*=\s*("[^"]*")', spec)
                requirements.append((name, _string_value(version.group(1)) if version else "n/a"))
    resources = [
        f"{labels[0]}.{labels[1]}"
        for path in sorted(directory.glob("*.tf"))
        for kind, labels, _ in _file_blocks(path)
        if kind == "resource"
    ]
    variables = []
    for kind, labels, body in _file_blocks(directory / "variables.tf"):
        if kind != "variable":
            continue
        attributes = _items(body)[0]
        variables.append(
            Variable(
                name=labels[0],
                description=_string_value(attributes.get("description", '""')),
                type=_dedent(attributes.get("type", "any")),
                default=_dedent(attributes["default"]) if "default" in attributes else None,
            )
        )
    outputs = [
        Output(labels[0], _string_value(_items(body)[0].get("description", '""')))
        for kind, labels, body in _file_blocks(directory / "outputs.tf")
        if kind == "output"
    ]
    return Module(requirements, resources, variables, outputs)


# ---------------------------------------------------------------------------
# Markdown


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _code(source: str) -> str:
    if "\n" not in source:
        return f"`{source.replace('|', chr(92) + '|')}`"
    escaped = source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<pre>{_cell(escaped)}</pre>"


def render(module: Module) -> str:
    """The generated part of the README, without the markers."""
    lines = ["## Requirements", "", "| Name | Version |", "|------|---------|"]
    lines += [f"| {name} | `{version}` |" for name, version in module.requirements]
    lines += ["", "## Resources", "", "| Name | Type |", "|------|------|"]
    lines += [f"| `{address}` | resource |" for address in module.resources]
    lines += [
        "",
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for v in module.variables:
        default = "n/a" if v.default is None else _code(v.default)
        required = "yes" if v.default is None else "no"
        cells = [f"`{v.name}`", _cell(v.description), _code(v.type), default, required]
        lines.append(f"| {' | '.join(cells)} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    lines += [f"| `{o.name}` | {_cell(o.description)} |" for o in module.outputs]
    return "\n".join(lines)


def updated_readme(readme: str, generated: str) -> str:
    """The README with the text between the markers replaced."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start == -1 or end < start:
        raise HclError(f"the README needs {BEGIN} and {END} markers")
    return f"{readme[: start + len(BEGIN)]}\n{generated}\n{readme[end:]}"


def module_dirs() -> list[Path]:
    """Every module: a folder of modules/ with a variables.tf."""
    return sorted(p.parent for p in MODULES.glob("*/variables.tf"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a README is out of date")
    args = parser.parse_args(argv)
    stale = []
    for directory in module_dirs():
        path = directory / "README.md"
        current = path.read_text()
        wanted = updated_readme(current, render(read_module(directory)))
        if wanted == current:
            continue
        stale.append(path.relative_to(REPO))
        if not args.check:
            path.write_text(wanted)
    if args.check and stale:
        print("out of date (run `make tfdocs`): " + ", ".join(map(str, stale)), file=sys.stderr)
        return 1
    for path in stale:
        print(f"updated {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
