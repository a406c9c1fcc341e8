"""Where blocks and attributes are in one HCL file, and edits spliced into its text.

python-hcl2's Lark parser keeps the position of every node (it is built with
`propagate_positions`), so an edit replaces exactly the characters of one
value or inserts whole lines into one block: everything else in the file,
comments and heredocs included, is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lark import Token, Tree

from smguard.errors import InputError


@dataclass
class Attribute:
    name: str
    start: int  # the attribute's first character (its name)
    end: int  # just after its value
    value_start: int
    value_end: int
    line: int
    value: str  # the value's source text
    equals: int  # position of its `=`


@dataclass
class Block:
    kind: str
    labels: tuple[str, ...]
    start: int
    end: int
    lbrace: int  # position of `{`
    rbrace: int  # position of `}`
    line: int
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    items_end: int | None = None  # just after the last attribute or block of the body

    def children(self, kind: str, *labels: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind and b.labels[: len(labels)] == labels]


class HclFile:
    """One parsed .tf or .tfvars file: its blocks, and the edits planned on it."""

    def __init__(self, path: str, text: str) -> None:
        import hcl2
        from lark.exceptions import LarkError

        self.path = path
        self.text = text
        try:
            tree = hcl2.api.parses_to_tree(text)
        except (LarkError, ValueError) as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InputError(f"{path}: cannot parse: {first}") from None
        body = next(c for c in tree.children if isinstance(c, Tree) and c.data == "body")
        self.top = Block("", (), 0, len(text), -1, len(text), 1)
        self._fill(self.top, body)
        self._replacements: dict[tuple[int, int], str] = {}
        self._additions: dict[int, tuple[Block, _Addition]] = {}
        self._consumed: set[tuple[int, int]] = set()  # replacements inside a rewritten block

    # -- reading ------------------------------------------------------------
    def _fill(self, block: Block, body: Tree | None) -> None:
        if body is None:
            return
        for child in body.children:
            if not isinstance(child, Tree) or child.meta.empty:
                continue
            if child.data == "attribute":
                name_node, equals, value = child.children[:3]
                # An expression's node can end with the comment after it.
                end = max(
                    t.end_pos
                    for t in value.scan_values(lambda v: isinstance(v, Token))
                    if t.type != "NL_OR_COMMENT"
                )
                attribute = Attribute(
                    name=_name(name_node),
                    start=child.meta.start_pos,
                    end=end,
                    value_start=value.meta.start_pos,
                    value_end=end,
                    line=child.meta.line,
                    value=self.text[value.meta.start_pos : end],
                    equals=equals.end_pos - 1,
                )
                block.attributes.setdefault(attribute.name, attribute)
                block.items_end = child.meta.end_pos
            elif child.data == "block":
                block.blocks.append(self._block(child))
                block.items_end = child.meta.end_pos

    def _block(self, node: Tree) -> Block:
        kind = _name(node.children[0])
        labels, body, lbrace, rbrace = [], None, -1, -1
        for part in node.children[1:]:
            if isinstance(part, Token) and part.type == "LBRACE":
                lbrace = part.start_pos
            elif isinstance(part, Token) and part.type == "RBRACE":
                rbrace = part.start_pos
            elif isinstance(part, Tree) and part.data == "body":
                body = part
            elif lbrace < 0:
                labels.append(_name(part))
        block = Block(
            kind, tuple(labels), node.meta.start_pos, node.meta.end_pos, lbrace, rbrace,
            node.meta.line,
        )  # fmt: skip
        self._fill(block, body)
        return block

    def find(self, kind: str, *labels: str) -> Block | None:
        """The first top-level block of this kind whose labels start with `labels`."""
        found = self.top.children(kind, *labels)
        return found[0] if found else None

    def line_of(self, position: int) -> int:
        return self.text.count("\n", 0, position) + 1

    # -- planning edits -----------------------------------------------------
    def replace(self, attribute: Attribute, value: str) -> None:
        """Plan: the attribute's value becomes `value` (HCL source)."""
        self._replacements[(attribute.value_start, attribute.value_end)] = value

    def add(self, block: Block, path: tuple[str, ...], value: str) -> None:
        """Plan: `path` (nested block names, then an attribute) added to `block`."""
        _, addition = self._additions.setdefault(block.start, (block, _Addition()))
        for name in path[:-1]:
            addition = addition.blocks.setdefault(name, _Addition())
        addition.attributes[path[-1]] = value

    def changed(self) -> bool:
        return bool(self._replacements or self._additions)

    def reset(self) -> None:
        """Forget every planned edit."""
        self._replacements.clear()
        self._additions.clear()

    def render(self) -> str:
        """The text with every planned edit applied."""
        self._consumed.clear()
        splices = []
        for block, addition in self._additions.values():
            splices.extend(self._insertions(block, addition))
        splices += [
            (start, end, value)
            for (start, end), value in self._replacements.items()
            if (start, end) not in self._consumed
        ]
        text = self.text
        for start, end, value in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
            text = text[:start] + value + text[end:]
        return text

    def _insertions(self, block: Block, addition: _Addition) -> list[tuple[int, int, str]]:
        outer = self._indent_at(block.start) if block.kind else ""
        inner = self._inner_indent(block, outer)
        if block.kind and self.line_of(block.lbrace) == self.line_of(block.rbrace):
            # A one-line block (`{}` or `{ a = 1 }`): written out on lines of its own.
            items = [self._span(a.start, a.end) for a in block.attributes.values()]
            items += [self._span(b.start, b.end) for b in block.blocks]
            lines = [f"{inner}{item}" for item in items]
            lines += addition.lines(inner, blank_before_blocks=bool(items))
            return [(block.lbrace, block.rbrace + 1, "{\n" + "\n".join(lines) + f"\n{outer}}}")]
        splices = []
        if addition.attributes:
            last = max(block.attributes.values(), key=lambda a: a.end, default=None)
            if last is not None:
                at = self._after_line(last.end)
            elif block.kind:
                at = self._after_line(block.lbrace + 1)
            else:
                at = len(self.text)
            lines = self._attribute_lines(last, inner, addition.attributes)
            splices.append((at, at, _prefix_newline(self.text, at) + "\n".join(lines) + "\n"))
        if addition.blocks:
            at = self._after_line(block.items_end) if block.items_end is not None else None
            if at is None:
                at = self._after_line(block.lbrace + 1) if block.kind else len(self.text)
            blank = "\n" if block.items_end is not None else ""
            lines = _Addition(blocks=addition.blocks).lines(inner, blank_before_blocks=False)
            splices.append(
                (at, at, _prefix_newline(self.text, at) + blank + "\n".join(lines) + "\n")
            )
        return splices

    def _attribute_lines(self, last: Attribute | None, indent: str, new: dict[str, str]):
        """New attribute lines after `last`, aligned on its `=` as terraform fmt aligns a
        group of one-line attributes; one name too long for that starts a group of its
        own after a blank line, so that no line of the existing group changes."""
        width = max(map(len, new))
        if last is not None and "\n" not in self.text[last.start : last.end].rstrip("\n"):
            group = last.equals - last.start - 1
            if width <= group:
                width = group
            else:
                return ["", *(f"{indent}{n:<{width}} = {v}" for n, v in new.items())]
        return [f"{indent}{n:<{width}} = {v}" for n, v in new.items()]

    def _span(self, start: int, end: int) -> str:
        """The text from start to end with the replacements inside it (then consumed)."""
        text = self.text[start:end]
        inside = sorted(
            (k for k in self._replacements if start <= k[0] and k[1] <= end), reverse=True
        )
        for first, last in inside:
            text = text[: first - start] + self._replacements[(first, last)] + text[last - start :]
            self._consumed.add((first, last))
        return text

    def _after_line(self, position: int) -> int:
        """The start of the line after the one `position` ends (a heredoc ends with its newline)."""
        if position > 0 and self.text[position - 1] == "\n":
            return position
        newline = self.text.find("\n", position)
        return len(self.text) if newline < 0 else newline + 1

    def _indent_at(self, position: int) -> str:
        line_start = self.text.rfind("\n", 0, position) + 1
        prefix = self.text[line_start:position]
        return prefix if not prefix.strip() else ""

    def _inner_indent(self, block: Block, outer: str) -> str:
        items = [a.start for a in block.attributes.values()] + [b.start for b in block.blocks]
        for position in sorted(items):
            indent = self._indent_at(position)
            if indent or not block.kind:
                return indent
        return outer + "  " if block.kind else ""


@dataclass
class _Addition:
    attributes: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, _Addition] = field(default_factory=dict)

    def lines(self, indent: str, *, blank_before_blocks: bool) -> list[str]:
        width = max(map(len, self.attributes), default=0)
        lines = [f"{indent}{name:<{width}} = {value}" for name, value in self.attributes.items()]
        for name, nested in self.blocks.items():
            if lines or blank_before_blocks:
                lines.append("")
            lines.append(f"{indent}{name} {{")
            lines += nested.lines(indent + "  ", blank_before_blocks=False)
            lines.append(f"{indent}}}")
        return lines


def _prefix_newline(text: str, at: int) -> str:
    """A newline first when inserting after a last line that has none."""
    return "\n" if at == len(text) and text and not text.endswith("\n") else ""


def _name(node) -> str:
    """The text of an identifier, keyword or quoted label node."""
    if isinstance(node, Token):
        return str(node.value)
    parts = []
    for token in node.scan_values(lambda v: isinstance(v, Token)):
        if token.type not in ("DBLQUOTE",) and token.value != '"':
            parts.append(str(token.value))
    return "".join(parts)
