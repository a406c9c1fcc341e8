"""Blocks and attributes of one Terraform JSON file (*.tf.json, *.tfvars.json), edited
structurally: the file is read with `json`, changed as data and written back with
the indentation it had, keys in their order. A file that `json.dumps` would not
write back byte for byte (compact arrays, other spacing) is not edited: that
would touch lines no fix changes.
"""

from __future__ import annotations

import copy
import json
import re

from smguard.errors import InputError

_INDENT = re.compile(r"^([ \t]+)\S", re.MULTILINE)


class JsonFile:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        try:
            self.data = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(f"{path}: cannot parse: {err}") from None
        if not isinstance(self.data, dict):
            raise InputError(f"{path}: cannot parse: the top level is not an object")
        match = _INDENT.search(text)
        self.indent = match.group(1) if match else "  "
        self.edited = copy.deepcopy(self.data)
        self._changed = False

    def round_trips(self) -> bool:
        """Whether json.dumps writes the unedited data back byte for byte."""
        return self._dump(self.data) == self.text

    def _dump(self, data) -> str:
        newline = "\n" if self.text.endswith("\n") else ""
        return json.dumps(data, indent=self.indent, ensure_ascii=False) + newline

    def find(self, *keys: str) -> tuple[dict, list] | None:
        """The first object at `keys` (`resource`, type, name; `variable`, name; …),
        through the list form too, with the path of keys and indexes to it."""
        node, path = self.data, []
        for key in keys:
            node, path = _first_object(node, path)
            if node is None or key not in node:
                return None
            node, path = node[key], [*path, key]
        node, path = _first_object(node, path)
        return None if node is None else (node, path)

    @staticmethod
    def nested(found: tuple[dict, list], name: str) -> tuple[dict, list] | None:
        obj, path = found
        if name not in obj:
            return None
        node, inner = _first_object(obj[name], [*path, name])
        return None if node is None else (node, inner)

    def set(self, keys: list, value) -> None:
        """Plan: the value at `keys` (missing objects created on the way) becomes `value`."""
        node = self.edited
        for key in keys[:-1]:
            if isinstance(node, dict) and key not in node:
                node[key] = {}
            node = node[key]
        node[keys[-1]] = value
        self._changed = True

    def changed(self) -> bool:
        return self._changed

    def reset(self) -> None:
        """Forget every planned edit."""
        self.edited = copy.deepcopy(self.data)
        self._changed = False

    def render(self) -> str:
        return self._dump(self.edited) if self._changed else self.text


def _first_object(node, path: list) -> tuple[dict | None, list]:
    if isinstance(node, dict):
        return node, path
    if isinstance(node, list) and node and isinstance(node[0], dict):
        return node[0], [*path, 0]
    return None, path
