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

import functools
import json
import os
import shutil
from itertools import groupby
from pathlib import Path

import pytest
import yaml

from checkov_cli import checkov, checkov_each, missing_checks, records
from conftest import FIXTURES, REPO, plan_fixtures
from smguard import catalogue
from smguard import config as smguard_config
from smguard.engines.checkov import CheckovEngine, discover, unsupported
from smguard.engines.opa import OpaEngine
from smguard.errors import EngineError
from smguard.loaders import hcl, plan

GAPS = REPO / "policies" / "checkov-gaps.yaml"
IDS = set(discover(REPO / "policies" / "checkov"))
# Rules Checkov cannot evaluate (checkov-gaps.yaml `unsupported`): no check;
# the engine refuses to run where they could report, and passes them elsewhere.
UNSUPPORTED = unsupported(REPO / "policies" / "checkov")
VERDICTS = {"pass", "fail", "warn", "none"}


def _asserted(case: Path) -> set[str]:
    return set(json.loads((case / "expected.json").read_text())["rules"])


# Plan fixtures that assert only rules the Checkov checks (or the engine) cover.
CASES = [case for case in plan_fixtures() if _asserted(case) <= IDS | UNSUPPORTED.keys()]
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


def _absent(differences: set[tuple]) -> set[tuple]:
    """The differences that are not an unsupported rule's absence from checkov
    itself, which is allowed exactly where that rule passes in Rego, or under
    the settings its `when` names (where the engine refuses to run)."""
    return {
        (fixture, rule, address, rego, checkov)
        for fixture, rule, address, rego, checkov in differences
        if not (
            rule in UNSUPPORTED
            and checkov == "none"
            and (rego == "pass" or UNSUPPORTED[rule].active(_config(fixture) or {}))
        )
    }


@functools.cache
def _awscc(name: str) -> frozenset[str]:
    """Addresses of a fixture's AWSCC resources, which smguard's loader gives
    the AWS provider's shape (harness/smguard/loaders/awscc.py)."""
    case = FIXTURES / name
    document = plan.load(case / "plan.json") if (case / "plan.json").exists() else hcl.load(case)
    return frozenset(rc["address"] for rc in document.resource_changes() if "provider_type" in rc)


def _unmapped(kind: str, differences: set[tuple]) -> set[tuple]:
    """The differences without checkov's own silence on AWSCC resources, where
    checkov-gaps.yaml `providers` lists it for this input: checkov itself reads
    the files, not smguard's document, and sees AWSCC types that no check
    supports. While listed, it must still be so."""
    entries = yaml.safe_load(GAPS.read_text()).get("providers") or []
    listed = [entry for entry in entries if kind in entry["inputs"]]
    for entry in listed:
        assert entry["provider"] == "awscc" and len(entry["reason"].split()) >= 10, entry
    if not listed:
        return differences
    unseen = {d for d in differences if d[4] == "none" and d[2] in _awscc(d[0])}
    assert unseen, f"{kind}: checkov itself reads AWSCC resources now; update {GAPS.name} providers"
    return differences - unseen


def _assert_exactly_the_gaps(kind: str, differences: set[tuple]) -> None:
    listed = _gaps(kind)
    unlisted, stale = sorted(differences - listed), sorted(listed - differences)
    assert not unlisted and not stale, (
        f"{kind}: differences not in {GAPS.name}: {unlisted}; listed but not found: {stale}"
    )


@pytest.fixture(autouse=True, scope="module")
def _every_rule_has_a_check():
    missing = missing_checks()
    assert not missing, f"no Checkov check for {', '.join(missing)}: see docs/checkov.md"


@pytest.fixture(scope="module")
def documents():
    docs = {case.name: plan.load(case / "plan.json") for case in CASES}
    docs.update({source.name: hcl.load(source) for source in SOURCES})
    return docs


@pytest.fixture(scope="module")
def rego(documents):
    return {name: OpaEngine().evaluate(doc, _config(name)) for name, doc in documents.items()}


