"""`smguard fix`: exact bytes of every fixed file, the dry-run diff, idempotence, and a
scan after the fix in which the fixed findings are gone and nothing is new.

Fixtures are fixtures/fix/<case>/ with the fixed files in expected/ (same paths).
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ENGINES, FIXTURES, REPO, smguard
from smguard import catalogue
from smguard.fix import rules
from smguard.fix.hclfile import HclFile

CASES = FIXTURES / "fix"
FIXED = ("literals", "domain", "variables", "json")


def _copy(case: str, tmp_path: Path) -> Path:
    target = tmp_path / case
    shutil.copytree(CASES / case, target, ignore=shutil.ignore_patterns("expected"))
    return target


def _files(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _expected(case: str) -> dict[str, bytes]:
    """Every file of the case as it must be after the fix."""
    files = {k: v for k, v in _files(CASES / case).items() if not k.startswith("expected/")}
    files.update(_files(CASES / case / "expected"))
    return files


def _open_findings(directory: Path, engine: str = "opa") -> set[tuple[str, str]]:
    run = smguard("scan", str(directory), "--format", "json", "--engine", engine)
    assert run.code in (0, 1), run.stderr
    return {
        (f["rule_id"], f["address"])
        for f in run.json()["findings"]
        if f["verdict"] in ("fail", "warn")
    }


def test_every_rule_of_the_catalogue_has_a_decision():
    ids = {rule.id for rule in catalogue.load()}
    assert ids <= set(rules.FIXES) | set(rules.NEEDS_INPUT)
    assert not set(rules.FIXES) & set(rules.NEEDS_INPUT)
    documented = (REPO / "docs" / "fix.md").read_text()
    assert all(rule_id in documented for rule_id in ids)


@pytest.mark.parametrize("case", FIXED)
def test_write_gives_the_expected_files_and_a_clean_rescan(case, tmp_path):
    directory = _copy(case, tmp_path)
    before = _open_findings(directory)
    run = smguard("fix", str(directory), "--write", "--format", "json", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert run.json()["written"] is True
    assert _files(directory) == _expected(case)
    fixes = {tuple(f.split(" ", 1)) for e in run.json()["edits"] for f in e["findings"]}
    assert fixes and fixes <= before

    after = _open_findings(directory)
    assert not fixes & after, "a fixed finding is still reported"
    assert after <= before, f"new findings: {after - before}"
    # what else went away follows from the fixes (an isolated workload has no egress path)
    assert {rule for rule, _ in before - after - fixes} <= {"SMG-EGRESS-001"}

    again = smguard("fix", str(directory), "--write", "--engine", "opa")
    assert (again.code, again.stdout) == (0, ""), again.stderr
    assert "nothing to change" in again.stderr
    assert _files(directory) == _expected(case)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_fixes_the_same(engine, tmp_path):
    directory = _copy("literals", tmp_path)
    before = _open_findings(directory, engine)
    run = smguard("fix", str(directory), "--write", "--engine", engine)
    assert run.code == 0, run.stderr
    assert _files(directory) == _expected("literals")
    after = _open_findings(directory, engine)
    assert after <= before
    assert before - after >= {
        ("SMG-MODEL-001", "aws_sagemaker_model.off[0]"),
        ("SMG-MODEL-001", "aws_sagemaker_model.off[1]"),
        ("SMG-MODEL-001", "aws_sagemaker_model.unset"),
        ("SMG-NOTEBOOK-001", 'aws_sagemaker_notebook_instance.team["a"]'),
        ("SMG-NOTEBOOK-001", 'aws_sagemaker_notebook_instance.team["b"]'),
        ("SMG-NOTEBOOK-003", 'aws_sagemaker_notebook_instance.team["a"]'),
        ("SMG-NOTEBOOK-003", 'aws_sagemaker_notebook_instance.team["b"]'),
        ("SMG-JOB-001", "aws_sagemaker_data_quality_job_definition.bare"),
        ("SMG-JOB-002", "aws_sagemaker_data_quality_job_definition.bare"),
        ("SMG-JOB-001", "aws_sagemaker_data_quality_job_definition.partial"),
        ("SMG-JOB-001", "aws_sagemaker_data_quality_job_definition.dynamic"),
        ("SMG-JOB-002", "aws_sagemaker_data_quality_job_definition.dynamic"),
    }


def test_dry_run_prints_the_diff_git_applies_and_writes_nothing(tmp_path):
    directory = _copy("variables", tmp_path)
    original = _files(directory)
    run = smguard("fix", "variables", "--engine", "opa", cwd=tmp_path)
    assert run.code == 1, run.stderr
    assert _files(directory) == original
    expected = _expected("variables")
    diff = "".join(
        "".join(
            difflib.unified_diff(
                original[name].decode().splitlines(keepends=True),
                expected[name].decode().splitlines(keepends=True),
                f"a/variables/{name}",
                f"b/variables/{name}",
            )
        )
        for name in sorted(original)
        if original[name] != expected[name]
    )
    assert run.stdout == diff
    # only the deciding lines change
    lines = run.stdout.splitlines()
    assert len([x for x in lines if x.startswith("-") and not x.startswith("---")]) == 5
    assert len([x for x in lines if x.startswith("+") and not x.startswith("+++")]) == 5
    subprocess.run(["git", "apply", "-"], input=run.stdout, text=True, cwd=tmp_path, check=True)
    assert _files(directory) == expected


def test_edits_go_where_the_source_decides_the_value(tmp_path):
    run = smguard("fix", str(_copy("variables", tmp_path)), "--format", "json", "--engine", "opa")
    plan = run.json()
    edits = {
        (e["file"], e["line"], e["where"], e["target"], e["attribute"], e["old"], e["new"])
        for e in plan["edits"]
    }
    assert edits == {
        ("main.tf", 6, "variable default", 'variable "isolation"', "default", "false", "true"),
        ("main.tf", 25, "local", "locals", "direct", '"Enabled"', '"Disabled"'),
        ("main.tf", 88, "module argument", 'module "serving"', "isolation", "false", "true"),
        (
            "modules/serving/main.tf", 8, "variable default", 'variable "isolation"', "default",
            "false", "true",
        ),
        ("terraform.tfvars", 2, "tfvars", "tfvars entry", "root_access", '"Enabled"', '"Disabled"'),
    }  # fmt: skip
    needs = {
        (a["rule_id"], a["address"]): a for a in plan["needs_input"] if a["rule_id"] in rules.FIXES
    }
    assert set(needs) == {
        ("SMG-MODEL-001", "aws_sagemaker_model.expression"),
        ("SMG-MODEL-001", "aws_sagemaker_model.required"),
    }
    expression = needs[("SMG-MODEL-001", "aws_sagemaker_model.expression")]
    assert '`var.env == "prod"`' in expression["reason"]
    assert expression["snippet"] == "enable_network_isolation = true"
    assert "no default" in needs[("SMG-MODEL-001", "aws_sagemaker_model.required")]["reason"]
    assert plan["written"] is False and plan["files"] == [
        "main.tf", "modules/serving/main.tf", "terraform.tfvars",
    ]  # fmt: skip


def test_fixes_that_would_add_findings_are_held_back(tmp_path):
    directory = _copy("held-back", tmp_path)
    original = _files(directory)
    run = smguard("fix", str(directory), "--write", "--format", "json", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert _files(directory) == original
    plan = run.json()
    assert plan["edits"] == [] and plan["diff"] == ""
    needs = {(a["rule_id"], a["address"]): a for a in plan["needs_input"]}
    domain = needs[("SMG-DOMAIN-001", "aws_sagemaker_domain.public")]
    assert domain["reason"].startswith("held back") and "SMG-DOMAIN-006" in domain["reason"]
    assert domain["snippet"] == 'app_network_access_type = "VpcOnly"'
    assert domain["module"] == "sagemaker-vpc-endpoints"
    model = needs[("SMG-MODEL-001", "aws_sagemaker_model.chainer")]
    assert model["reason"].startswith("held back") and "SMG-MODEL-004" in model["reason"]


def test_the_modules_non_compliant_example(tmp_path):
    directory = tmp_path / "non-compliant"
    shutil.copytree(REPO / "modules" / "examples" / "non-compliant", directory)
    before = _open_findings(directory)
    run = smguard("fix", str(directory), "--write", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert _open_findings(directory) == before - {("SMG-MODEL-001", "aws_sagemaker_model.open")}
    text = (directory / "main.tf").read_text()
    original = (REPO / "modules" / "examples" / "non-compliant" / "main.tf").read_text()
    assert text == original.replace(
        "  enable_network_isolation = false\n", "  enable_network_isolation = true\n", 1
    )
    assert "SMG-DOMAIN-001 aws_sagemaker_domain.public (main.tf:75): held back" in run.stderr
    assert "or use the module modules/sagemaker-domain" in run.stderr  # SMG-DOMAIN-004/005


def test_rule_limits_the_fixes(tmp_path):
    directory = _copy("literals", tmp_path)
    run = smguard("fix", str(directory), "--rule", "SMG-MODEL-001", "--format", "json")
    assert run.code == 1, run.stderr
    plan = run.json()
    assert {f.split()[0] for e in plan["edits"] for f in e["findings"]} == {"SMG-MODEL-001"}
    left = {a["rule_id"] for a in plan["needs_input"] if "--rule leaves it out" in a["reason"]}
    assert left == {"SMG-NOTEBOOK-001", "SMG-NOTEBOOK-003", "SMG-JOB-001", "SMG-JOB-002"}
    unknown = smguard("fix", str(directory), "--rule", "SMG-NOPE-001")
    assert unknown.code == 2 and "no such rule: SMG-NOPE-001" in unknown.stderr


@pytest.mark.parametrize("write", [False, True])
def test_an_unparseable_file_exits_2_and_writes_nothing(write, tmp_path):
    directory = _copy("literals", tmp_path)
    (directory / "broken.tf").write_text('resource "aws_sagemaker_model" "x" {\n  name = \n')
    original = _files(directory)
    run = smguard("fix", str(directory), *(["--write"] if write else []), "--engine", "opa")
    assert run.code == 2 and run.stdout == ""
    assert "smguard: error:" in run.stderr
    assert _files(directory) == original


def test_a_tfvars_file_hcl2_cannot_parse_exits_2(tmp_path):
    directory = _copy("variables", tmp_path)
    (directory / "extra.auto.tfvars").write_text("isolation = = true\n")
    original = _files(directory)
    run = smguard("fix", str(directory), "--write", "--engine", "opa")
    assert run.code == 2, run.stderr
    assert _files(directory) == original


def test_json_that_json_dumps_would_rewrite_is_left_alone(tmp_path):
    run = smguard("fix", str(_copy("json", tmp_path)), "--format", "json", "--engine", "opa")
    plan = run.json()
    assert plan["files"] == ["main.tf.json"]
    compact = [
        a
        for a in plan["needs_input"]
        if (a["rule_id"], a["address"]) == ("SMG-MODEL-001", "aws_sagemaker_model.compact")
    ]
    assert len(compact) == 1 and "not laid out as json.dumps writes it" in compact[0]["reason"]


def test_a_value_decided_in_a_module_outside_the_directory_is_not_edited(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "main.tf").write_text(
        (CASES / "variables" / "modules" / "serving" / "main.tf")
        .read_text()
        .replace("var.isolation", "false")
    )
    root = tmp_path / "root"
    root.mkdir()
    (root / "main.tf").write_text('module "m" {\n  source = "../shared"\n  name   = "m"\n}\n')
    original = _files(tmp_path)
    run = smguard("fix", str(root), "--write", "--format", "json", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert _files(tmp_path) == original
    (advice,) = [a for a in run.json()["needs_input"] if a["rule_id"] == "SMG-MODEL-001"]
    assert advice["address"] == "module.m.aws_sagemaker_model.this"
    assert "../shared/main.tf:14, outside" in advice["reason"]


def test_module_arguments_and_defaults_outside_the_directory_are_followed(tmp_path):
    shutil.copytree(CASES / "variables" / "modules" / "serving", tmp_path / "shared")
    root = tmp_path / "root"
    root.mkdir()
    call = 'module "m" {\n  source    = "../shared"\n  name      = "m"\n  isolation = false\n}\n'
    (root / "main.tf").write_text(call)
    run = smguard("fix", str(root), "--write", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert (root / "main.tf").read_text() == call.replace("= false", "= true")
    assert _files(tmp_path / "shared") == _files(CASES / "variables" / "modules" / "serving")


# -- the edits themselves, byte for byte ------------------------------------------


def _edited(text: str, edit) -> str:
    file = HclFile("t.tf", text)
    edit(file)
    return file.render()


def test_a_one_line_block_is_written_out():
    text = 'resource "t" "n" {\n  network_config { enable_network_isolation = false }\n}\n'

    def edit(file):
        block = file.find("resource", "t", "n").children("network_config")[0]
        file.replace(block.attributes["enable_network_isolation"], "true")
        file.add(block, ("enable_inter_container_traffic_encryption",), "true")

    assert _edited(text, edit) == (
        'resource "t" "n" {\n'
        "  network_config {\n"
        "    enable_network_isolation = true\n"
        "    enable_inter_container_traffic_encryption = true\n"
        "  }\n"
        "}\n"
    )


def test_an_empty_block_gets_the_attribute_and_the_nested_block():
    def edit(file):
        block = file.find("resource", "t", "n")
        file.add(block, ("network_config", "enable_network_isolation"), "true")

    assert _edited('resource "t" "n" {}\n', edit) == (
        'resource "t" "n" {\n  network_config {\n    enable_network_isolation = true\n  }\n}\n'
    )


def test_insertion_after_a_heredoc_and_at_a_file_end_without_newline():
    text = 'resource "t" "n" {\n  script = <<-EOT\n    a = 1\n  EOT\n}'

    def edit(file):
        file.add(file.find("resource", "t", "n"), ("x",), "true")

    assert _edited(text, edit) == (
        'resource "t" "n" {\n  script = <<-EOT\n    a = 1\n  EOT\n  x = true\n}'
    )
    edited = _edited('x = "a" # keep\n// last', lambda f: f.add(f.top, ("y",), "true"))
    assert edited == 'x = "a" # keep\ny = true\n// last'


def test_a_long_name_starts_its_own_group_so_the_group_keeps_its_bytes():
    text = 'resource "t" "n" {\n  a   = 1\n  bcd = 2\n}\n'

    def edit(file):
        file.add(file.find("resource", "t", "n"), ("longer_name",), '"v"')

    assert _edited(text, edit) == (
        'resource "t" "n" {\n  a   = 1\n  bcd = 2\n\n  longer_name = "v"\n}\n'
    )
    assert _edited(text, lambda f: f.add(f.find("resource", "t", "n"), ("c",), "3")) == (
        'resource "t" "n" {\n  a   = 1\n  bcd = 2\n  c   = 3\n}\n'
    )


def test_the_diff_marks_a_missing_final_newline_and_applies(tmp_path):
    directory = tmp_path / "m"
    directory.mkdir()
    text = (
        'resource "aws_sagemaker_model" "m" {\n'
        '  name                     = "m"\n'
        '  execution_role_arn       = "arn:aws:iam::123456789012:role/sagemaker"\n'
        "  enable_network_isolation = false\n"
        "}"
    )
    (directory / "main.tf").write_text(text)
    run = smguard("fix", "m", "--engine", "opa", cwd=tmp_path)
    assert run.code == 1, run.stderr
    assert run.stdout.endswith(" }\n\\ No newline at end of file\n")
    subprocess.run(["git", "apply", "-"], input=run.stdout, text=True, cwd=tmp_path, check=True)
    assert (directory / "main.tf").read_text() == text.replace("= false", "= true")


def test_fix_json_lists_each_planned_edit_with_its_findings(tmp_path):
    run = smguard("fix", str(_copy("literals", tmp_path)), "--format", "json", "--engine", "opa")
    edits = run.json()["edits"]
    assert len(edits) == 9
    bare = [e for e in edits if e["target"].endswith(".bare")]
    assert {(e["attribute"], e["old"], e["new"]) for e in bare} == {
        ("network_config.enable_network_isolation", None, "true"),
        ("network_config.enable_inter_container_traffic_encryption", None, "true"),
    }
    assert json.loads(json.dumps(edits)) == edits


def _action_step(name: str) -> str:
    import yaml

    steps = yaml.safe_load((REPO / "action.yml").read_text())["runs"]["steps"]
    (step,) = [s for s in steps if s["name"] == name]
    assert "${{" not in step["run"]  # inputs arrive through env
    return step["run"]


@pytest.mark.parametrize("case", ["variables", "held-back"])
def test_the_action_puts_the_dry_run_diff_in_the_job_summary(case, tmp_path):
    import os
    import sys

    directory = _copy(case, tmp_path)
    original = _files(directory)
    summary, output = tmp_path / "summary.md", tmp_path / "output"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PLAN": str(directory), "SOURCE": "", "CONFIG": "",
        "RUNNER_TEMP": str(tmp_path), "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
    }  # fmt: skip
    step = subprocess.run(
        ["bash", "-e", "-c", _action_step("Suggest fixes")], env=env, capture_output=True, text=True
    )
    assert step.returncode == 0, step.stderr
    assert _files(directory) == original
    text = summary.read_text()
    assert text.startswith("## smguard: suggested changes\n")
    dry = smguard("fix", str(directory))
    if case == "variables":
        assert f"````diff\n{dry.stdout}````\n" in text
        assert output.read_text() == f"diff={tmp_path / 'smguard-fix.diff'}\n"
    else:
        assert "Nothing that smguard can fix by itself." in text
        assert not output.exists()
    assert "<details><summary>Needs your input</summary>" in text
    assert "SMG-MODEL-001" in text.split("Needs your input")[1]


def test_windows_line_ends_are_kept(tmp_path):
    directory = tmp_path / "crlf"
    directory.mkdir()
    text = (
        (CASES / "held-back" / "main.tf")
        .read_text()
        .replace(
            '  name               = "chainer"\n',
            '  name               = "chainer"\n  enable_network_isolation = false\n',
        )
    )
    text = text.replace("sagemaker-chainer:5.0.0-cpu-py3", "serving:1")
    (directory / "main.tf").write_bytes(text.replace("\n", "\r\n").encode())
    run = smguard("fix", str(directory), "--write", "--engine", "opa")
    assert run.code == 0, run.stderr
    assert (directory / "main.tf").read_bytes() == text.replace(
        "enable_network_isolation = false", "enable_network_isolation = true"
    ).replace("\n", "\r\n").encode()


@pytest.mark.parametrize("case", ["literals", "variables"])
def test_terraform_fmt_has_nothing_left_to_align(case, tmp_path):
    from smguard import engines, fix

    if not shutil.which("terraform"):
        pytest.skip("no terraform binary")
    engine = engines.get(engines.EngineName.OPA)
    with_fmt = fix.plan(_copy(case, tmp_path), engine, terraform="auto")
    assert with_fmt.unformatted == ()
    assert fix.plan(_copy(case, tmp_path / "plain"), engine, terraform=None).changes == (
        with_fmt.changes
    )


def test_a_tfvars_json_entry_is_edited_as_data(tmp_path):
    directory = _copy("variables", tmp_path)
    (directory / "terraform.tfvars").unlink()
    (directory / "terraform.tfvars.json").write_text('{\n  "root_access": "Enabled"\n}\n')
    run = smguard("fix", str(directory), "--write", "--rule", "SMG-NOTEBOOK-003")
    assert run.code == 0, run.stderr
    assert (directory / "terraform.tfvars.json").read_text() == (
        '{\n  "root_access": "Disabled"\n}\n'
    )
    assert "SMG-NOTEBOOK-003" not in {r for r, _ in _open_findings(directory)}


def test_a_value_passed_down_two_module_levels_is_fixed_in_the_root_call(tmp_path):
    serving = (CASES / "variables" / "modules" / "serving" / "main.tf").read_text()
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "main.tf").write_text(serving)
    middle = (
        'variable "isolation" {\n  type = bool\n}\n\n'
        'module "b" {\n  source    = "./b"\n  name      = "b"\n  isolation = var.isolation\n}\n'
    )
    (tmp_path / "a" / "main.tf").write_text(middle)
    root = 'module "a" {\n  source    = "./a"\n  isolation = false\n}\n'
    (tmp_path / "main.tf").write_text(root)
    run = smguard("fix", str(tmp_path), "--write", "--format", "json")
    assert run.code == 0, run.stderr
    (edit,) = run.json()["edits"]
    assert (edit["file"], edit["where"], edit["target"]) == (
        "main.tf", "module argument", 'module "a"',
    )  # fmt: skip
    assert edit["findings"] == ["SMG-MODEL-001 module.a.module.b.aws_sagemaker_model.this"]
    assert (tmp_path / "main.tf").read_text() == root.replace("false", "true")
    assert (tmp_path / "a" / "main.tf").read_text() == middle
    assert (tmp_path / "a" / "b" / "main.tf").read_text() == serving


@pytest.mark.parametrize("argument", [True, False])
def test_a_module_terraform_init_installed_is_read_never_edited(argument, tmp_path):
    module = tmp_path / ".terraform" / "modules" / "reg"
    module.mkdir(parents=True)
    serving = (CASES / "variables" / "modules" / "serving" / "main.tf").read_text()
    if not argument:
        serving = serving.replace("= var.isolation", "= false")
    (module / "main.tf").write_text(serving)
    listed = [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "reg", "Source": "example/serving/aws", "Dir": ".terraform/modules/reg"},
    ]
    (tmp_path / ".terraform" / "modules" / "modules.json").write_text(
        json.dumps({"Modules": listed})
    )
    call = 'module "reg" {\n  source    = "example/serving/aws"\n  version   = "1.0.0"\n'
    call += '  name      = "reg"\n  isolation = false\n}\n'
    (tmp_path / "main.tf").write_text(call)
    run = smguard("fix", str(tmp_path), "--write", "--format", "json")
    assert run.code == 0, run.stderr
    assert (module / "main.tf").read_text() == serving
    if argument:
        assert (tmp_path / "main.tf").read_text() == call.replace("= false", "= true")
        assert [e["where"] for e in run.json()["edits"]] == ["module argument"]
    else:
        assert (tmp_path / "main.tf").read_text() == call
        (advice,) = [a for a in run.json()["needs_input"] if a["rule_id"] == "SMG-MODEL-001"]
        assert "in a module terraform init installed" in advice["reason"]
