"""A broken policy bundle is exit 2 on every engine, never a clean report.

Each test copies the policies, breaks the copy in one way, and scans a plan
that has failures with SMGUARD_POLICY_DIR pointing at the copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ENGINES, REPO, smguard

PLAN = REPO / "fixtures" / "real-model-isolation-disabled" / "plan.json"
RULES = Path("rego/smguard/rules")


@pytest.fixture
def policies(tmp_path) -> Path:
    copy = tmp_path / "policies"
    shutil.copytree(REPO / "policies", copy, ignore=shutil.ignore_patterns("*_test.rego"))
    return copy


def _scan(policies: Path, engine: str):
    return smguard("scan", str(PLAN), "--engine", engine, env={"SMGUARD_POLICY_DIR": str(policies)})


def _assert_engine_error(run, *needles: str):
    assert run.code == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert str(PLAN) not in run.stderr, "the error must be about the policies, not the input"
    for needle in needles:
        assert needle in run.stderr


def test_the_unbroken_copy_scans(policies):
    for engine in ("opa", "conftest"):
        assert _scan(policies, engine).code == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_rule_package_in_the_wrong_namespace(policies, engine):
    rule = policies / RULES / "model" / "model_vpc_config" / "rule.rego"
    rule.write_text(
        rule.read_text().replace(
            "package smguard.rules.model.model_vpc_config", "package smguard.model_vpc_config"
        )
    )
    # The harness reads METADATA from files, so the rule still appears catalogued.
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_rule_file_removed(policies, engine):
    (policies / RULES / "model" / "model_vpc_config" / "rule.rego").unlink()
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


def test_opa_names_the_rule_that_did_not_load(policies):
    (policies / RULES / "model" / "model_vpc_config" / "rule.rego").unlink()
    _assert_engine_error(_scan(policies, "opa"), "not loaded: model_vpc_config")


@pytest.mark.parametrize("engine", ("opa", "conftest"))
def test_rule_that_errors_at_evaluation(policies, engine):
    rule = policies / RULES / "model" / "model_network_isolation" / "rule.rego"
    rule.write_text(
        rule.read_text()
        + '\ndeny contains plan.result(rc, sprintf("%v", [to_number("not a number")])) if {\n'
        + '\tsome rc in plan.resources("aws_sagemaker_model")\n}\n'
    )
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_rule_with_syntax_error(policies, engine):
    rule = policies / RULES / "domain" / "domain_vpc_only" / "rule.rego"
    rule.write_text(rule.read_text() + "\ndeny contains if {\n")
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_catalogue_missing(policies, engine):
    (policies / "rego" / "smguard" / "catalogue" / "catalogue.rego").unlink()
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_entry_package_missing(policies, engine):
    (policies / "rego" / "smguard" / "main" / "main.rego").unlink()
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_uncatalogued_rule(policies, engine):
    source = policies / RULES / "domain" / "domain_vpc_only"
    extra = policies / RULES / "domain" / "domain_extra"
    shutil.copytree(source, extra)
    rule = extra / "rule.rego"
    rule.write_text(
        rule.read_text()
        .replace("domain_vpc_only", "domain_extra")
        .replace("SMG-DOMAIN-001", "SMG-DOMAIN-099")
    )
    _assert_engine_error(_scan(policies, engine), "smguard: error:")


@pytest.mark.parametrize("engine", ENGINES)
def test_no_policies_at_all(tmp_path, engine):
    (tmp_path / "rego").mkdir()
    _assert_engine_error(
        smguard("scan", str(PLAN), "--engine", engine, env={"SMGUARD_POLICY_DIR": str(tmp_path)}),
        "smguard: error:",
    )


def test_embedded_refuses_a_module_built_from_other_sources(policies):
    rule = policies / RULES / "model" / "model_network_isolation" / "rule.rego"
    rule.write_text(rule.read_text() + "\n# a change the wasm module was not built from\n")
    _assert_engine_error(_scan(policies, "embedded"), "older than the Rego sources")


def test_opa_binary_missing():
    run = smguard("scan", str(PLAN), "--engine", "opa", env={"SMGUARD_OPA": "/nonexistent/opa"})
    _assert_engine_error(run, "opa")
