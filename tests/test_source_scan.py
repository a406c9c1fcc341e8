"""`smguard scan DIR`: Terraform source rendered to the plan shape, on every engine."""

from __future__ import annotations

import pytest

from conftest import ENGINES, FIXTURES, smguard

SOURCE = FIXTURES / "source"
CORE = {"SMG-MODEL-001", "SMG-MODEL-002", "SMG-DOMAIN-001", "SMG-DOMAIN-002"}


def _scan(case: str, *args: str, engine: str = "opa") -> dict:
    run = smguard("scan", str(SOURCE / case), "--engine", engine, "--format", "json", *args)
    assert run.code in (0, 1), run.stderr
    return {(f["rule_id"], f["address"]): f for f in run.json()["findings"] if f["rule_id"] in CORE}


@pytest.mark.parametrize("engine", ENGINES)
def test_values_from_defaults_tfvars_for_each_and_local_modules(engine):
    found = _scan("values", engine=engine)
    verdicts = {key: f["verdict"] for key, f in found.items()}
    assert verdicts == {
        # terraform.tfvars overrides the default false
        ("SMG-MODEL-001", "aws_sagemaker_model.shared"): "pass",
        ("SMG-MODEL-002", "aws_sagemaker_model.shared"): "pass",
        # prod.auto.tfvars overrides the default true; for_each gives two instances
        ("SMG-MODEL-001", 'aws_sagemaker_model.team["a"]'): "fail",
        ("SMG-MODEL-002", 'aws_sagemaker_model.team["a"]'): "pass",
        ("SMG-MODEL-001", 'aws_sagemaker_model.team["b"]'): "fail",
        ("SMG-MODEL-002", 'aws_sagemaker_model.team["b"]'): "pass",
        # the local module, with the input its call passes
        ("SMG-MODEL-001", "module.serving.aws_sagemaker_model.this"): "fail",
        ("SMG-MODEL-002", "module.serving.aws_sagemaker_model.this"): "fail",
    }


def test_findings_point_at_file_and_line():
    found = _scan("values")
    assert (
        found[("SMG-MODEL-001", 'aws_sagemaker_model.team["a"]')]["file"],
        found[("SMG-MODEL-001", 'aws_sagemaker_model.team["a"]')]["line"],
    ) == ("main.tf", 48)
    module = found[("SMG-MODEL-001", "module.serving.aws_sagemaker_model.this")]
    assert (module["file"], module["line"]) == ("modules/serving/main.tf", 5)


def test_var_and_var_file_take_precedence(tmp_path):
    overrides = tmp_path / "ci.tfvars"
    overrides.write_text("isolation = false\n")
    found = _scan("values", "--var-file", str(overrides), "--var", "team_isolation=true")
    assert found[("SMG-MODEL-001", "aws_sagemaker_model.shared")]["verdict"] == "fail"
    assert found[("SMG-MODEL-001", 'aws_sagemaker_model.team["a"]')]["verdict"] == "pass"


@pytest.mark.parametrize("engine", ENGINES)
def test_values_that_cannot_be_known_are_unknown_not_guessed(engine):
    found = _scan("unresolved", engine=engine)
    isolation = found[("SMG-MODEL-001", "aws_sagemaker_model.m")]
    assert isolation["verdict"] == "fail"
    assert "unknown until apply" in isolation["message"]
    assert found[("SMG-MODEL-002", "aws_sagemaker_model.m")]["verdict"] == "warn"
    placement = found[("SMG-DOMAIN-002", "aws_sagemaker_domain.studio")]
    assert placement["verdict"] == "warn"
    assert "unknown until apply" in placement["message"]


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("syntax-error", "main.tf:4,21-22: Unclosed configuration block"),
        (
            "registry-module",
            "not scanned: module.vpc (source 'terraform-aws-modules/vpc/aws' at main.tf:1)",
        ),
        (
            "missing-module",
            "missing-module/main.tf:1: module source './modules/not-there' not found",
        ),
    ],
)
def test_source_that_cannot_be_scanned_is_exit_2(case, error):
    run = smguard("scan", str(SOURCE / case))
    assert run.code == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert error in run.stderr


def test_directory_without_terraform_files(tmp_path):
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert "no Terraform files" in run.stderr


def test_missing_var_file(tmp_path):
    run = smguard("scan", str(SOURCE / "values"), "--var-file", str(tmp_path / "nope.tfvars"))
    assert run.code == 2
    assert "no such variables file" in run.stderr
