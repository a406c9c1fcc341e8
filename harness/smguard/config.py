"""The configuration file (`--config`): settings, per-rule options, exemptions.

YAML or JSON, validated against config.schema.json beside this file and
against the catalogue (rule ids must exist). The policies read it as
`data.smguard.config`; see policies/rego/smguard/lib/config.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import yaml

from smguard.errors import InputError

SCHEMA = Path(__file__).with_name("config.schema.json")


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: the policies compare them as text,
    and the schema's date format check then reports a bad date with its path."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def _validator():
    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def load(path: Path) -> dict:
    """Read and validate a configuration file; InputError names the offending path."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise InputError(f"{path}: no such configuration file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: cannot read configuration: {err}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader; YAML is a superset of JSON
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise InputError(
            f"{path}: invalid YAML/JSON{where}: {getattr(err, 'problem', err)}"
        ) from None
    return validate(data if data is not None else {}, path)


def validate(config: object, path: Path | str) -> dict:
    errors = sorted(_validator().iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = _json_path(first.absolute_path)
        raise InputError(f"{path}: invalid configuration at {where}: {first.message}")
    _check_rule_ids(config, path)
    return config


def _check_rule_ids(config: dict, path: Path | str) -> None:
    from smguard import catalogue

    known = {rule.id for rule in catalogue.load()}
    for rule_id in config.get("rules", {}):
        if rule_id not in known:
            raise InputError(f"{path}: invalid configuration at $.rules: unknown rule id {rule_id}")
    for i, exemption in enumerate(config.get("exemptions", [])):
        if exemption["rule"] not in known:
            raise InputError(
                f"{path}: invalid configuration at $.exemptions[{i}].rule: "
                f"unknown rule id {exemption['rule']}"
            )


def _json_path(parts) -> str:
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text
