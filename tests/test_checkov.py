"""The checkov engine through the CLI and its fail-closed checks; the checks as
Checkov runs them, beside its built-in checks in the documented command.

Verdicts on every fixture are tests/test_checkov_parity.py's.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checkov_cli import checkov, documented_builtins, missing_checks, records
from conftest import FIXTURES, REPO, plan_fixtures, smguard
from smguard import catalogue
from smguard.engines import tools
from smguard.engines.checkov import CheckovEngine, discover, unsupported, with_planned_values
from smguard.loaders import plan
from smguard.paths import policies_dir

CATEGORIES = {"NETWORKING", "ENCRYPTION", "IAM", "GENERAL_SECURITY"}


@pytest.fixture(autouse=True, scope="module")
def _every_rule_has_a_check():
    missing = missing_checks()
    assert not missing, f"no Checkov check for {', '.join(missing)}: see docs/checkov.md"


def _scan(case: str, *args: str, env: dict | None = None):
    plan = FIXTURES / case / "plan.json"
    return smguard("scan", str(plan), "--engine", "checkov", "--format", "json", *args, env=env)


def _assert_engine_error(run, needle: str) -> None:
    assert run.code == 2, run.stdout + run.stderr
    assert run.stdout == ""
    assert run.stderr.startswith("smguard: error: checkov: "), run.stderr
    assert needle in run.stderr, run.stderr


# The model and endpoint configuration rules that pass on every case below.
MORE_MODEL_PASSES = {
    ("SMG-MODEL-003", "pass"),
    ("SMG-MODEL-004", "pass"),
    ("SMG-MODEL-005", "pass"),
    ("SMG-EGRESS-001", "pass"),
}
MORE_CONFIG_PASSES = {("SMG-ENDPOINT-003", "pass"), ("SMG-ENDPOINT-004", "pass")}


@pytest.mark.parametrize(
    ("case", "code", "verdicts"),
    [
        (
            "compliant-model",
            0,
            {("SMG-MODEL-001", "pass"), ("SMG-MODEL-002", "pass"), *MORE_MODEL_PASSES},
        ),
        (
            "model-outside-plan",
            0,  # warnings only
            {("SMG-ENDPOINT-001", "warn"), ("SMG-ENDPOINT-002", "warn"), *MORE_CONFIG_PASSES},
        ),
        (
            "multi-variant-endpoint",
            1,
            {
                ("SMG-MODEL-001", "pass"),
                ("SMG-MODEL-001", "fail"),
                ("SMG-MODEL-002", "pass"),
                ("SMG-ENDPOINT-001", "fail"),
                ("SMG-ENDPOINT-002", "fail"),
                ("SMG-EGRESS-001", "warn"),  # a non-isolated model in subnets not in the plan
                *MORE_MODEL_PASSES,
                *MORE_CONFIG_PASSES,
            },
        ),
    ],
)
def test_scan_exit_code_and_report(case, code, verdicts):
    run = _scan(case)
    assert run.code == code, run.stderr
    report = run.json()
    assert report["engine"] == "checkov"
    assert {(f["rule_id"], f["verdict"]) for f in report["findings"]} == verdicts
    for finding in report["findings"]:
        assert finding["title"] and finding["remediation"] and finding["severity"]


def test_bad_input_is_exit_2():
    run = smguard("scan", str(FIXTURES / "bad-input" / "truncated.json"), "--engine", "checkov")
    assert run.code == 2
    assert run.stdout == ""


def test_checkov_missing_is_an_engine_error():
    _assert_engine_error(_scan("compliant-model", env={"SMGUARD_CHECKOV": ""}), "not found")


def test_rule_options_apply_and_exemptions_are_refused(tmp_path):
    options = tmp_path / "rules.yaml"
    options.write_text(
        "rules:\n  SMG-MODEL-001: {severity: low}\n  SMG-MODEL-002: {enabled: false}\n"
    )
    run = _scan("model-isolation-disabled", "--config", str(options))
    assert run.code == 1, run.stderr
    found = {(f["rule_id"], f["address"]): f for f in run.json()["findings"]}
    assert set(found) == {
        (rule, "aws_sagemaker_model.batch")
        for rule in (
            "SMG-MODEL-001",
            "SMG-MODEL-003",
            "SMG-MODEL-004",
            "SMG-MODEL-005",
            "SMG-EGRESS-001",
        )
    }
    assert found["SMG-MODEL-001", "aws_sagemaker_model.batch"]["severity"] == "low"

    exemptions = str(FIXTURES / "config" / "exemptions.yaml")
    _assert_engine_error(_scan("child-modules", "--config", exemptions), "Rego policies only")


def test_a_rule_checkov_cannot_evaluate_is_refused_where_it_could_report(tmp_path):
    """SMG-IAM-001 is listed as unsupported (policies/checkov-gaps.yaml): exit 2,
    naming the rule and the reason, where it could report; elsewhere it passes,
    as in Rego, on every resource it checks."""
    gap = unsupported()["SMG-IAM-001"]
    assert gap.when == {"iam_guardrails.required": True}
    config = FIXTURES / "iam-guardrail-required-missing" / "config.yaml"
    run = _scan("iam-guardrail-required-missing", "--config", str(config))
    _assert_engine_error(
        run, "SMG-IAM-001 (iam-guardrail-present) cannot be evaluated by Checkov with"
    )
    assert "iam_guardrails.required true: " + gap.reason.rstrip(".") in run.stderr

    disabled = tmp_path / "disabled.yaml"
    disabled.write_text(config.read_text() + "rules:\n  SMG-IAM-001: {enabled: false}\n")
    run = _scan("iam-guardrail-required-missing", "--config", str(disabled))
    assert run.code in (0, 1), run.stderr
    assert all(f["rule_id"] != "SMG-IAM-001" for f in run.json()["findings"])

    run = _scan("iam-guardrail-scp")
    assert run.code == 0, run.stderr
    found = {(f["rule_id"], f["address"], f["verdict"]) for f in run.json()["findings"]}
    scps = [
        f"module.org_guardrails.aws_organizations_policy.{n}"
        for n in ("sagemaker_network", "cost_center_tags")
    ]
    assert {f for f in found if f[0] == "SMG-IAM-001"} == {("SMG-IAM-001", a, "pass") for a in scps}


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "policies"
    shutil.copytree(policies_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _removed(checks: Path) -> str:
    (checks / "model" / "model_vpc_config.py").unlink()
    return "no Checkov check for SMG-MODEL-002"


def _misplaced(checks: Path) -> str:
    (checks / "model" / "model_vpc_config.py").rename(checks / "domain" / "model_vpc_config.py")
    return "it belongs in policies/checkov/model/model_vpc_config.py"


def _uncatalogued(checks: Path) -> str:
    source = (checks / "domain" / "domain_vpc_only.py").read_text()
    (checks / "domain" / "domain_extra.py").write_text(source.replace("DOMAIN-001", "DOMAIN-099"))
    return "checks not in the rule catalogue: SMG-DOMAIN-099"


def _does_not_load_or_raises(checks: Path) -> str:
    # Checkov only logs a check that does not load, or raises: no result.
    check = checks / "model" / "model_vpc_config.py"
    check.write_text(check.read_text().replace("import smguard_checkov", "import smguard_missing"))
    check = checks / "domain" / "domain_vpc_only.py"
    check.write_text(
        check.read_text().replace(
            '        access = rc.get("app_network_access_type")',
            '        raise KeyError("app_network_access_type")',
        )
    )
    return "results do not cover exactly the checked resources"


def _unsupported_with_a_check(checks: Path) -> str:
    gaps = checks.parent / "checkov-gaps.yaml"
    gaps.write_text(gaps.read_text().replace("- rule: SMG-IAM-001", "- rule: SMG-MODEL-002"))
    return "listed as unsupported but with a Checkov check: SMG-MODEL-002"


BREAKAGES = [
    _removed,
    _misplaced,
    _uncatalogued,
    _does_not_load_or_raises,
    _unsupported_with_a_check,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__)
def test_broken_checks_are_an_engine_error(tmp_path, breakage):
    policies = _copy(tmp_path)
    needle = breakage(policies / "checkov")
    run = _scan("child-modules", env={"SMGUARD_POLICY_DIR": str(policies)})
    _assert_engine_error(run, needle)
    if breakage is _does_not_load_or_raises:
        assert "SMG-DOMAIN-001 module.serving.module.net.aws_sagemaker_domain.studio" in run.stderr
        assert "SMG-MODEL-002 aws_sagemaker_model.this" in run.stderr


YAML_CHECK = """\
metadata:
  id: SMG-DOMAIN-001
  name: Ensure Studio domains use VpcOnly network access
  category: NETWORKING
