"""Input that is not a readable plan: one line on stderr, exit code 2, never a pass."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, smguard
from smguard.errors import InputError
from smguard.loaders import plan

BAD = FIXTURES / "bad-input"
CASES = json.loads((BAD / "expected.json").read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["input"])
def test_bad_input_is_exit_2_with_one_line(case):
    run = smguard("scan", str(BAD / case["input"]))
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("smguard: error: ")
    assert case["error_contains"] in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("engine", ["opa", "embedded", "conftest"])
def test_bad_input_fails_before_any_engine(engine):
    run = smguard("scan", str(BAD / "truncated.json"), "--engine", engine)
    assert run.code == 2
    assert "invalid JSON at line" in run.stderr


def test_usage_error_is_exit_2():
    run = smguard("scan")
    assert run.code == 2
    assert "usage:" in run.stderr


def test_binary_plan_without_terraform_says_what_to_do():
    run = smguard("scan", str(BAD / "zip-not-plan.tfplan"), env={"PATH": "/nonexistent"})
    assert run.code == 2
    assert "binary plan file and no terraform binary on PATH" in run.stderr
    assert "terraform show -json PLANFILE > plan.json" in run.stderr


def test_a_binary_plan_terraform_cannot_read_gives_terraforms_error_line():
    if shutil.which("terraform") is None:
        pytest.skip("no terraform binary on PATH")
    run = smguard("scan", str(BAD / "zip-not-plan.tfplan"))
    assert run.code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.endswith(
        "terraform show -json failed: Error: Failed to read the given file as a state or plan file"
    )
    assert "\x1b" not in line and "\u2575" not in line  # no colour codes, no box drawing


_PLAN = '{"format_version": "1.2", "resource_changes": '


def _nested(depth: int, leaf: str = '"x"') -> str:
    return "[" * depth + leaf + "]" * depth


def test_json_nested_200000_deep_is_exit_2_with_one_line(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"resource_changes": ' + _nested(200_000) + "}")
    run = smguard("scan", str(path))
    assert run.code == 2
    assert run.stderr.strip() == (
        f"smguard: error: {path}: JSON nested more than {plan.MAX_DEPTH} levels deep; "
        "not a Terraform plan"
    )


def test_a_plan_nested_deep_inside_a_change_is_refused_before_any_engine(tmp_path):
    change = '{"address": "aws_sagemaker_model.m", "type": "aws_sagemaker_model", "change": '
    path = tmp_path / "plan.json"
    path.write_text(_PLAN + "[" + change + '{"after": {"a": ' + _nested(5000) + "}}}]}")
    with pytest.raises(InputError, match=f"^{path}: JSON nested more than 200 levels deep"):
        plan.load(path)


def deep_plan(depth: int) -> dict:
    """A plan nested exactly depth levels: a SageMaker model whose `after`
    holds a list that deep, and modules in modules to nearly that depth."""
    value: object = "x"
    for _ in range(depth - 5):  # plan, resource_changes, the change, change, after
        value = [value]
    module: dict = {"resources": [{"address": "aws_sagemaker_model.m", "type": "x"}]}
    for _ in range((depth - 5) // 3):  # module_calls, the call, module
        module = {"module_calls": {"a": {"source": "./a", "module": module}}}
    after = {"enable_network_isolation": True, "execution_role_arn": "arn:aws:iam::1:role/r"}
    return {
        "format_version": "1.2",
        "resource_changes": [
            {
                "address": "aws_sagemaker_model.m",
                "mode": "managed",
                "type": "aws_sagemaker_model",
                "name": "m",
                "change": {"actions": ["create"], "after": {**after, "deep": value}},
            }
        ],
        "configuration": {"root_module": module},
    }


def _depth(value) -> int:
    members = value.values() if isinstance(value, dict) else value
    if isinstance(value, dict | list):
        return 1 + max((_depth(m) for m in members), default=0)
    return 0


def test_the_depth_limit_is_exact(tmp_path):
    path = tmp_path / "plan.json"
    for depth in (plan.MAX_DEPTH, plan.MAX_DEPTH + 1):
        document = deep_plan(depth)
        assert _depth(document) == depth
        path.write_text(json.dumps(document))
        if depth <= plan.MAX_DEPTH:
            assert plan.load(path).data == document
        else:
            with pytest.raises(InputError, match="nested more than"):
                plan.load(path)


@pytest.mark.parametrize("engine", ["opa", "embedded", "conftest"])
@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_every_engine_and_report_reads_the_deepest_plan_the_loader_accepts(engine, fmt, tmp_path):
    """The loader's depth limit leaves room for everything after it: engines
    (a JSON payload, a wasm module), reports, the graph."""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(deep_plan(plan.MAX_DEPTH)))
    run = smguard("scan", str(path), "--engine", engine, "--format", fmt)
    if engine == "embedded" and "run `make bundle`" in run.stderr:
        pytest.skip("the embedded module is older than the Rego sources")
    assert run.code == 1, run.stderr  # the model is in no VPC
    assert "Traceback" not in run.stderr
    graph = smguard("graph", str(path), "-o", str(tmp_path / "g.html"), "--engine", "opa")
    assert graph.code == 1, graph.stderr


TEXTS = [
    '{"format_version": "1.2", "resource_changes": [],}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {}},]}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {}} {}]}',
    '{"format_version": "1.2", "resource_changes": []} {}',
    '{"format_version": "1.2" "resource_changes": []}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {',
    "{1: 2}",
    '[{"format_version": "1.2"}]',
    "\ufeff\ufeff{}",
    _PLAN + '[], "configuration": {"root_module": {"resources": {"not": "a list"}}}}',
    _PLAN + '[], "configuration": {"root_module": {"module_calls": []}}}',
    _PLAN + '[], "configuration": {"root_module": {"resources": [7]}}}',
    _PLAN + '[], "configuration": {"root_module": {"resources": [{"type": 7}]}}}',
    _PLAN + '[], "configuration": {"root_module": {"module_calls": {"a": 1}}}}',
    _PLAN + '[], "configuration": "root_module"}',
    _PLAN + '{"address": "a"}}',
    _PLAN + '[{"address": 7, "type": "t", "change": {}}]}',
    _PLAN + '[{"address": "a", "type": "t", "change": {"actions": "create"}}]}',
    _PLAN + '[{"address": "a", "type": "t", "change": {"actions": [1]}}]}',
    _PLAN + '[{"address": "a", "type": "t", "change": {"before": []}}]}',
    _PLAN + '[{"address": "a", "type": "t", "mode": 1, "change": {}}]}',
    _PLAN + '[{"address": "a", "type": "t", "index": {}, "change": {}}]}',
    _PLAN + '[{"address": "a", "type": "t", "module_address": [], "change": {}}]}',
    _PLAN + '[{"type": "aws_s3_bucket"}]}',
    _PLAN + '[], "smguard_audit": {"unread": 5}}',
    _PLAN + '[], "smguard_audit": []}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_malformed_plans_are_one_input_error_naming_the_file(text, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        plan.load(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


def test_a_well_formed_plan_of_every_optional_shape_loads(tmp_path):
    text = (
        _PLAN + '[{"address": "a.b", "type": "a", "index": 0, "change": {"after": null}}], '
        '"configuration": {"root_module": {"module_calls": {"m": {"source": "./m"}}}}, '
        '"planned_values": {"x": 1}, "smguard_audit": {"unread": [{"part": "p"}]}}'
    )
    path = tmp_path / "plan.json"
    path.write_text("\ufeff" + text, encoding="utf-8")
    assert plan.load(path).data == json.loads(text)
