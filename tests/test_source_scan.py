"""`smguard scan DIR`: Terraform source rendered to the plan shape, on every engine."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ENGINES, FIXTURES, smguard

SOURCE = FIXTURES / "source"
PAIRS = FIXTURES / "pairs"
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
            "not scanned: module.vpc (source 'terraform-aws-modules/vpc/aws' at main.tf:1); "
            "run `terraform init` to download them, or pass --allow-partial",
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
    (tmp_path / "notes.txt").write_text("not Terraform")
    assert smguard("scan", str(tmp_path)).code == 2


@pytest.mark.parametrize(
    ("fmt", "listed"),
    [
        ("text", "NOT SCANNED (nothing in these is a pass):\n  module.vpc "),
        ("json", '"unscanned": [\n    "module.vpc (source'),
        ("sarif", '"text": "not scanned: module.vpc (source'),
        ("junit", '<testcase name="module.vpc (source'),
        ("github", "::warning title=smguard%3A not scanned::module.vpc (source"),
        ("markdown", "### Not scanned (1; nothing in them is a pass)\n\n- module.vpc (source"),
    ],
)
def test_allow_partial_scans_the_rest_and_every_format_lists_what_was_not(fmt, listed):
    run = smguard(
        "scan",
        str(SOURCE / "registry-module"),
        "--allow-partial",
        "--engine",
        "opa",
        "--format",
        fmt,
    )
    assert run.code == 1, run.stderr  # the model beside the module call still fails
    assert listed in run.stdout


def test_modules_json_that_names_no_directory_is_exit_2(tmp_path):
    shutil.copy(SOURCE / "registry-module" / "main.tf", tmp_path)
    manifest = tmp_path / ".terraform" / "modules" / "modules.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(
        json.dumps({"Modules": [{"Key": "vpc", "Source": "x", "Dir": ".terraform/modules/vpc"}]})
    )
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert "module.vpc (source 'terraform-aws-modules/vpc/aws' at main.tf:1)" in run.stderr
    assert "terraform init" in run.stderr
    manifest.write_text('{"Modules": 3')
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert run.stderr.strip().endswith("modules.json: not a Terraform modules manifest")


def test_json_syntax_error_is_one_line_exit_2(tmp_path):
    (tmp_path / "main.tf.json").write_text(
        '{"resource": {"aws_sagemaker_model": {"m": {"a": 1,}}}}'
    )
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert len(run.stderr.strip().splitlines()) == 1
    assert "main.tf.json:1," in run.stderr and "Trailing comma" in run.stderr


def test_random_names_keep_links_and_every_run_prints_the_same():
    runs = [
        smguard("scan", str(PAIRS / "random-names"), "--engine", "opa", "--format", "json")
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    found = {(f["rule_id"], f["address"]): f for f in runs[0].json()["findings"]}
    variants = found[("SMG-ENDPOINT-001", "aws_sagemaker_endpoint_configuration.this")]
    assert variants["verdict"] == "fail"
    assert "serves aws_sagemaker_model.this, which fails SMG-MODEL-001" in variants["message"]
    assert "not in this plan" not in variants["message"]


def test_null_is_not_set_and_no_value_is_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(
        """
variable "subnet_id" {
  type    = string
  default = null
}
variable "kms_key_id" {
  type = string
}
resource "aws_sagemaker_notebook_instance" "n" {
  name            = "n"
  role_arn        = "arn:aws:iam::123456789012:role/notebook"
  instance_type   = "ml.t3.medium"
  subnet_id       = var.subnet_id
  security_groups = ["sg-0123456789abcdef0"]
  kms_key_id      = var.kms_key_id
}
"""
    )
    run = smguard("scan", str(tmp_path), "--engine", "opa", "--format", "json")
    assert run.code == 1, run.stderr
    found = {f["rule_id"]: f for f in run.json()["findings"]}
    assert found["SMG-NOTEBOOK-002"]["verdict"] == "fail"
    assert "subnet_id is not set" in found["SMG-NOTEBOOK-002"]["message"]
    assert found["SMG-NOTEBOOK-004"]["verdict"] == "warn"
    assert "unknown until apply" in found["SMG-NOTEBOOK-004"]["message"]


def test_missing_var_file(tmp_path):
    run = smguard("scan", str(SOURCE / "values"), "--var-file", str(tmp_path / "nope.tfvars"))
    assert run.code == 2
    assert "no such variables file" in run.stderr


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("main.tf", 'resource "aws_x" "y" {\n' + "a {\n" * 3000 + "}\n" * 3000 + "}\n"),
        ("main.tf", "locals {\n  x = " + "[" * 3000 + "]" * 3000 + "\n}\n"),
        ("main.tf.json", '{"locals": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + "}"),
    ],
)
def test_nesting_too_deep_is_one_line_exit_2(tmp_path, name, text):
    (tmp_path / name).write_text(text)
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [
        f"smguard: error: {tmp_path}: values nested too deeply to read"
    ]


def test_a_for_each_known_only_after_apply_is_not_a_silent_pass(tmp_path):
    (tmp_path / "main.tf").write_text(
        """
data "aws_subnets" "private" {}

resource "aws_sagemaker_model" "per_subnet" {
  for_each                 = toset(data.aws_subnets.private.ids)
  name                     = "m-${each.key}"
  execution_role_arn       = "arn:aws:iam::123456789012:role/sagemaker"
  enable_network_isolation = false
}

resource "aws_sagemaker_model" "none" {
  for_each                 = {}
  name                     = "none"
  execution_role_arn       = "arn:aws:iam::123456789012:role/sagemaker"
  enable_network_isolation = false
}
"""
    )
    run = smguard("scan", str(tmp_path))
    assert run.code == 2
    assert run.stderr.strip().splitlines() == [
        f"smguard: error: {tmp_path}: 1 resource(s) Terraform cannot plan, not scanned: "
        "aws_sagemaker_model.per_subnet (for_each unknown until apply at main.tf:4), "
        "or pass --allow-partial to scan without them"
    ]
    run = smguard("scan", str(tmp_path), "--allow-partial", "--engine", "opa", "--format", "json")
    assert run.code == 0, run.stderr
    assert run.json()["unscanned"] == [
        "aws_sagemaker_model.per_subnet (for_each unknown until apply at main.tf:4)"
    ]
