"""Terraform source as written: each block's attributes as expression text, and
the references an expression makes, in the form a plan's `configuration` gives them.

tfparse answers with evaluated values only. The source loader also needs what
was written: the references of an expression (a plan records them, and the
rules follow them), and whether a value comes from something Terraform itself
only knows after apply (a `random_*` result, `uuid()`, an attribute the provider
computes), which tfparse fills in with a made-up value. This reads native
syntax (`.tf`) and JSON syntax (`.tf.json`) into the same small tree; it is not
a validator (tfparse reports syntax errors first).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_IDENT = re.compile(r"[A-Za-z_][\w-]*")
_HEREDOC = re.compile(r"<<-?([A-Za-z_][\w-]*)[ \t]*\n")
_KEYWORDS = {"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"}
_ROOTS = {"var", "local", "count", "each", "path", "terraform", "self"}
_RESOURCE_TYPE = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+$")
_STEP = re.compile(r'\s*(?:\.\s*([A-Za-z_][\w-]*|\d+|\*)|\[\s*("(?:[^"\\]|\\.)*"|\d+|\*)\s*\])')
_FOR_VARS = re.compile(r"\bfor\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\b")


@dataclass
class Block:
    """A block: `resource "aws_x" "y" { ... }`, its attributes' expression text
    and its nested blocks. line is the first line (1-based; 0 in JSON syntax)."""

    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


class SyntaxProblem(ValueError):
    """Source this reader cannot follow (tfparse, which reads it first, may)."""


def parse_file(path: Path) -> list[Block]:
    """The top-level blocks of one Terraform file, native or JSON syntax.

    SyntaxProblem for anything this reader cannot follow: malformed JSON, a
    quoted label that is no JSON string (a NUL in it), nesting deeper than
    Python's recursion limit. OSError when the file cannot be read."""
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        if path.name.endswith(".tf.json"):
            return _json_blocks(json.loads(text))
        return _Parser(text).body(closing=False)[1]
    except SyntaxProblem:
        raise
    except (ValueError, AttributeError, TypeError, IndexError, RecursionError) as err:
        raise SyntaxProblem(f"{path}: {type(err).__name__}: {err}") from None


class _Parser:
    def __init__(self, text: str):
        self.s, self.i = text, 0
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, at: int) -> int:
        return bisect.bisect_left(self.newlines, at) + 1

    def fail(self, what: str):
        raise SyntaxProblem(f"line {self.line(self.i)}: {what}")

    def space(self, newlines: bool) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#" or s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                self.i = len(s) if end < 0 else end + 2
            else:
                return

    def body(self, closing: bool) -> tuple[dict[str, str], list[Block]]:
        attributes: dict[str, str] = {}
        blocks: list[Block] = []
        while True:
            self.space(newlines=True)
            if self.i >= len(self.s):
                if closing:
                    self.fail("unclosed block")
                return attributes, blocks
            if self.s[self.i] == "}":
                if not closing:
                    self.fail("unexpected }")
                self.i += 1
                return attributes, blocks
            start = self.i
            name = self.ident()
            self.space(newlines=False)
            if self.s.startswith("=", self.i) and not self.s.startswith("==", self.i):
                self.i += 1
                attributes[name] = self.expression()
                continue
            labels = []
            while self.i < len(self.s) and self.s[self.i] != "{":
                if self.s[self.i] == '"':
                    begin = self.i
                    self.quoted()
                    labels.append(json.loads(self.s[begin : self.i]))
                else:
                    labels.append(self.ident())
                self.space(newlines=False)
            if self.i >= len(self.s):
                self.fail(f"block {name} has no body")
            self.i += 1
            inner = self.body(closing=True)
            blocks.append(Block(name, tuple(labels), self.line(start), *inner))

    def ident(self) -> str:
        match = _IDENT.match(self.s, self.i)
        if not match:
            self.fail(f"unexpected {self.s[self.i]!r}")
        self.i = match.end()
        return match.group()

    def expression(self) -> str:
        """Up to the end of the line (or the `}` of a one-line block), brackets balanced."""
        s, start, depth = self.s, self.i, 0
        while self.i < len(s):
            c = s[self.i]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif c == '"':
                self.quoted()
                continue
            elif c == "<" and (heredoc := _HEREDOC.match(s, self.i)):
                self.heredoc(heredoc)
                continue
            elif c == "#" or s.startswith("//", self.i) or s.startswith("/*", self.i):
                if depth == 0 and not s.startswith("/*", self.i):
                    break
                self.space(newlines=False)
                continue
            elif c == "\n" and depth == 0:
                break
            self.i += 1
        return s[start : self.i].strip()

    def quoted(self) -> None:
        """Past a quoted template, its interpolations included."""
        s = self.s
        self.i += 1
        while self.i < len(s):
            c = s[self.i]
            if c == "\\":
                self.i += 2
            elif c == '"':
                self.i += 1
                return
            elif s.startswith(("${", "%{"), self.i) and s[self.i - 1] != c:
                self.i += 2
                self.interpolation()
            else:
                self.i += 1
        self.fail("unclosed string")

    def interpolation(self) -> None:
        depth = 1
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == '"':
                self.quoted()
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    self.i += 1
                    return
            self.i += 1
        self.fail("unclosed interpolation")

    def heredoc(self, match: re.Match) -> None:
        end = re.compile(rf"^[ \t]*{re.escape(match.group(1))}[ \t]*$", re.M).search(
            self.s, match.end()
        )
        if not end:
            self.fail("unclosed heredoc")
        self.i = end.end()


