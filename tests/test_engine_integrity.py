"""A broken policy bundle is exit 2 on every engine, never a clean report.

Each test copies the policies, breaks the copy in one way, and scans a plan
that has failures with SMGUARD_POLICY_DIR pointing at the copy. For the
embedded engine the wasm module is built from the broken copy too, so that its
own report checks are exercised, not only the staleness check.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, TOOLS, smguard

PLAN = REPO / "fixtures" / "real-model-isolation-disabled" / "plan.json"
RULES = Path("rego/smguard/rules")


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "policies"
    shutil.copytree(REPO / "policies", copy, ignore=shutil.ignore_patterns("*_test.rego"))
    return copy


def _scan(policies: Path, engine: str, bundle: Path | None = None):
    env = {"SMGUARD_POLICY_DIR": str(policies)}
    if bundle:
        env["SMGUARD_BUNDLE_DIR"] = str(bundle)
    return smguard("scan", str(PLAN), "--engine", engine, env=env)


def _build_module(policies: Path, out: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "smguard.bundle", str(TOOLS / "opa"), str(out)],
        env={"SMGUARD_POLICY_DIR": str(policies), "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )


def _assert_engine_error(run, needle: str):
    assert run.code == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert run.stderr.startswith("smguard: error: ")
    assert needle in run.stderr


def _wrong_namespace(p: Path) -> None:
    rule = p / RULES / "model" / "model_vpc_config" / "rule.rego"
    rule.write_text(
        rule.read_text().replace(
            "package smguard.rules.model.model_vpc_config", "package smguard.model_vpc_config"
        )
    )


def _rule_removed(p: Path) -> None:
    (p / RULES / "model" / "model_vpc_config" / "rule.rego").unlink()


def _catalogue_removed(p: Path) -> None:
    (p / "rego" / "smguard" / "catalogue" / "catalogue.rego").unlink()


def _uncatalogued_rule(p: Path) -> None:
    extra = p / RULES / "domain" / "domain_extra"
    shutil.copytree(p / RULES / "domain" / "domain_vpc_only", extra)
    rule = extra / "rule.rego"
    rule.write_text(
        rule.read_text()
        .replace("domain_vpc_only", "domain_extra")
        .replace("SMG-DOMAIN-001", "SMG-DOMAIN-099")
    )


def _rule_errors(p: Path) -> None:
    rule = p / RULES / "model" / "model_network_isolation" / "rule.rego"
    rule.write_text(
        rule.read_text()
        + '\ndeny contains plan.result(rc, sprintf("%v", [to_number("not a number")])) if {\n'
        + '\tsome rc in plan.resources("aws_sagemaker_model")\n}\n'
    )


def _syntax_error(p: Path) -> None:
    rule = p / RULES / "domain" / "domain_vpc_only" / "rule.rego"
    rule.write_text(rule.read_text() + "\ndeny contains if {\n")


def _report_key_renamed(p: Path) -> None:
    main = p / "rego" / "smguard" / "main" / "main.rego"
    main.write_text(main.read_text().replace('"warn": warn,', '"warnings": warn,'))


def _finding_without_message(p: Path) -> None:
    main = p / "rego" / "smguard" / "main" / "main.rego"
    main.write_text(main.read_text().replace('"rule_id": entry.id,', '"rule_ids": entry.id,'))


def _entry_removed(p: Path) -> None:
    (p / "rego" / "smguard" / "main" / "main.rego").unlink()


RENAMED = "malformed report at the report: must contain ['warn'] properties"

# breakage, engine, what the one-line error must say
CASES = [
    (_wrong_namespace, "opa", "package must be smguard.rules.<family>.<rule>"),
    (_wrong_namespace, "conftest", "package must be smguard.rules.<family>.<rule>"),
    (_rule_removed, "opa", "not loaded: model_vpc_config"),
    (_rule_removed, "embedded", "not loaded: model_vpc_config"),
    (_rule_removed, "conftest", "not loaded: model_vpc_config"),
    (_catalogue_removed, "opa", "data.smguard.main.report is undefined"),
    (_catalogue_removed, "embedded", "smguard/main/report is undefined"),
    (_catalogue_removed, "conftest", "data.smguard.main.report is undefined"),
    (_uncatalogued_rule, "opa", "not catalogued: domain_extra"),
    (_uncatalogued_rule, "embedded", "not catalogued: domain_extra"),
    (_uncatalogued_rule, "conftest", "not catalogued: domain_extra"),
    (_rule_errors, "opa", "to_number"),
    (_rule_errors, "conftest", "to_number"),
    (_syntax_error, "opa", "unexpected if keyword"),
    (_syntax_error, "conftest", "loading policies"),
    (_report_key_renamed, "opa", RENAMED),
    (_report_key_renamed, "embedded", RENAMED),
    (_report_key_renamed, "conftest", RENAMED),
    (_finding_without_message, "opa", "malformed report at deny/0"),
    (_finding_without_message, "embedded", "malformed report at deny/0"),
    (_finding_without_message, "conftest", "malformed report at deny/0"),
    (_entry_removed, "opa", "data.smguard.main.report is undefined"),
    (_entry_removed, "conftest", "data.smguard.main.report is undefined"),
]


@pytest.mark.parametrize(
    ("breakage", "engine", "needle"), CASES, ids=lambda v: getattr(v, "__name__", str(v))[:40]
)
def test_broken_bundle_is_an_engine_error(tmp_path, breakage, engine, needle):
    policies = _copy(tmp_path)
    breakage(policies)
    bundle = None
    if engine == "embedded":
        bundle = tmp_path / "bundle"
        _build_module(policies, bundle)
    _assert_engine_error(_scan(policies, engine, bundle), needle)


@pytest.mark.xfail(
    strict=True,
    reason="OPA's wasm target has no strict builtin errors: a builtin error is undefined. "
    "The opa and conftest engines (and every fixture on all engines) guard against it.",
)
def test_embedded_reports_a_rule_that_errors(tmp_path):
    policies = _copy(tmp_path)
    _rule_errors(policies)
    _build_module(policies, tmp_path / "bundle")
    assert _scan(policies, "embedded", tmp_path / "bundle").code == 2


def test_unbroken_copy_scans_on_every_engine(tmp_path):
    policies = _copy(tmp_path)
    _build_module(policies, tmp_path / "bundle")
    for engine in ("opa", "embedded", "conftest"):
        assert _scan(policies, engine, tmp_path / "bundle").code == 1


@pytest.mark.parametrize("engine", ["opa", "embedded", "conftest"])
def test_no_policies_at_all(tmp_path, engine):
    (tmp_path / "rego").mkdir()
    run = smguard("scan", str(PLAN), "--engine", engine, env={"SMGUARD_POLICY_DIR": str(tmp_path)})
    assert run.code == 2
    assert run.stderr.startswith("smguard: error: ")


def test_embedded_refuses_a_module_built_from_other_sources(tmp_path):
    policies = _copy(tmp_path)
    rule = policies / RULES / "model" / "model_network_isolation" / "rule.rego"
    rule.write_text(rule.read_text() + "\n# a change the wasm module was not built from\n")
    _assert_engine_error(_scan(policies, "embedded"), "older than the Rego sources")


def test_embedded_refuses_a_missing_module(tmp_path):
    run = smguard(
        "scan", str(PLAN), "--engine", "embedded", env={"SMGUARD_BUNDLE_DIR": str(tmp_path)}
    )
    _assert_engine_error(run, "policy module not built (run `make bundle`)")


@pytest.mark.parametrize("engine", ["opa", "conftest"])
def test_tool_binary_missing(engine):
    run = smguard(
        "scan",
        str(PLAN),
        "--engine",
        engine,
        env={f"SMGUARD_{engine.upper()}": "/nonexistent/tool"},
    )
    _assert_engine_error(run, "cannot run /nonexistent/tool")
