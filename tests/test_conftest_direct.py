"""The policies as users run them, with no smguard in between.

`conftest test PLAN -p policies/rego` (no --namespace flag) and `opa eval` on
the raw plan must give the same failures and warnings as the fixtures expect.
`conftest test main.tf` (conftest's HCL2 parse, fixtures/conftest-hcl/) gets a
plan's verdicts, and input that is neither is denied, never a silent pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TOOLS, plan_fixtures


def _expected(case, verdict: str) -> set[tuple[str, str]]:
    findings = json.loads((case / "expected.json").read_text())["findings"]
    return {(f["rule_id"], f["address"]) for f in findings if f["verdict"] == verdict}


def _data_args(case, tmp_path) -> list[str]:
    """A fixture's config.yaml, as the data document conftest and opa users pass."""
    config = case / "config.yaml"
    if not config.exists():
        return []
    from smguard import config as smguard_config

    data = tmp_path / "data"
    data.mkdir()
    document = {"smguard": {"config": smguard_config.load(config)}}
    (data / "smguard.json").write_text(json.dumps(document))
    return [str(data / "smguard.json")]


def _asserted(case) -> set[str]:
    return set(json.loads((case / "expected.json").read_text())["rules"])


def _awscc(case) -> set[str]:
    """AWSCC addresses the fixture has findings for: smguard's loaders map them
    to the AWS provider's shape, so a raw plan's rules do not see them."""
    findings = json.loads((case / "expected.json").read_text())["findings"]
    return {f["address"] for f in findings if ".awscc_" in f".{f['address']}"}


def _assert_awscc_named(case, results: list[dict]) -> None:
    notes = [r["msg"] for r in results if "rule_id" not in {**r, **r.get("metadata", {})}]
    assert all(" is not checked here: " in note for note in notes), notes
    assert _awscc(case) <= {note.split()[1] for note in notes}


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_conftest_without_flags(case, tmp_path):
    data = [a for path in _data_args(case, tmp_path) for a in ("--data", path)]
    result = subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", str(case / "plan.json"),
         "-p", str(REPO / "policies" / "rego"), *data],
        capture_output=True, text=True,
    )  # fmt: skip
    (output,) = json.loads(result.stdout)
    assert output["namespace"] == "main"
    assert result.returncode == (1 if output.get("failures") else 0), result.stderr
    if _awscc(case):
        _assert_awscc_named(case, output.get("warnings") or [])
        return
    rules = _asserted(case)
    expected_by_key = {"failures": _expected(case, "fail"), "warnings": _expected(case, "warn")}
    for key, expected in expected_by_key.items():
        results = output.get(key) or []
        got = {(r["metadata"]["rule_id"], r["metadata"]["address"]) for r in results}
        assert {g for g in got if g[0] in rules} == expected, key
        for r in results:
            # what conftest prints: rule id, address, then the problem
            assert r["msg"].startswith(f"{r['metadata']['rule_id']} {r['metadata']['address']}: ")


@pytest.mark.parametrize("case", plan_fixtures(), ids=lambda p: p.name)
def test_opa_eval_on_the_raw_plan(case, tmp_path):
    data = [a for path in _data_args(case, tmp_path) for a in ("-d", path)]
    result = subprocess.run(
        [str(TOOLS / "opa"), "eval", "-f", "json", "--strict-builtin-errors", *data,
         "-d", str(REPO / "policies" / "rego"), "-i", str(case / "plan.json"),
         "data.smguard.main.report"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(result.stdout)["result"][0]["expressions"][0]["value"]
    assert report["missing"] == [] and report["uncatalogued"] == []
    if _awscc(case):
        _assert_awscc_named(case, report["warn"])
        return
    rules = _asserted(case)
    for key, verdict in (("deny", "fail"), ("warn", "warn")):
        got = {(f["rule_id"], f["address"]) for f in report[key] if f["rule_id"] in rules}
        assert got == _expected(case, verdict), key


def _conftest(*flags: str) -> subprocess.CompletedProcess:
    plan = REPO / "fixtures" / "model-isolation-disabled" / "plan.json"
    return subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", str(plan),
         "-p", str(REPO / "policies" / "rego"), *flags],
        capture_output=True, text=True,
    )  # fmt: skip


def test_namespaces_as_the_readme_says():
    """README "Using the policies with conftest": package main by default,
    --namespace smguard.main the same findings, --all-namespaces refused."""
    default, entry = _conftest(), _conftest("--namespace", "smguard.main")
    failures = {}
    for run, namespace in ((default, "main"), (entry, "smguard.main")):
        assert run.returncode == 1, run.stderr
        (output,) = json.loads(run.stdout)
        assert output["namespace"] == namespace
        failures[namespace] = sorted(f["msg"] for f in output["failures"])
    assert failures["main"] == failures["smguard.main"]
    assert failures["main"][0].startswith("SMG-MODEL-001 aws_sagemaker_model.")

    for flags in (
        ["--all-namespaces"],
        ["--namespace", "smguard.rules.model.model_network_isolation"],
    ):
        run = _conftest(*flags)
        assert run.returncode == 1 and run.stdout == ""
        assert '"msg" field must be present and a string' in run.stderr


