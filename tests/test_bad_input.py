"""Input that is not a readable plan: one line on stderr, exit code 2, never a pass."""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, smguard

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


# A plan whose planned_values value follows
_PLANNED = '{"format_version": "1.2", "resource_changes": [], "planned_values": '

# A plan whose configuration value follows
_CONFIGURED = '{"format_version": "1.2", "resource_changes": [], "configuration": '

TEXTS = [
    '{"format_version": "1.2", "resource_changes": [],}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {}},]}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {}} {}]}',
    '{"format_version": "1.2", "resource_changes": []} {}',
    '{"format_version": "1.2" "resource_changes": []}',
    '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {',
    "{1: 2}",
    '[{"format_version": "1.2"}]',
    '\ufeff{"format_version": "1.2", "resource_changes": [], "planned_values": {"x": 1}}',
    # planned_values is read a member at a time and dropped: still checked throughout
    _PLANNED + '{"a": [{"b": [1, {}]}], "c": {}}}',
    _PLANNED + '{"a": [{"b": [1,]}]}}',
    _PLANNED + '{"a": [1 2]}}',
    _PLANNED + '{"a" 1}}',
    _PLANNED + '{"a": [], }}',
    _PLANNED + '{"a": {"b": {"c": {"d": [1, 2',
    _PLANNED + '{"a": {"b": {"c": {"d": {"e": [1,]}}}}}}',
    '{"format_version": "1.2", "resource_changes": [], "prior_state": {}, "planned_values": []}',
    '{"format_version": "1.2", "resource_changes": [], "resource_drift": [{"a": 1}]}',
    # configuration: resource blocks of other types are left out, modules followed
    _CONFIGURED
    + '{"provider_config": {"aws": {}}, "root_module": {"resources": ['
    + '{"type": "aws_s3_bucket", "address": "aws_s3_bucket.b"}, '
    + '{"type": "aws_sagemaker_model", "address": "aws_sagemaker_model.m"}, 7], '
    + '"module_calls": {"a": {"source": "./a", "module": {"resources": '
    + '[{"type": "aws_vpc"}, {"type": "aws_sagemaker_domain"}], "module_calls": '
    + '{"b": {"module": {"resources": [{"type": "aws_subnet"}]}}}}}, "c": 3}}}}',
    _CONFIGURED + '{"root_module": {"resources": {"not": "a list"}, "module_calls": []}}}',
    _CONFIGURED + '{"root_module": {"resources": [{"type": "aws_vpc"},]}}}',
    _CONFIGURED + "[]}",
    '{"format_version": "1.2", "resource_changes": [{"address": 7, "change": {}}]}',
    '{"format_version": "1.2", "resource_changes": [{"type": "aws_s3_bucket"}]}',
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_lean_load_reads_and_refuses_what_the_whole_load_does(text, tmp_path):
    """`smguard scan` reads plans lean, the graph whole: the same one-line error,
    or the same document less what lean leaves out."""
    from smguard.errors import InputError
    from smguard.loaders import plan

    def sagemaker(resource_type: str) -> bool:
        return resource_type.startswith("aws_sagemaker_")

    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    outcomes = []
    for keep in (None, sagemaker):
        try:
            outcomes.append(plan.load(path, keep).data)
        except InputError as err:
            outcomes.append(str(err))
    whole, lean = outcomes
    if not isinstance(whole, dict):
        assert lean == whole
        return
    expected = dict(whole)
    expected["resource_changes"] = [
        rc for rc in whole["resource_changes"] if sagemaker(str(rc.get("type")))
    ]
    for unread in ("planned_values", "prior_state", "resource_drift", "relevant_attributes"):
        if isinstance(whole.get(unread), dict | list):
            expected[unread] = type(whole[unread])()
    configuration = whole.get("configuration")
    if isinstance(configuration, dict) and "root_module" in configuration:
        root = _kept_module(configuration["root_module"], sagemaker)
        expected["configuration"] = {**configuration, "root_module": root}
    assert lean == expected


def _kept_module(module, keep):
    """A configuration module without the resource blocks of types keep refuses."""
    if not isinstance(module, dict):
        return module
    kept = dict(module)
    if isinstance(module.get("resources"), list):
        kept["resources"] = [
            r for r in module["resources"] if not isinstance(r, dict) or keep(str(r.get("type")))
        ]
    if isinstance(module.get("module_calls"), dict):
        kept["module_calls"] = {
            name: {**call, "module": _kept_module(call["module"], keep)}
            if isinstance(call, dict) and "module" in call
            else call
            for name, call in module["module_calls"].items()
        }
    return kept
