"""Checkov says what Rego says.

On every fixture the Checkov checks cover, and on each input, the set of
(rule id, address, verdict) from Checkov equals that from Rego, except exactly
the entries of policies/checkov-gaps.yaml: an unlisted difference fails, and so
does a listed one that no longer occurs. The inputs:

- engine: `smguard scan --engine checkov` (here its evaluate_many, the same
  code in one checkov run for all fixtures) against the opa engine, on the
  plan fixtures and on the fixtures/hcl-* directories rendered by the loader;
- plan: checkov itself on the fixtures' plan.json files;
- source: checkov itself on the fixtures/hcl-* directories, against their
  expected.json, which smguard scan DIR (Rego) must also give.

A fixture's config.yaml applies on every input: to the engines as `--config`,
to checkov itself through SMGUARD_CONFIG.
"""

from __future__ import annotations

import json
import os
import shutil
from itertools import groupby
from pathlib import Path

import pytest
import yaml

from checkov_cli import checkov, checkov_each, missing_checks, records
from conftest import FIXTURES, REPO, plan_fixtures
from smguard import config as smguard_config
from smguard.engines.checkov import CheckovEngine, discover
from smguard.engines.opa import OpaEngine
from smguard.loaders import hcl, plan

GAPS = REPO / "policies" / "checkov-gaps.yaml"
IDS = set(discover(REPO / "policies" / "checkov"))
VERDICTS = {"pass", "fail", "warn", "none"}


def _asserted(case: Path) -> set[str]:
    return set(json.loads((case / "expected.json").read_text())["rules"])


# Plan fixtures that assert only rules the Checkov checks cover.
CASES = [case for case in plan_fixtures() if _asserted(case) <= IDS]
SOURCES = sorted(p.parent for p in FIXTURES.glob("hcl-*/main.tf"))

Key = tuple[str, str]  # (rule id, address)


def _config_file(case: Path) -> Path | None:
    path = case / "config.yaml"
    return path if path.exists() else None


def _config(name: str) -> dict | None:
    path = _config_file(FIXTURES / name)
    return smguard_config.load(path) if path else None