@pytest.fixture(scope="module")
def engine_runs(documents):
    """The engine's reports, in one run per configuration, and its error where
    it refused to run."""
    found, refused = {}, {}
    by_config = lambda name: str(_config_file(FIXTURES / name) or "")  # noqa: E731
    for _, group in groupby(sorted(documents, key=by_config), key=by_config):
        names = list(group)
        try:
            reports = CheckovEngine().evaluate_many(
                [documents[n] for n in names], _config(names[0])
            )
        except EngineError as err:
            refused.update((name, str(err)) for name in names)
            continue
        found.update(zip(names, reports, strict=True))
    return found, refused


@pytest.fixture(scope="module")
def engine(engine_runs):
    """The engine's reports where it ran."""
    return engine_runs[0]


def _verdicts(report) -> dict[Key, str]:
    return {(f.rule_id, f.address): str(f.verdict) for f in report.findings}


def test_there_are_parity_fixtures_for_every_check_and_verdict(engine):
    seen = {(f.rule_id, str(f.verdict)) for report in engine.values() for f in report.findings}
    # Rules that only warn (their Rego rule has no deny) never fail.
    rules_dir = REPO / "policies" / "rego" / "smguard" / "rules"
    warn_only = {
        r.id
        for r in catalogue.load()
        if "deny contains" not in (rules_dir / r.family / r.package / "rule.rego").read_text()
    }
    for check_id in IDS:
        assert (check_id, "pass") in seen, check_id
        assert (check_id, "warn" if check_id in warn_only else "fail") in seen, check_id
    for check_id in (
        "SMG-MODEL-002",
        "SMG-ENDPOINT-001",
        "SMG-ENDPOINT-002",
        "SMG-DOMAIN-002",
        "SMG-NOTEBOOK-002",
        "SMG-NOTEBOOK-004",
        "SMG-JOB-003",
        "SMG-JOB-103",
        "SMG-PIPELINE-001",
        "SMG-IAM-002",
        "SMG-DOMAIN-003",
        "SMG-DOMAIN-004",
        "SMG-DOMAIN-005",
        "SMG-DOMAIN-006",
        "SMG-PROFILE-001",
        "SMG-ENDPOINT-003",
        "SMG-ENDPOINT-004",
    ):
        assert (check_id, "warn") in seen, check_id  # the rules that can warn do, here


def test_engine_refuses_exactly_where_an_unsupported_rule_could_report(engine_runs, documents):
    reports, refused = engine_runs
    for name in documents:
        active = [gap for gap in UNSUPPORTED.values() if gap.active(_config(name) or {})]
        assert (name in refused) == bool(active), (name, refused.get(name))
        for gap in active:
            assert f"checkov: {gap.rule} (" in refused[name]
            assert gap.reason.rstrip(".") in refused[name]
    for rule in UNSUPPORTED:
        # A fixture shows the refusal, and the rule passing where it ran.
        assert any(rule in error for error in refused.values()), rule
        seen = {str(f.verdict) for r in reports.values() for f in r.findings if f.rule_id == rule}
        assert seen == {"pass"}, rule


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
        wanted = {(f["rule_id"], f["address"]): f["verdict"] for f in want}
        # Where checkov-gaps.yaml lists an engine gap, the engine gives its verdict.
        for fixture, rule, address, _, theirs in _gaps("engine"):
            if fixture == name and rule in rules:
                wanted.pop((rule, address))
                if theirs != "none":
                    wanted[rule, address] = theirs
        assert got == wanted, name


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
    _assert_exactly_the_gaps("plan", _unmapped("plan", _absent(differences)))


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
        rego_verdicts = _verdicts(rego[source.name])
        asserted = {k: v for k, v in rego_verdicts.items() if k[0] in _asserted(source)}
        assert asserted == expected, f"smguard scan {source.name} (Rego)"
        differences |= _differences(source.name, rego_verdicts, found[source.name])
    _assert_exactly_the_gaps("source", _unmapped("source", _absent(differences)))


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
    catalogued = {rule.id for rule in catalogue.load(REPO / "policies" / "rego")}
    for gap in UNSUPPORTED.values():
        assert gap.rule in catalogued and gap.rule not in IDS, gap
        assert len(gap.reason.split()) >= 10, gap