# --- conftest on Terraform source, and on input that is not a plan ---------

HCL = REPO / "fixtures" / "conftest-hcl"
SOURCE_CASES = sorted(p.parent for p in HCL.glob("*/main.tf"))
NOT_A_PLAN = sorted((HCL / "not-a-plan").iterdir())


def _conftest_test(*paths, flags: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    result = subprocess.run(
        [str(TOOLS / "conftest"), "test", "--no-color", "-o", "json", *map(str, paths),
         "-p", str(REPO / "policies" / "rego"), *flags],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def _by_rule(results: list[dict] | None) -> set[tuple[str, str]]:
    return {
        (r["metadata"]["rule_id"], r["metadata"]["address"])
        for r in results or []
        if "rule_id" in r.get("metadata", {})
    }


def _notes(results: list[dict] | None) -> list[str]:
    return [r["msg"] for r in results or [] if "rule_id" not in r.get("metadata", {})]


@pytest.mark.parametrize("case", SOURCE_CASES, ids=lambda p: p.name)
def test_conftest_on_terraform_source(case):
    """`conftest test main.tf`: conftest's HCL2 parse gets a plan's verdicts,
    literal values only; exactly the expected failures and warnings."""
    code, (output,) = _conftest_test(case / "main.tf")
    expected = json.loads((case / "expected.json").read_text())
    assert output["namespace"] == "main"
    failures, warnings = output.get("failures") or [], output.get("warnings") or []
    assert code == (1 if failures else 0)
    rules = _asserted(case)
    assert {f for f in _by_rule(failures) if f[0] in rules} == _expected(case, "fail")
    assert {w for w in _by_rule(warnings) if w[0] in rules} == _expected(case, "warn")
    assert _notes(failures) == []
    notes = _notes(warnings)
    assert len(notes) == len(expected["notes"]), notes
    for note in expected["notes"]:
        assert [n for n in notes if note in n], (note, notes)


@pytest.mark.parametrize(
    "case", [c for c in SOURCE_CASES if c.name != "module-call"], ids=lambda p: p.name
)
def test_conftest_on_source_agrees_with_smguard_scan(case):
    """The same source through smguard's own loader: the same failures and warnings."""
    result = subprocess.run(
        [sys.executable, "-m", "smguard.cli", "scan", str(case), "--engine", "opa",
         "--format", "json"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert result.returncode in (0, 1), result.stderr
    findings = [f for f in json.loads(result.stdout)["findings"] if f["rule_id"] in _asserted(case)]
    for verdict in ("fail", "warn"):
        scanned = {(f["rule_id"], f["address"]) for f in findings if f["verdict"] == verdict}
        assert scanned == _expected(case, verdict), verdict


def test_conftest_combine_resolves_references_across_files():
    """Each file alone: the notebook's subnet and security group are declared in
    another file, so they are unverified, and terraform.tfvars is not a plan.
    With --combine the references resolve and the variable values are left out."""
    folder = HCL / "split-files"
    code, outputs = _conftest_test(folder)
    assert code == 1
    by_file = {Path(o["filename"]).name: o for o in outputs}
    notebook_rules = {f"SMG-NOTEBOOK-00{n}" for n in range(1, 5)}
    warned = _by_rule(by_file["notebook.tf"].get("warnings"))
    assert {w for w in warned if w[0] in notebook_rules} == {
        ("SMG-NOTEBOOK-002", "aws_sagemaker_notebook_instance.research")
    }
    (tfvars,) = by_file["terraform.tfvars"]["failures"]
    assert "is not a Terraform plan" in tfvars["msg"]
    _, (combined,) = _conftest_test(folder, flags=("--combine",))
    reported = _by_rule(combined.get("failures")) | _by_rule(combined.get("warnings"))
    assert {r for r in reported if r[0] in notebook_rules} == set()
    assert _notes(combined.get("failures")) == _notes(combined.get("warnings")) == []


@pytest.mark.parametrize("flags", [(), ("--namespace", "smguard.main")], ids=["main", "entry"])
@pytest.mark.parametrize("path", NOT_A_PLAN, ids=lambda p: p.name)
def test_input_that_is_not_a_plan_is_denied(path, flags):
    """A state file, `terraform show -json` of a state, other JSON or YAML:
    one failure saying what the policies read and how to get it."""
    code, (output,) = _conftest_test(path, flags=flags)
    assert code == 1
    (failure,) = output["failures"]
    assert "rule_id" not in failure["metadata"]
    assert "is not a Terraform plan" in failure["msg"]
    assert "terraform show -json" in failure["msg"] and "smguard scan DIR" in failure["msg"]


def test_opa_eval_denies_input_that_is_not_a_plan():
    state = HCL / "not-a-plan" / "show-state.json"
    result = subprocess.run(
        [str(TOOLS / "opa"), "eval", "-f", "json", "-d", str(REPO / "policies" / "rego"),
         "-i", str(state), "data.smguard.main.deny"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    (denied,) = json.loads(result.stdout)["result"][0]["expressions"][0]["value"]
    assert "is not a Terraform plan" in denied["msg"]
