"""Hostile input never crashes: the plan and source loaders fuzzed with Hypothesis.

Every input is either refused (exit 2, exactly one stderr line naming the file
or directory, nothing on stdout) or, when it is a readable plan or source, a
normal result (exit 0 or 1); never a traceback. Structural parts of a plan of
the wrong type (a resource change that is a list, `change.after` a string,
`after_unknown` a number, `configuration` a list, ...) are refused, never read
as "0 failed".

Most cases run in-process through `cli.main` with an engine that serialises
the payload as the real ones do and answers with an empty, complete report:
the loaders, `Document.for_engine`, findings and reports run for real, fast.
A smaller number run as a user runs them (a subprocess, a real engine), and
odd attribute values of valid plans go through the real OPA and embedded
engines. Case counts are in the `settings` of each test; derandomized, so a
failure repeats.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, plan_fixtures, smguard
from smguard import catalogue, cli, engines
from smguard.engines.base import Engine
from smguard.loaders import plan

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Small real plans to mutate (the largest fixtures make every case slower and
# find nothing more).
_SMALL = [p / "plan.json" for p in plan_fixtures() if (p / "plan.json").stat().st_size < 20_000]
SEEDS = [*sorted(_SMALL, key=str)[:25], FIXTURES / "audit-jobs" / "plan.json"]
SEED_BYTES = {path: path.read_bytes() for path in SEEDS}
SEED_PLANS = {path: json.loads(raw) for path, raw in SEED_BYTES.items()}
SOURCES = sorted(
    p
    for p in (*FIXTURES.glob("hcl-*/**/*.tf"), *FIXTURES.glob("source/**/*.tf"))
    if "missing-module" not in str(p)
)


class _Echo(Engine):
    """Serialises the payload as the OPA and conftest engines do, and answers
    that no rule found anything: every checked resource then passes."""

    name = "echo"

    def report(self, payload: dict, data: dict) -> dict:
        json.dumps(payload)
        json.dumps(data)
        return {
            "deny": [],
            "warn": [],
            "exempt": [],
            "exemption_problems": [],
            "loaded": [rule.package for rule in catalogue.load()],
            "missing": [],
            "uncatalogued": [],
        }


@contextlib.contextmanager
def _echo_engine() -> Iterator[None]:
    with mock.patch.object(engines, "get", lambda name=None: _Echo()):
        yield


# Building the argument parser takes half of a small scan's time; one serves every case.
_parser = functools.cache(cli._parser)


def _main(*argv: str) -> tuple[int, str, str]:
    """cli.main in-process: exit code, stdout, stderr. A crash fails the test
    with its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with (
        mock.patch.object(cli, "_parser", _parser),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = cli.main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _assert_refused_or_read(code: int, out: str, err: str, target: Path) -> None:
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"smguard: error: {target}"), lines[0]
        assert out == ""


def _scan(path: Path, data: bytes) -> tuple[int, str, str]:
    """A scan with the Markdown report, which also draws the resource graph
    (it follows the configuration's references)."""
    path.write_bytes(data)
    with _echo_engine():
        return _main("scan", str(path), "--format", "markdown")


def _plan_file(tmp_path_factory) -> Path:
    """One file every case of a test writes in turn (a folder per case costs
    more than the case)."""
    folder = tmp_path_factory.getbasetemp() / "fuzz"
    folder.mkdir(exist_ok=True)
    return folder / "plan.json"


# ---------------------------------------------------------------------------
# Strategies

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
_PLAN_KEYS = [
    "format_version", "resource_changes", "address", "type", "change", "actions", "after",
    "after_unknown", "before", "configuration", "root_module", "resources", "module_calls",
    "module", "expressions", "references", "mode", "name", "index", "smguard_audit", "unread",
    "smguard_version", "plan", "planned_values",
]  # fmt: skip
json_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(_PLAN_KEYS), st.text(max_size=8)), children, max_size=4
        ),
    ),
    max_leaves=25,
)