definition:
  cond_type: attribute
  resource_types: [aws_sagemaker_domain]
  attribute: app_network_access_type
  operator: equals
  value: VpcOnly
"""


def test_a_yaml_graph_check_is_one_file_too(tmp_path, monkeypatch):
    """A rule may be a Checkov YAML check: no warnings, its name as the message."""
    policies = _copy(tmp_path)
    (policies / "checkov" / "domain" / "domain_vpc_only.py").unlink()
    (policies / "checkov" / "domain" / "domain_vpc_only.yaml").write_text(YAML_CHECK)
    monkeypatch.setenv("SMGUARD_POLICY_DIR", str(policies))
    cases = ("domain-public-internet", "domain-network-unknown", "compliant-domain")
    documents = [plan.load(FIXTURES / case / "plan.json") for case in cases]
    reports = CheckovEngine().evaluate_many(documents)
    found = [
        {(f.verdict, f.message) for f in report.findings if f.rule_id == "SMG-DOMAIN-001"}
        for report in reports
    ]
    failure = ("fail", "Ensure Studio domains use VpcOnly network access")
    assert found == [{failure}, {failure}, {("pass", "compliant")}]


def test_documented_builtins_are_checkovs_sagemaker_checks(tmp_path):
    run = checkov("--list", "--framework", "terraform", cwd=tmp_path)
    entities: dict[str, set[str]] = {}
    for line in run.stdout.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 4:
            entities.setdefault(cells[2], set()).add(cells[4])
    for check_id in documented_builtins():
        assert any(e.startswith("aws_sagemaker_") for e in entities.get(check_id, ())), check_id


def test_documented_command_runs_smguard_and_builtin_checks(tmp_path):
    """Every smguard check runs (named and filed as its rule) on every resource
    type of its rule, beside the built-ins, on the plan fixtures."""
    for case in plan_fixtures():
        shutil.copy(case / "plan.json", tmp_path / f"{case.name}.json")
    plans = sorted(p.name for p in tmp_path.glob("*.json"))
    checks = ",".join(["SMG-*", *documented_builtins()])
    run = checkov("-f", *plans, "--framework", "terraform_plan", "--check", checks, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    results = records(run.stdout)
    found = {
        (r["check_id"], r["resource"]): r
        for r in results
        if Path(r["file_path"]).stem == "child-modules"
    }
    model = 'module.team["b"].aws_sagemaker_model.this'
    assert found["SMG-MODEL-001", model]["verdict"] == "fail"
    assert found["SMG-MODEL-001", model]["details"] == ["enable_network_isolation is false"]
    assert found["CKV_AWS_370", model]["verdict"] == "fail"

    rules = {r.id: r for r in catalogue.load() if r.id not in unsupported()}
    assert set(discover()) == set(rules)
    plans_read = [json.loads((case / "plan.json").read_text()) for case in plan_fixtures()]
    in_fixtures = {  # checkov reads planned_values: documents without them are not read
        rc["type"]
        for plan in plans_read
        if "planned_values" in plan
        for rc in plan.get("resource_changes", [])
    }
    # The `job` family checks job types only `smguard audit` documents have: Terraform
    # plans never carry them (and a saved audit has no planned_values for checkov).
    in_plans = {i: r for i, r in rules.items() if r.family != "job"}
    ran = {r["check_id"] for r in results if r["check_id"].startswith("SMG-")}
    assert set(in_plans) == ran
    rules = in_plans
    for rule in rules.values():
        (name,) = {r["check_name"] for r in results if r["check_id"] == rule.id}
        assert name.startswith("Ensure ")
        assert name.lower() == f"ensure {rule.title.replace(' must ', ' ', 1)}".lower()
        types = {r["resource"].split(".")[-2] for r in results if r["check_id"] == rule.id}
        # Types only audits have (training jobs, the audit's job definitions) are
        # in no plan checkov reads.
        assert types == set(rule.resources) & in_fixtures, rule.id
        source = (REPO / "policies" / "checkov" / rule.family / f"{rule.package}.py").read_text()
        assert set(re.findall(r"CheckCategories\.(\w+)", source)) <= CATEGORIES


def test_engine_plan_has_the_planned_values_checkov_reads():
    plan = json.loads((FIXTURES / "forgotten-resources" / "plan.json").read_text())
    written = with_planned_values(plan)["planned_values"]["root_module"]
    assert [r["address"] for r in written["resources"]] == ["aws_sagemaker_model.unchanged"]
    child = json.loads((FIXTURES / "child-modules" / "plan.json").read_text())
    modules = with_planned_values(child)["planned_values"]["root_module"]["child_modules"]
    assert {m["address"] for m in modules} >= {'module.team["a"]', "module.serving.module.net"}


def test_checks_default_to_the_rego_settings(tmp_path):
    """The checks' defaults (smguard_checkov.DEFAULT_SETTINGS) are lib/config's,
    and a configuration file's settings lie over them as Rego's object.union."""
    opa = REPO / ".tools" / "bin" / "opa"
    rego = subprocess.run(
        [str(opa), "eval", "-f", "raw", "-d", str(REPO / "policies" / "rego" / "smguard" / "lib"),
         "data.smguard.lib.config.defaults"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import smguard_checkov as s;"
        " print(json.dumps([s.DEFAULT_SETTINGS, s.settings()]))"
    )
    config = tmp_path / "config.yaml"
    config.write_text(
        "settings:\n  allowlists:\n    vpcs: [vpc-1]\n  domains: {allow_replacement: true}\n"
    )
    python = Path(tools.find("checkov")).parent / "python"
    run = subprocess.run(
        [str(python), "-c", script, str(REPO / "policies" / "checkov")],
        capture_output=True, text=True, check=True, env={"SMGUARD_CONFIG": str(config)},
    )  # fmt: skip
    defaults, merged = json.loads(run.stdout)
    assert defaults == json.loads(rego)
    assert merged["allowlists"] == {"subnets": [], "security_groups": [], "vpcs": ["vpc-1"]}
    assert merged["domains"] == {"allow_replacement": True}
    assert merged["vpc_endpoints"] == defaults["vpc_endpoints"]
    # A rule Checkov cannot evaluate can report only under settings that are not
    # the defaults: the engine, which compares them with the configuration's
    # settings only, refuses to run there and nowhere else.
    for gap in unsupported().values():
        for path, value in gap.when.items():
            node = defaults
            for step in path.split("."):
                node = node.get(step) if isinstance(node, dict) else None
            assert node != value, (gap.rule, path)