def _env(config: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SMGUARD_CONFIG"}
    return {**env, "SMGUARD_CONFIG": str(config)} if config else env


def _gaps(kind: str) -> set[tuple]:
    entries = yaml.safe_load(GAPS.read_text())["gaps"]
    return {
        (g["fixture"], g["rule"], g["address"], g["rego"], g["checkov"])
        for g in entries
        if g["input"] == kind
    }


def _differences(fixture: str, rego: dict[Key, str], checkov: dict[Key, str]) -> set[tuple]:
    """(fixture, rule id, address, Rego's verdict, Checkov's) where they differ."""
    return {
        (fixture, *key, rego.get(key, "none"), checkov.get(key, "none"))
        for key in rego.keys() | checkov.keys()
        if rego.get(key) != checkov.get(key)
    }


def _assert_exactly_the_gaps(kind: str, differences: set[tuple]) -> None:
    listed = _gaps(kind)
    unlisted, stale = sorted(differences - listed), sorted(listed - differences)
    assert not unlisted and not stale, (
        f"{kind}: differences not in {GAPS.name}: {unlisted}; listed but not found: {stale}"
    )


@pytest.fixture(autouse=True, scope="module")
def _every_rule_has_a_check(ported_rules_only):
    missing = missing_checks()
    assert not missing, f"no Checkov check for {', '.join(missing)}: see docs/checkov.md"


@pytest.fixture(scope="module")
def documents(ported_rules_only):
    docs = {case.name: plan.load(case / "plan.json") for case in CASES}
    docs.update({source.name: hcl.load(source) for source in SOURCES})
    return docs


@pytest.fixture(scope="module")
def rego(documents):
    return {name: OpaEngine().evaluate(doc, _config(name)) for name, doc in documents.items()}


@pytest.fixture(scope="module")
def engine(documents):
    """The engine's reports, in one run per configuration."""
    found = {}
    by_config = lambda name: str(_config_file(FIXTURES / name) or "")  # noqa: E731
    for _, group in groupby(sorted(documents, key=by_config), key=by_config):
        names = list(group)
        reports = CheckovEngine().evaluate_many([documents[n] for n in names], _config(names[0]))
        found.update(zip(names, reports, strict=True))
    return found


def _verdicts(report) -> dict[Key, str]:
    return {(f.rule_id, f.address): str(f.verdict) for f in report.findings}


def test_there_are_parity_fixtures_for_every_check_and_verdict(engine):
    seen = {(f.rule_id, str(f.verdict)) for report in engine.values() for f in report.findings}
    for check_id in IDS:
        assert (check_id, "pass") in seen, check_id
        assert (check_id, "fail") in seen, check_id
    for check_id in ("SMG-MODEL-002", "SMG-ENDPOINT-001", "SMG-ENDPOINT-002", "SMG-DOMAIN-002"):
        assert (check_id, "warn") in seen, check_id  # the rules that can warn do, here


def test_engine_gives_regos_verdicts(engine, rego):
    differences = set()
    for name in engine:
        differences |= _differences(name, _verdicts(rego[name]), _verdicts(engine[name]))
    _assert_exactly_the_gaps("engine", differences)


def test_engine_gives_regos_messages_and_severities(engine, rego):
    for name in engine:
        theirs = {(f.rule_id, f.address): f for f in rego[name].findings}
        for finding in engine[name].findings:
            other = theirs.get((finding.rule_id, finding.address))
            if other is not None and other.verdict == finding.verdict:
                assert (finding.message, finding.severity) == (other.message, other.severity), (
                    name, finding.rule_id, finding.address,
                )  # fmt: skip


def test_engine_agrees_with_expected_files(engine):
    for name, report in engine.items():
        case = FIXTURES / name
        rules = _asserted(case)
        want = json.loads((case / "expected.json").read_text())["findings"]
        got = {k: v for k, v in _verdicts(report).items() if k[0] in rules}
        assert got == {(f["rule_id"], f["address"]): f["verdict"] for f in want}, name


def test_checkov_on_plan_json_gives_regos_verdicts(rego, tmp_path):
    found: dict[str, dict[Key, str]] = {case.name: {} for case in CASES}
    by_config = lambda case: str(_config_file(case) or "")  # noqa: E731
    for config, group in groupby(sorted(CASES, key=by_config), key=by_config):
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        for case in group:
            shutil.copy(case / "plan.json", folder / f"{case.name}.json")
        run = checkov(
            "-f", *sorted(p.name for p in folder.glob("*.json")), "--framework", "terraform_plan",
            "--check", "SMG-*", cwd=folder, env=_env(Path(config) if config else None),
        )  # fmt: skip
        assert run.returncode in (0, 1) and run.stdout.strip(), run.stderr
        for record in records(run.stdout):
            key = (record["check_id"], record["resource"])
            found[Path(record["file_path"]).stem][key] = record["verdict"]
    differences = set()
    for case in CASES:
        differences |= _differences(case.name, _verdicts(rego[case.name]), found[case.name])
    _assert_exactly_the_gaps("plan", differences)


def test_checkov_on_terraform_source_gives_the_expected_verdicts(rego, tmp_path):
    runs = checkov_each(
        [("-d", str(source), "--framework", "terraform", "--check", "SMG-*") for source in SOURCES],
        cwd=tmp_path,
        envs=[_env(_config_file(source)) for source in SOURCES],
    )
    found: dict[str, dict[Key, str]] = {}
    for source, (code, stdout, stderr) in zip(SOURCES, runs, strict=True):
        assert code == (1 if source.name != "hcl-compliant" else 0), stderr
        results = records(stdout)
        found[source.name] = {(r["check_id"], r["resource"]): r["verdict"] for r in results}
        assert len(found[source.name]) == len(results), "one result per check and resource"

    differences = set()
    for source in SOURCES:
        expected = {
            (f["rule_id"], f["address"]): f["verdict"]
            for f in json.loads((source / "expected.json").read_text())["findings"]
        }
        assert _verdicts(rego[source.name]) == expected, f"smguard scan {source.name} (Rego)"
        differences |= _differences(source.name, expected, found[source.name])
    _assert_exactly_the_gaps("source", differences)


def test_gaps_say_why_and_name_real_fixtures():
    entries = yaml.safe_load(GAPS.read_text())["gaps"]
    for gap in entries:
        assert gap["input"] in ("engine", "plan", "source"), gap
        assert gap["rule"] in IDS, gap
        assert {gap["rego"], gap["checkov"]} <= VERDICTS and gap["rego"] != gap["checkov"], gap
        assert (FIXTURES / gap["fixture"]).is_dir(), gap
        assert len(gap["reason"].split()) >= 10, gap
    keys = [(g["input"], g["fixture"], g["rule"], g["address"]) for g in entries]
    assert len(keys) == len(set(keys)), "one entry per input, fixture, rule and address"