@st.composite
def mutated_bytes(draw) -> bytes:
    """A real plan's bytes, cut, with bytes flipped, inserted or removed."""
    raw = bytearray(SEED_BYTES[draw(st.sampled_from(SEEDS))])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(raw)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "structural"]))
        if kind == "flip" and at < len(raw):
            raw[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del raw[at : at + draw(st.integers(1, 64))]
        elif kind == "cut":
            del raw[at:]
        else:
            raw[at:at] = draw(st.sampled_from([b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\"]))
    return bytes(raw)


# Where a plan's parts sit, and what each may be: (path pattern, allowed types).
# "*" is any element of a list or member of an object.
_STRUCTURE = [
    (("resource_changes",), (list,)),
    (("resource_changes", "*"), (dict,)),
    (("resource_changes", "*", "address"), (str,)),
    (("resource_changes", "*", "type"), (str,)),
    (("resource_changes", "*", "mode"), (str,)),
    (("resource_changes", "*", "name"), (str,)),
    (("resource_changes", "*", "module_address"), (str,)),
    (("resource_changes", "*", "change"), (dict,)),
    (("resource_changes", "*", "change", "actions"), (list,)),
    (("resource_changes", "*", "change", "actions", "*"), (str,)),
    (("resource_changes", "*", "change", "after"), (dict, type(None))),
    (("resource_changes", "*", "change", "before"), (dict, type(None))),
    (("resource_changes", "*", "change", "after_unknown"), (dict,)),
    (("configuration",), (dict, type(None))),
    (("configuration", "root_module"), (dict,)),
    (("configuration", "root_module", "resources"), (list,)),
    (("configuration", "root_module", "resources", "*"), (dict,)),
    (("configuration", "root_module", "resources", "*", "address"), (str,)),
    (("configuration", "root_module", "resources", "*", "type"), (str,)),
    (("configuration", "root_module", "resources", "*", "expressions"), (dict,)),
    (("configuration", "root_module", "module_calls"), (dict,)),
    (("configuration", "root_module", "module_calls", "*"), (dict,)),
    (("configuration", "root_module", "module_calls", "*", "module"), (dict,)),
    (("smguard_audit",), (dict, type(None))),
    (("smguard_audit", "unread"), (list,)),
    (("smguard_audit", "unread", "*"), (dict,)),
]


def _places(data: object, pattern: tuple[str, ...], at: tuple = ()) -> list[tuple]:
    """The concrete paths in data that pattern names."""
    if not pattern:
        return [at]
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        keys = (
            range(len(data))
            if isinstance(data, list)
            else list(data)
            if isinstance(data, dict)
            else []
        )
    else:
        keys = [head] if isinstance(data, dict) and head in data else []
    return [p for k in keys for p in _places(data[k], rest, (*at, k))]


def _set(data: dict, path: tuple, value: object) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


_TYPED = {
    type(None): st.none(),
    bool: st.booleans(),
    int: st.integers(-(2**63), 2**63),
    float: st.floats(allow_nan=False, allow_infinity=False),
    str: st.text(max_size=20),
    list: st.lists(json_values, max_size=3),
    dict: st.dictionaries(st.sampled_from(_PLAN_KEYS), json_values, min_size=1, max_size=3),
}


def _wrong(types: tuple[type, ...]):
    """A JSON value of none of these types."""
    return st.one_of([strategy for kind, strategy in _TYPED.items() if kind not in types])


@functools.cache
def _structure(seed: Path) -> list[tuple[tuple, tuple[type, ...]]]:
    """Every structural part of a seed plan: (path, the types it may be)."""
    source = SEED_PLANS[seed]
    return [(p, types) for pattern, types in _STRUCTURE for p in _places(source, pattern)]


@functools.cache
def _every_place(seed: Path) -> list[tuple]:
    """The path of every value in a seed plan but the top level."""
    places: list[tuple] = []
    stack: list[tuple[object, tuple]] = [(SEED_PLANS[seed], ())]
    while stack:
        value, at = stack.pop()
        places.append(at)
        if isinstance(value, dict):
            stack += ((v, (*at, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack += ((v, (*at, i)) for i, v in enumerate(value))
    return places[1:]


@st.composite
def wrong_typed_plans(draw) -> tuple[dict, tuple]:
    """A real plan with one structural part replaced by a value of a wrong type."""
    seed = draw(st.sampled_from(SEEDS))
    path, types = draw(st.sampled_from(_structure(seed)))
    data = json.loads(SEED_BYTES[seed])
    _set(data, path, draw(_wrong(types)))
    return data, path


@st.composite
def anywhere_plans(draw) -> dict:
    """A real plan with any one value, at any depth, replaced by a random one."""
    seed = draw(st.sampled_from(SEEDS))
    data = json.loads(SEED_BYTES[seed])
    _set(data, draw(st.sampled_from(_every_place(seed))), draw(json_values))
    return data


# ---------------------------------------------------------------------------
# The plan loader, in-process


@settings(FUZZ, max_examples=500)
@given(data=mutated_bytes())
def test_mutated_plan_bytes(data, tmp_path_factory):
    path = _plan_file(tmp_path_factory)
    _assert_refused_or_read(*_scan(path, data), path)


@settings(FUZZ, max_examples=250)
@given(value=json_values)
def test_random_json_documents(value, tmp_path_factory):
    path = _plan_file(tmp_path_factory)
    for document in (value, {"format_version": "1.2", "resource_changes": value}):
        _assert_refused_or_read(*_scan(path, json.dumps(document).encode()), path)


@settings(FUZZ, max_examples=400)
@given(case=wrong_typed_plans())
def test_a_wrong_type_in_any_part_of_a_plan_is_refused(case, tmp_path_factory):
    data, where = case
    path = _plan_file(tmp_path_factory)
    code, out, err = _scan(path, json.dumps(data).encode())
    _assert_refused_or_read(code, out, err, path)
    assert code == 2, f"{where}: read as a plan: {err}"


@settings(FUZZ, max_examples=250)
@given(data=anywhere_plans())
def test_any_value_anywhere_in_a_plan_replaced(data, tmp_path_factory):
    path = _plan_file(tmp_path_factory)
    _assert_refused_or_read(*_scan(path, json.dumps(data).encode()), path)


@settings(FUZZ, max_examples=120)
@given(depth=st.integers(1, 3 * plan.MAX_DEPTH), at=st.integers(0, 3), leaf=json_values)
def test_deep_nesting_anywhere(depth, at, leaf, tmp_path_factory):
    """A list nested depth deep as a whole document, or in a plan's resource
    changes, in a change's after, or in a configuration expression."""
    nested = json.dumps(leaf)
    text = "[" * depth + nested + "]" * depth
    plan_ = '{"format_version": "1.2", "resource_changes": '
    change = '[{"address": "m.m", "type": "aws_sagemaker_model", "change": {"actions": ["create"], '
    block = '[], "configuration": {"root_module": {"resources": [{"address": "a.b", "type": "a", '
    prefix, closing, levels = [  # what comes before and after, and how deep it starts
        ("", "", 0),
        (plan_, "}", 1),
        (plan_ + change + '"after": {"a": ', "}}}]}", 5),
        (plan_ + block + '"expressions": {"x": ', "}}]}}}", 6),
    ][at]
    document = prefix + text + closing
    path = _plan_file(tmp_path_factory)
    code, out, err = _scan(path, document.encode())
    _assert_refused_or_read(code, out, err, path)
    total = levels + depth + _json_depth(leaf)
    if total > plan.MAX_DEPTH:
        assert code == 2 and "nested more than" in err, (total, err)


def _json_depth(value: object) -> int:
    if isinstance(value, dict | list):
        members = value.values() if isinstance(value, dict) else value
        return 1 + max((_json_depth(m) for m in members), default=0)
    return 0


_LOG_LINE = st.text(
    st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=60
).filter(lambda line: not line.lstrip(" \t").startswith(("{", "[")) and line.strip())


@settings(FUZZ, max_examples=80)
@given(lines=st.lists(_LOG_LINE, min_size=1, max_size=5), seed=st.sampled_from(SEEDS))
def test_log_lines_before_the_plan_json_are_named(lines, seed, tmp_path_factory):
    path = _plan_file(tmp_path_factory)
    data = ("\n".join(lines) + "\n").encode() + SEED_BYTES[seed]
    code, out, err = _scan(path, data)
    _assert_refused_or_read(code, out, err, path)
    assert code == 2
    assert "other output before the plan JSON" in err


# ---------------------------------------------------------------------------
# The source loader, in-process (tfparse)


@st.composite
def mutated_sources(draw) -> dict[str, bytes]:
    """A real .tf file with syntax broken, bytes flipped or binary inserted,
    and sometimes a second file of random bytes."""
    raw = bytearray(draw(st.sampled_from(SOURCES)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "syntax"]))
        if kind == "flip" and at < len(raw):
            raw[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "delete":
            del raw[at : at + draw(st.integers(1, 40))]
        elif kind == "cut":
            del raw[at:]
        else:
            token = [b"{", b"}", b"${", b'"', b"=", b"<<EOF\n", b"resource", b"(", b"#"]
            raw[at:at] = draw(st.sampled_from(token))
    files = {"main.tf": bytes(raw)}
    if draw(st.booleans()):
        files["other.tf"] = draw(st.binary(max_size=200))
    return files


def _write_source(directory: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir()
    for name, data in files.items():
        (directory / name).write_bytes(data)


def _scan_source(directory: Path, files: dict[str, bytes]) -> tuple[int, str, str]:
    _write_source(directory, files)
    with _echo_engine():
        return _main("scan", str(directory), "--format", "json")


@settings(FUZZ, max_examples=150)
@given(files=mutated_sources())
def test_mutated_terraform_source(files, tmp_path_factory):
    directory = _plan_file(tmp_path_factory).with_name("src")
    _assert_refused_or_read(*_scan_source(directory, files), directory)


_TYPE_TOKENS = [
    "string", "number", "bool", "any", "list", "map", "set", "tuple", "object", "optional",
    "(", ")", "[", "]", "{", "}", ",", "=", ":", "a", '"x"', "1", "var.x", '"string"', "null",
    "# c\n", "\n",
]  # fmt: skip


@settings(FUZZ, max_examples=120)
@given(tokens=st.lists(st.sampled_from(_TYPE_TOKENS), min_size=1, max_size=9))
def test_variable_type_constraints(tokens, tmp_path_factory):
    """tfparse ends the process on a type that is not one (a Go panic): the
    loader refuses those first, and reads every real one."""
    text = f'variable "v" {{\n  type = {" ".join(tokens)}\n}}\n'
    directory = _plan_file(tmp_path_factory).with_name("src")
    _assert_refused_or_read(*_scan_source(directory, {"main.tf": text.encode()}), directory)


# ---------------------------------------------------------------------------
# As a user runs it: a subprocess, a real engine


@settings(FUZZ, max_examples=8)
@given(data=st.one_of(mutated_bytes(), json_values.map(lambda v: json.dumps(v).encode())))
def test_plans_in_a_subprocess(data, tmp_path_factory):
    path = _plan_file(tmp_path_factory)
    path.write_bytes(data)
    run = smguard("scan", str(path), "--engine", "opa")
    _assert_refused_or_read(run.code, run.stdout, run.stderr, path)


@settings(FUZZ, max_examples=3)
@given(files=mutated_sources())
def test_sources_in_a_subprocess(files, tmp_path_factory):
    directory = _plan_file(tmp_path_factory).with_name("src")
    _write_source(directory, files)
    run = smguard("scan", str(directory), "--engine", "opa")
    _assert_refused_or_read(run.code, run.stdout, run.stderr, directory)


@st.composite
def odd_attribute_plans(draw) -> dict:
    """A valid plan whose SageMaker resources have random values (of any type)
    in the attributes the rules read, and random unknown marks."""
    candidates = [
        p for p in SEEDS if any(
            rc["type"].startswith("aws_sagemaker_") and isinstance(rc["change"].get("after"), dict)
            for rc in SEED_PLANS[p]["resource_changes"]
        )
    ]  # fmt: skip
    data = json.loads(SEED_BYTES[draw(st.sampled_from(candidates))])
    for rc in data["resource_changes"]:
        after = rc["change"].get("after")
        if not rc["type"].startswith("aws_sagemaker_") or not isinstance(after, dict):
            continue
        for key in draw(st.lists(st.sampled_from(sorted(after) or ["x"]), max_size=4)):
            after[key] = draw(json_values)
        for key in draw(st.lists(st.sampled_from(sorted(after) or ["x"]), max_size=2)):
            rc["change"]["after_unknown"][key] = draw(json_values)
    return data


@pytest.mark.parametrize("engine", ["opa", "embedded"])
def test_engines_on_odd_attribute_values(engine, tmp_path_factory):
    """Valid plans of odd values reach the engines: a verdict, or one line and exit 2."""
    path = _plan_file(tmp_path_factory)

    if engine == "embedded":
        from smguard import bundle
        from smguard.engines.embedded import bundle_dir
        from smguard.errors import EngineError

        try:
            bundle.check_fresh(bundle_dir())
        except EngineError as err:
            pytest.skip(str(err))

    @settings(FUZZ, max_examples=5)
    @given(data=odd_attribute_plans())
    def run(data):
        path.write_text(json.dumps(data))
        code, out, err = _main("scan", str(path), "--engine", engine)
        assert code in (0, 1, 2), err
        if code == 2:
            assert len(err.strip().splitlines()) == 1, err
            assert out == ""

    run()


def test_the_embedded_sprintf_writes_any_value_as_opa_does():
    """Found by the test above: a rule message that formats an attribute with
    %v failed on the embedded engine (exit 2) when the value was a list or an
    object, where OPA gives its verdict. The expected strings are OPA's."""
    from smguard.engines.embedded import sprintf

    assert sprintf("%v", [[1, "a", None, True, 1.5, {"k": [2]}]]) == (
        '[1, "a", null, true, 1.5, {"k": [2]}]'
    )
    assert sprintf("%v", [{"b": 1, "a": "x"}]) == '{"a": "x", "b": 1}'
    assert sprintf("%s and %v", [[1, "a"], None]) == '[1, "a"] and null'