def _json_blocks(document: dict) -> list[Block]:
    """JSON syntax: {"resource": {"type": {"name": {...}}}, "locals": {...}, ...}."""
    blocks = []
    for kind, content in document.items():
        if kind.startswith("//"):
            continue
        depth = {"resource": 2, "data": 2, "module": 1, "output": 1, "variable": 1}.get(kind, 0)
        for labels, body in _labelled(content, depth):
            for one in body if isinstance(body, list) else [body]:
                blocks.append(_json_block(kind, labels, one))
    return blocks


def _labelled(content, depth: int, labels: tuple[str, ...] = ()):
    if depth == 0:
        yield labels, content
        return
    for items in content if isinstance(content, list) else [content]:
        for key, value in items.items():
            if not key.startswith("//"):
                yield from _labelled(value, depth - 1, (*labels, key))


def _json_block(kind: str, labels: tuple[str, ...], body: dict) -> Block:
    # In JSON syntax an object may be a map or a nested block; only the schema
    # says which. Expressions are what matter here, and json.dumps keeps the
    # templates of both, so every member is kept as an attribute.
    return Block(
        kind,
        labels,
        0,
        {k: json.dumps(v) for k, v in body.items() if not k.startswith("//")},
    )


def _code(expression: str) -> str:
    """The expression with the literal text of its strings blanked out (their
    interpolations kept), so that words in strings are not read as references."""
    out, i, s = [], 0, expression
    while i < len(s):
        c = s[i]
        if c == '"':
            i = _blank_string(s, i + 1, out)
            continue
        heredoc = _HEREDOC.match(s, i) if c == "<" else None
        if heredoc:
            end = re.compile(rf"^[ \t]*{re.escape(heredoc.group(1))}[ \t]*$", re.M).search(
                s, heredoc.end()
            )
            stop = end.start() if end else len(s)
            out.append(" ")
            out.append(_interpolations(s[heredoc.end() : stop]))
            i = end.end() if end else len(s)
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _blank_string(s: str, i: int, out: list[str]) -> int:
    """From inside a quoted string: its interpolations to out; the index past it."""
    out.append(" ")
    while i < len(s):
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if s.startswith(("${", "%{"), i) and not (i and s[i - 1] == c):
            depth, j = 1, i + 2
            while j < len(s) and depth:
                if s[j] == '"':
                    inner: list[str] = []
                    j = _blank_string(s, j + 1, inner)
                    out.append("".join(inner))
                    continue
                depth += {"{": 1, "}": -1}.get(s[j], 0)
                if depth:
                    out.append(s[j])
                j += 1
            out.append(" ")
            i = j
            continue
        i += 1
    return i


def _interpolations(text: str) -> str:
    """The interpolations of template text (a heredoc's), space separated."""
    parts = []
    for match in re.finditer(r"(?<![$%])[$%]\{", text):
        depth, j = 1, match.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        parts.append(text[match.end() : j - 1])
    return " ".join(parts)


@dataclass(frozen=True)
class Reference:
    """One traversal: root (`var`, `local`, `module`, `data` or a resource type),
    its static steps (attribute names, index keys as written), and its text."""

    root: str
    steps: tuple[str, ...]

    @property
    def resource(self) -> tuple[str, str] | None:
        """(mode-qualified type, name) of a resource or data source reference."""
        if self.root == "data" and len(self.steps) >= 2:
            return f"data.{self.steps[0]}", self.steps[1]
        if _RESOURCE_TYPE.match(self.root) and self.steps:
            return self.root, self.steps[0]
        return None

    def attribute(self) -> str | None:
        """The attribute a resource reference reads (`aws_x.y[0].id` -> `id`)."""
        rest = [s for s in self.steps[self._head :] if not s.startswith("[")]
        return rest[0] if rest else None

    @property
    def _head(self) -> int:
        return 2 if self.root == "data" else 1

    def plan_form(self) -> list[str]:
        """As `configuration` in a plan records it: the traversal, then the
        resource instance and the resource (or module call) it belongs to."""
        forms = [self.root + "".join(s if s.startswith("[") else f".{s}" for s in self.steps)]
        if self.root == "module" or self.resource:
            base = ".".join([self.root, *self.steps[: self._head]])
            following = self.steps[self._head] if len(self.steps) > self._head else ""
            if following.startswith("["):
                forms.append(base + following)
            forms.append(base)
        return list(dict.fromkeys(forms))


def references(expression: str, iterators: frozenset[str] = frozenset()) -> list[Reference]:
    """The references of an expression, in order (for-expression and dynamic
    block iterators, and the names in `iterators`, left out)."""
    code = _code(expression)
    local_names = set(iterators)
    for match in _FOR_VARS.finditer(code):
        local_names.update(n for n in match.groups() if n)
    found = []
    for match in _IDENT.finditer(code):
        start = match.start()
        if start and (code[start - 1].isalnum() or code[start - 1] in "._-"):
            continue
        root = match.group()
        if root in _KEYWORDS or root in local_names:
            continue
        steps, i = [], match.end()
        while step := _STEP.match(code, i):
            if step.group(1) == "*" or step.group(2) == "*":
                break
            steps.append(step.group(1) if step.group(1) is not None else f"[{step.group(2)}]")
            i = step.end()
        if not steps or code[i:].lstrip().startswith("("):
            continue
        if root in _ROOTS or root in ("module", "data") or _RESOURCE_TYPE.match(root):
            found.append(Reference(root, tuple(steps)))
    return found


def calls(expression: str) -> set[str]:
    """The names of the functions an expression calls."""
    return set(re.findall(r"(?<![\w.])([a-z][\w:]*)\s*\(", _code(expression)))
