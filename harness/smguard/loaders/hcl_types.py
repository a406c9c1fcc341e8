"""Whether a variable's `type = …` is a type constraint Terraform accepts.

tfparse 0.6.22 ends the process with a Go panic (SIGSEGV, exit 134) on a
variable whose type is not a type (`type = strin`, `type = "abc"`, a top-level
`optional(…)`), so the source loader checks every variable's type first and
refuses one that is not, on one line. The grammar is Terraform's: the
primitive types and `any`, the collection and structural constructors,
`optional(T)` and `optional(T, default)` as object attributes, and the
legacy forms tfparse also reads (bare `list` and `map`, not `set`; quoted
`"string"`, `"list"`, `"map"`).
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r'\s*(?:#[^\n]*|//[^\n]*|/\*.*?\*/|([A-Za-z_][\w-]*|"(?:[^"\\]|\\.)*"|\S))', re.DOTALL
)
_PRIMITIVES = {"string", "number", "bool", "any", '"string"', '"list"', '"map"'}
_COLLECTIONS = {"list", "set", "map"}
_OPENING, _CLOSING = "([{", ")]}"


class _NotAType(Exception):
    pass


def is_type(expression: str) -> bool:
    """True when expression is a type constraint."""
    tokens = [m.group(1) for m in _TOKEN.finditer(expression) if m.group(1)]
    reader = _Reader(tokens)
    try:
        reader.type()
        return reader.at_end()
    except _NotAType:
        return False


class _Reader:
    def __init__(self, tokens: list[str]):
        self.tokens, self.i = tokens, 0

    def at_end(self) -> bool:
        return self.i == len(self.tokens)

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, *wanted: str) -> str:
        token = self.peek()
        if token is None or (wanted and token not in wanted):
            raise _NotAType
        self.i += 1
        return token

    def type(self) -> None:
        token = self.take()
        if token in _PRIMITIVES:
            return
        if token in _COLLECTIONS:
            if token == "set" or self.peek() == "(":
                self.take("(")
                self.type()
                self.take(")")
        elif token == "tuple":
            self.take("(")
            self.take("[")
            self._members("]", self.type)
            self.take(")")
        elif token == "object":
            self.take("(")
            self.take("{")
            self._members("}", self._attribute)
            self.take(")")
        else:
            raise _NotAType

    def _members(self, closing: str, member) -> None:
        while self.peek() != closing:
            member()
            if self.peek() == ",":
                self.take(",")
        self.take(closing)

    def _attribute(self) -> None:
        name = self.take()
        if not (name[0].isalpha() or name[0] in '_"'):
            raise _NotAType
        self.take("=", ":")
        if self.peek() != "optional":
            self.type()
            return
        self.take("optional")
        self.take("(")
        self.type()
        if self.peek() == ",":
            self.take(",")
            self._skip_default()
        self.take(")")

    def _skip_default(self) -> None:
        """Past an optional attribute's default value, to its closing `)`."""
        depth = 0
        while depth or self.peek() != ")":
            token = self.take()
            depth += (token in _OPENING) - (token in _CLOSING)
            if depth < 0:
                raise _NotAType
