"""The Terraform modules in modules/.

- every example scans clean (no failure, no warning) on every engine, and the
  complete one also with its smguard.yaml (guardrail required, allowlists);
- the non-compliant example gives exactly the findings in its expected.json;
- every validation block rejects the values listed for it below, with its own
  error message, and the modules accept the good values: `terraform test` plans
  each case (one .tftest.hcl file each) against the module's variables.tf
  alone, which needs no provider;
- Checkov, with the smguard checks and its built-in SageMaker checks, passes
  every clean example and fails the non-compliant one where smguard does;
- the sources are `terraform fmt`-clean and the README tables are current.
"""

# ruff: noqa: E501  (the validation table keeps one case per line)

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from checkov_cli import checkov, documented_builtins, records
from conftest import ENGINES, REPO, TOOLS, smguard
from smguard import config as smguard_config
from smguard import engines
from smguard.findings import Verdict
from smguard.loaders import hcl
from smguard.report import Report

MODULES = REPO / "modules"
NON_COMPLIANT = MODULES / "examples" / "non-compliant"
EXAMPLES = sorted(
    [*MODULES.glob("sagemaker-*/examples/*/main.tf"), *MODULES.glob("examples/*/main.tf")]
)
CLEAN = [p.parent for p in EXAMPLES if p.parent != NON_COMPLIANT]
TERRAFORM = shutil.which("terraform")
WORKERS = min(8, os.cpu_count() or 2)


def _name(path: Path) -> str:
    return str(path.relative_to(MODULES))


def _config(example: Path) -> Path | None:
    path = example / "smguard.yaml"
    return path if path.exists() else None


# (example, configuration) pairs: every example with the default settings, and
# those with a smguard.yaml beside them once more with it.
SCANS = [(e, None) for e in [*CLEAN, NON_COMPLIANT]] + [
    (e, _config(e)) for e in CLEAN if _config(e)
]


@pytest.fixture(scope="session")
def reports() -> dict:
    """What `smguard scan` reports for every scan, by engine.

    Each engine evaluates all examples of one configuration in one run, and
    the engines run in parallel; an engine that cannot run gives its error.
    """
    documents = {example: hcl.load(example) for example, _ in SCANS}

    def run(engine: str) -> dict | Exception:
        evaluator = engines.get(engines.EngineName(engine))
        results = {}
        try:
            for config in dict.fromkeys(c for _, c in SCANS):
                keys = [key for key in SCANS if key[1] == config]
                settings = smguard_config.load(config) if config else None
                evaluated = evaluator.evaluate_many([documents[e] for e, _ in keys], settings)
                results.update(zip(keys, evaluated, strict=True))
        except Exception as err:  # reported by the tests of this engine only
            return err
        return results

    with ThreadPoolExecutor(len(ENGINES)) as pool:
        return dict(zip(ENGINES, pool.map(run, ENGINES), strict=True))


def _report(reports: dict, engine: str, key: tuple[Path, Path | None]) -> Report:
    results = reports[engine]
    if isinstance(results, Exception):
        pytest.fail(f"engine {engine} could not run: {results}")
    return results[key]


def _findings(report: Report) -> list[tuple[str, str, str]]:
    """(address, rule id, verdict) of every failure and warning."""
    return sorted(
        (f.address, f.rule_id, str(f.verdict))
        for f in report.findings
        if f.verdict in (Verdict.FAIL, Verdict.WARN)
    )


def _scan_id(key: tuple[Path, Path | None]) -> str:
    example, config = key
    return _name(example) + (f"-with-{config.name}" if config else "")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("key", [k for k in SCANS if k[0] != NON_COMPLIANT], ids=_scan_id)
def test_example_scans_clean(reports, key, engine):
    report = _report(reports, engine, key)
    # The examples take their network as inputs, so the path out of their subnets
    # is unverified (SMG-EGRESS-001 warns, `smguard audit` can verify it); nothing
    # else may be reported.
    unverified = [
        f for f in report.findings if f.rule_id == "SMG-EGRESS-001" and f.verdict is Verdict.WARN
    ]
    assert all(f.message.startswith("path unverified") for f in unverified)
    others = [f for f in _findings(report) if f[1] != "SMG-EGRESS-001" or f[2] != "warn"]
    assert others == []
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == (1 if unverified else 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_non_compliant_example_gives_the_expected_findings(reports, engine):
    expected = json.loads((NON_COMPLIANT / "expected.json").read_text())["findings"]
    report = _report(reports, engine, (NON_COMPLIANT, None))
    assert _findings(report) == sorted((f["address"], f["rule_id"], f["verdict"]) for f in expected)
    assert report.exit_code() == 1


def test_checkov_with_smguard_and_builtin_checks_agrees(tmp_path):
    """Checkov reads each example as the checkov engine writes it (rendered by
    the HCL loader, planned values from the resource changes): checkov's own
    HCL mode finds no resources in these examples, whose module sources lie
    outside the scanned directory (docs/checkov.md). Clean examples pass every
    smguard and built-in check, so no built-in needs a skip comment; the
    non-compliant one fails its expected rules and the overlapping built-ins."""
    from smguard.engines.checkov import with_planned_values

    names = {}
    for example in [*CLEAN, NON_COMPLIANT]:
        name = _name(example).replace("/", "_")
        names[name] = example
        plan = with_planned_values(hcl.load(example).data)
        (tmp_path / f"{name}.json").write_text(json.dumps(plan))
    run = checkov(
        "-f", *sorted(f"{n}.json" for n in names), "--framework", "terraform_plan",
        "--check", ",".join(["SMG-*", *documented_builtins()]), cwd=tmp_path,
        env={**os.environ, "EVAL_TF_PLAN_AFTER_UNKNOWN": "1"},  # as the engine runs it
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    results = records(run.stdout)
    read = {Path(r["file_path"]).stem for r in results}
    # the vpc-endpoints example has no resource any of these checks looks at
    assert read == set(names) - {"sagemaker-vpc-endpoints_examples_minimal"}
    flagged = {
        (Path(r["file_path"]).stem, r["resource"], r["check_id"], r["verdict"])
        for r in results
        if r["verdict"] != "pass"
    }
    expected = json.loads((NON_COMPLIANT / "expected.json").read_text())["findings"]
    wanted = {
        ("examples_non-compliant", f["address"], f["rule_id"], f["verdict"]) for f in expected
    }
    # the domain examples take their network as inputs: the path out is unverified
    wanted |= {
        (example, "module.domain.aws_sagemaker_domain.this", "SMG-EGRESS-001", "warn")
        for example in ("examples_complete", "sagemaker-domain_examples_minimal")
    }
    assert {f for f in flagged if f[2].startswith("SMG-")} == wanted
    assert {f for f in flagged if not f[2].startswith("SMG-")} == {
        ("examples_non-compliant", "aws_sagemaker_domain.public", "CKV_AWS_187", "fail"),
        (
            "examples_non-compliant",
            "aws_sagemaker_endpoint_configuration.unencrypted",
            "CKV_AWS_98",
            "fail",
        ),
        ("examples_non-compliant", "aws_sagemaker_model.open", "CKV_AWS_370", "fail"),
    }


@pytest.mark.parametrize(
    ("example", "code"), [(MODULES / "examples" / "complete", 0), (NON_COMPLIANT, 1)]
)
def test_smguard_scan_command(example, code):
    # The command itself, with its default engine, on the two top-level examples
    # (not --strict: the complete example's network path is unverified, a warning).
    run = smguard("scan", str(example))
    assert run.code == code, run.stdout + run.stderr


@pytest.mark.parametrize("example", [*CLEAN, NON_COMPLIANT], ids=_name)
def test_rendered_examples_keep_every_block(example):
    # A clean scan means nothing if the renderer lost the blocks the rules read
    # (tfparse drops dynamic blocks followed by a static block).
    data = hcl.load(example).data
    for rc in data["resource_changes"]:
        after = rc["change"]["after"]
        if rc["type"] == "aws_sagemaker_model":
            assert after.get("primary_container") or after.get("container"), rc["address"]
        if rc["type"] == "aws_sagemaker_endpoint_configuration":
            assert after.get("production_variants"), rc["address"]
        if rc["type"] == "aws_sagemaker_domain":
            assert after.get("default_user_settings"), rc["address"]


# ---------------------------------------------------------------------------
# Validation blocks

S1, S2 = "subnet-0a1b2c3d4e5f60718", "subnet-0b1c2d3e4f5a60718"
G1, G2 = "sg-0a1b2c3d4e5f60718", "sg-0c1d2e3f4a5b60718"
VPC = "vpc-0a1b2c3d4e5f60718"
ROLE = "arn:aws:iam::111122223333:role/sagemaker-execution"
KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
IMAGE = "763104351884.dkr.ecr.eu-west-1.amazonaws.com/tensorflow-inference:2.16.1-cpu-py310"
SGS = [f"sg-0{i}1d2e3f4a5b60718" for i in range(1, 7)]

BASE = {
    "sagemaker-model": {
        "name": "scorer",
        "execution_role_arn": ROLE,
        "containers": [{"image": IMAGE, "model_data_url": "s3://bucket/model.tar.gz"}],
        "vpc_config": {"subnet_ids": [S1, S2], "security_group_ids": [G1]},
    },
    "sagemaker-endpoint": {
        "name": "churn",
        "kms_key_arn": KEY,
        "production_variants": [{"model_name": "churn-model", "instance_type": "ml.m5.large"}],
    },
    "sagemaker-domain": {
        "name": "research",
        "kms_key_arn": KEY,
        "execution_role_arn": ROLE,
        "network": {"vpc_id": VPC, "subnet_ids": [S1], "security_group_ids": [G1]},
    },
    "sagemaker-vpc-endpoints": {
        "name": "ml-platform",
        "region": "eu-west-1",
        "network": {
            "vpc_id": VPC,
            "subnet_ids": [S1],
            "route_table_ids": ["rtb-0a1b2c3d4e5f60718"],
        },
        "allowed_security_group_ids": [G1],
    },
    "sagemaker-guardrails": {"name": "sagemaker-network", "allowed_subnet_ids": [S1, S2]},
}


@dataclass(frozen=True)
class Case:
    """Variables that replace the module's base values, and the start of the
    error message of the validation that must reject them (None: accepted)."""

    module: str
    label: str
    error: str | None
    values: dict


def _cases(module: str, *rows: tuple[str, str | None, dict]) -> list[Case]:
    return [Case(module, label, error, values) for label, error, values in rows]


def _containers(*images: str, **environment: str) -> list[dict]:
    return [{"image": image, "environment": environment} for image in images or (IMAGE,)]


def _vpc(subnets=(S1,), groups=(G1,)) -> dict:
    return {"subnet_ids": list(subnets), "security_group_ids": list(groups)}


def _variants(*variants: dict) -> list[dict]:
    return [{"model_name": "churn-model", "instance_type": "ml.m5.large", **v} for v in variants]


def _net(module: str, **overrides) -> dict:
    return {**BASE[module]["network"], **overrides}


def _async(**overrides) -> dict:
    return {"output_s3_uri": "s3://bucket/out", **overrides}


CHAINER = "520713654638.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-chainer:5.0.0-cpu-py3"
RL = "462105765813.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-rl-tensorflow:ray1.6"
SERVICES = ["s3", "sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr"]
REASON = {"reason": "vendor image calls its licence server at start"}

# Error messages, by their start.
FRAMEWORK = "A Chainer or SageMaker Reinforcement Learning framework image"
S3_URI = "An environment value is an S3 URI"
AWS_ENDPOINT = "An environment value names an AWS service endpoint"
HUB = "HF_MODEL_ID or OPTION_MODEL_ID names a model hub id"
ONE_TO_63 = "name must be 1 to 63"
KMS_ARN = "kms_key_arn must be the ARN"
EXEMPT = "exempt_principal_arns must be"

M, E, D = "sagemaker-model", "sagemaker-endpoint", "sagemaker-domain"
V, G = "sagemaker-vpc-endpoints", "sagemaker-guardrails"

CASES = [
    *_cases(
        M,
        ("name-leading-hyphen", ONE_TO_63, {"name": "-scorer"}),
        ("name-too-long", ONE_TO_63, {"name": "m" * 64}),
        ("role-is-a-user", "execution_role_arn must be", {"execution_role_arn": ROLE.replace("role/", "user/")}),
        ("no-containers", "containers must list 1 to 15", {"containers": []}),
        ("16-containers", "containers must list 1 to 15", {"containers": _containers(*[IMAGE] * 16)}),
        ("blank-image", "Every entry in containers needs an image", {"containers": _containers(" ")}),
        ("chainer-image", FRAMEWORK, {"containers": _containers(CHAINER)}),
        ("rl-image", FRAMEWORK, {"containers": _containers(RL)}),
        ("rl-image-in-pipeline", FRAMEWORK, {"containers": _containers(IMAGE, "sagemaker-rl-coach@sha256:ab")}),
        ("env-s3-uri", S3_URI, {"containers": _containers(SAGEMAKER_SUBMIT_DIRECTORY="s3://b/code.tar.gz")}),
        ("env-s3-uri-upper-case", S3_URI, {"containers": _containers(DATA=" S3://bucket/x")}),
        ("env-aws-endpoint", AWS_ENDPOINT, {"containers": _containers(QUEUE="https://sqs.eu-west-1.amazonaws.com/1/q")}),
        ("env-aws-endpoint-china", AWS_ENDPOINT, {"containers": _containers(API="sts.cn-north-1.amazonaws.com.cn")}),
        ("env-hub-model-id", HUB, {"containers": _containers(HF_MODEL_ID="distilbert-base-uncased")}),
        ("env-djl-model-id", HUB, {"containers": _containers(OPTION_MODEL_ID="meta-llama/Llama-3-8B")}),
        ("env-hub-token", HUB, {"containers": _containers(HF_TOKEN="hf_secret")}),
        ("no-subnets", "vpc_config.subnet_ids must list 1 to 16", {"vpc_config": _vpc(subnets=())}),
        ("17-subnets", "vpc_config.subnet_ids must list 1 to 16", {"vpc_config": _vpc(subnets=[S1] * 17)}),
        ("no-security-groups", "vpc_config.security_group_ids must list 1 to 5", {"vpc_config": _vpc(groups=())}),
        ("6-security-groups", "vpc_config.security_group_ids must list 1 to 5", {"vpc_config": _vpc(groups=SGS)}),
        ("subnet-name", "vpc_config.subnet_ids must hold subnet IDs", {"vpc_config": _vpc(subnets=["private-a"])}),
        ("empty-subnet", "vpc_config.subnet_ids must hold subnet IDs", {"vpc_config": _vpc(subnets=[""])}),
        ("group-name", "vpc_config.security_group_ids must hold", {"vpc_config": _vpc(groups=["default"])}),
        ("execution-mode", "inference_execution_mode must be", {"inference_execution_mode": "Parallel"}),
        ("opt-out-blank", "network_isolation_opt_out.reason", {"network_isolation_opt_out": {"reason": "   "}}),
        ("opt-out-short", "network_isolation_opt_out.reason", {"network_isolation_opt_out": {"reason": "legacy"}}),
        ("opt-out-not-a-tag", "network_isolation_opt_out.reason", {"network_isolation_opt_out": {"reason": "calls an API, at start"}}),
        ("pipeline", None, {"containers": _containers(IMAGE, IMAGE), "inference_execution_mode": "Direct"}),
        ("local-paths", None, {"containers": _containers(HF_MODEL_ID="/opt/ml/model", HF_TOKEN="")}),
        ("opt-out-allows-fetching", None, {"network_isolation_opt_out": REASON, "containers": _containers(CHAINER, HF_MODEL_ID="gpt2")}),
    ),
    *_cases(
        E,
        ("name-too-long", "name must be 1 to 54", {"name": "e" * 55}),
        ("key-id-not-arn", KMS_ARN, {"kms_key_arn": "1234abcd-12ab-34cd-56ef-1234567890ab"}),
        ("empty-key", KMS_ARN, {"kms_key_arn": ""}),
        ("no-variants", "production_variants must list 1 to 10", {"production_variants": []}),
        ("11-variants", "production_variants must list 1 to 10", {"production_variants": _variants(*({"variant_name": f"v{i}"} for i in range(11)))}),
        ("empty-model-name", "Every variant's model_name must be", {"production_variants": _variants({"model_name": ""})}),
        ("serverless", "Every variant needs an instance_type", {"production_variants": _variants({"instance_type": "serverless"})}),
        ("instance-type-without-ml", "Every variant needs an instance_type", {"production_variants": _variants({"instance_type": "m5.large"})}),
        ("no-instances", "Every variant's initial_instance_count", {"production_variants": _variants({"initial_instance_count": 0})}),
        ("duplicate-names", "production_variants must have distinct", {"production_variants": _variants({"variant_name": "a"}, {"variant_name": "a"})}),
        ("default-name-clash", "production_variants must have distinct", {"production_variants": _variants({}, {"variant_name": "variant-1"})}),
        ("async-output-not-s3", "async_inference.output_s3_uri must be", {"async_inference": _async(output_s3_uri="https://b.s3.amazonaws.com/o")}),
        ("async-failure-not-s3", "async_inference.failure_s3_uri must be", {"async_inference": _async(failure_s3_uri="bucket/failure")}),
        ("async-key-not-arn", "async_inference.kms_key_arn must be", {"async_inference": _async(kms_key_arn="my-key")}),
        ("async-own-key-alias", None, {"async_inference": _async(kms_key_arn=KEY.replace(":key/", ":alias/"))}),
        ("local-nvme-variants", None, {"production_variants": _variants({"instance_type": "ml.g5.xlarge"}, {"instance_type": "ml.m5d.large"})}),
    ),
    *_cases(
        D,
        ("name-underscore", ONE_TO_63, {"name": "research_domain"}),
        ("vpc-id-empty", "network.vpc_id must be a VPC ID", {"network": _net(D, vpc_id="")}),
        ("no-subnets", "network.subnet_ids must list 1 to 16", {"network": _net(D, subnet_ids=[])}),
        ("subnet-not-an-id", "network.subnet_ids must list 1 to 16", {"network": _net(D, subnet_ids=["subnet-xyz"])}),
        ("no-security-groups", "network.security_group_ids must list 1 to 5", {"network": _net(D, security_group_ids=[])}),
        ("6-security-groups", "network.security_group_ids must list 1 to 5", {"network": _net(D, security_group_ids=SGS)}),
        ("key-alias", KMS_ARN, {"kms_key_arn": KEY.replace(":key/", ":alias/")}),
        ("no-key", KMS_ARN, {"kms_key_arn": ""}),
        ("role-name-not-arn", "execution_role_arn must be an IAM role ARN", {"execution_role_arn": "sagemaker-execution"}),
        ("auth-mode", "auth_mode must be", {"auth_mode": "OIDC"}),
        ("profile-name", "user_profiles keys are the profile names", {"user_profiles": {"data scientist": {}}}),
        ("profile-group", "A user profile's security_group_ids", {"user_profiles": {"a": {"security_group_ids": ["sg-zzz"]}}}),
        ("profile-6-groups", "A user profile's security_group_ids", {"user_profiles": {"a": {"security_group_ids": SGS[:5]}}}),
        ("profile-role", "A user profile's execution_role_arn", {"user_profiles": {"a": {"execution_role_arn": "arn:aws:iam::1:role/x"}}}),
        ("opt-out-blank", "public_internet_access_opt_out.reason", {"public_internet_access_opt_out": {"reason": ""}}),
        ("profiles-and-opt-out", None, {"user_profiles": {"a": {}, "b": {"execution_role_arn": ROLE, "security_group_ids": [G2]}}, "public_internet_access_opt_out": REASON}),
    ),
    *_cases(
        V,
        ("name", ONE_TO_63, {"name": "-platform"}),
        ("region", "region must be an AWS region code", {"region": "Ireland"}),
        ("vpc-id", "network.vpc_id must be a VPC ID", {"network": _net(V, vpc_id="vpc-xyz")}),
        ("no-subnets", "network.subnet_ids must list at least one", {"network": _net(V, subnet_ids=[])}),
        ("no-route-tables", "network.route_table_ids must list", {"network": _net(V, route_table_ids=[])}),
        ("route-table-name", "network.route_table_ids must list", {"network": _net(V, route_table_ids=["main"])}),
        ("no-allowed-groups", "allowed_security_group_ids must list", {"allowed_security_group_ids": []}),
        ("allowed-cidr", "allowed_security_group_ids must list", {"allowed_security_group_ids": ["0.0.0.0/0"]}),
        ("full-service-name", "services must hold service names", {"services": [*SERVICES, "com.amazonaws.eu-west-1.kms"]}),
        ("missing-sts", "services must include s3", {"services": [s for s in SERVICES if s != "sts"]}),
        ("only-s3", "services must include s3", {"services": ["s3"]}),
        ("extra-services", None, {"services": [*SERVICES, "kms", "monitoring"]}),
    ),
    *_cases(
        G,
        ("name", "name must be 1 to 128", {"name": "sagemaker network"}),
        ("no-subnets", "allowed_subnet_ids must list at least one", {"allowed_subnet_ids": []}),
        ("wildcard-subnet", "allowed_subnet_ids must hold concrete", {"allowed_subnet_ids": ["*"]}),
        ("subnet-prefix-wildcard", "allowed_subnet_ids must hold concrete", {"allowed_subnet_ids": ["subnet-*"]}),
        ("wildcard-group", "allowed_security_group_ids must hold concrete", {"allowed_security_group_ids": ["sg-*"]}),
        ("exempt-everyone", EXEMPT, {"exempt_principal_arns": ["*"]}),
        ("exempt-any-account", EXEMPT, {"exempt_principal_arns": ["arn:aws:iam::*:role/admin"]}),
        ("exempt-whole-account", EXEMPT, {"exempt_principal_arns": ["arn:aws:iam::111122223333:*"]}),
        ("exempt-every-role", EXEMPT, {"exempt_principal_arns": ["arn:aws:iam::111122223333:role/*"]}),
        ("attach-to-role-arn", "attach_to_role_names must hold IAM role names", {"attach_to_role_names": [ROLE]}),
        ("scp-target", "service_control_policy.target_ids must hold", {"service_control_policy": {"target_ids": ["prod"]}}),
        ("everything", None, {
            "allowed_security_group_ids": [G1, G2],
            "exempt_principal_arns": ["arn:aws:iam::111122223333:role/break-glass"],
            "attach_to_role_names": ["ml-pipelines"],
            "service_control_policy": {"target_ids": ["ou-ab12-cd34ef56", "111122223333", "r-ab12"]},
        }),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class Run:
    """One `terraform test` run: its status and the variable validations that failed."""

    status: str
    rejections: list[tuple[str, int]]  # (error message, line of the validation block)


def _hcl(value) -> str:
    """A JSON value as an HCL expression (JSON syntax, templates escaped)."""
    return json.dumps(value).replace("${", "$${").replace("%{", "%%{")


def _test_file(module: str, case: Case | None) -> str:
    """A .tftest.hcl file with one plan run: the base values, then the case's."""
    values = {**BASE[module], **(case.values if case else {})}
    lines = [f"    {name} = {_hcl(value)}" for name, value in values.items()]
    return "\n".join(['run "case" {', "  command = plan", "  variables {", *lines, "  }", "}", ""])


def _terraform_test(directory: Path) -> dict[str, Run]:
    """`terraform test` of one module's variables.tf with a test file per case, by file stem.

    Each case is a file of its own: a run that fails stops the later runs of
    its file only.
    """
    result = subprocess.run(
        [TERRAFORM, "test", "-json"],
        cwd=directory,
        capture_output=True,
        text=True,
        env={**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"},
    )
    status: dict[str, str] = {}
    rejections: dict[str, list[tuple[str, int]]] = {}
    for line in result.stdout.splitlines():
        message = json.loads(line)
        stem = Path(message.get("@testfile", "")).name.removesuffix(".tftest.hcl")
        run = message.get("test_run") or {}
        if run.get("progress") == "complete":
            status[stem] = run["status"]
        diagnostic = message.get("diagnostic") or {}
        if diagnostic.get("summary") == "Invalid value for variable":
            text, _, where = diagnostic["detail"].partition("\n\nThis was checked by")
            line_no = re.search(r"variables\.tf:(\d+),", where)
            entry = (text, int(line_no.group(1)) if line_no else 0)
            rejections.setdefault(stem, []).append(entry)
    assert status, result.stdout + result.stderr
    return {stem: Run(s, rejections.get(stem, [])) for stem, s in status.items()}


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> dict:
    """Every case, and the base values, planned against each module's variables.tf alone.

    Without resources the configuration needs no provider, so `terraform init`
    works offline and a plan evaluates exactly the validation blocks.
    """
    if TERRAFORM is None:
        pytest.skip("terraform is not on PATH: validation blocks not tested")
    root = tmp_path_factory.mktemp("module-variables")
    for module in BASE:
        directory = root / module
        (directory / "tests").mkdir(parents=True)
        shutil.copy(MODULES / module / "variables.tf", directory)
        for case in [None, *(c for c in CASES if c.module == module)]:
            name = case.label if case else "base"
            (directory / "tests" / f"{name}.tftest.hcl").write_text(_test_file(module, case))
        init = subprocess.run(
            [TERRAFORM, "init", "-input=false", "-no-color"],
            cwd=directory,
            capture_output=True,
            text=True,
        )
        assert init.returncode == 0, init.stdout + init.stderr
    with ThreadPoolExecutor(WORKERS) as pool:
        results = dict(zip(BASE, pool.map(lambda m: _terraform_test(root / m), BASE), strict=True))
    return {
        (module, label): run
        for module, by_label in results.items()
        for label, run in by_label.items()
    }


@pytest.mark.parametrize("module", BASE)
def test_module_accepts_the_base_values(runs, module):
    assert runs[(module, "base")] == Run("pass", [])


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.module}-{c.label}")
def test_validation(runs, case):
    run = runs[(case.module, case.label)]
    if case.error is None:
        assert run == Run("pass", [])
        return
    assert run.status == "error", f"accepted: {case.values}"
    # Rejected by exactly the validation block the case is about.
    assert [message[: len(case.error)] for message, _ in run.rejections] == [case.error]


def _validation_lines(module: str) -> set[int]:
    text = (MODULES / module / "variables.tf").read_text().splitlines()
    return {n for n, line in enumerate(text, 1) if re.match(r"\s+validation \{", line)}


@pytest.mark.parametrize("module", BASE)
def test_every_validation_block_has_a_rejected_value(runs, module):
    rejected = {
        line
        for case in CASES
        if case.module == module and case.error
        for _, line in runs[(module, case.label)].rejections
    }
    assert _validation_lines(module) - rejected == set()


def test_every_module_is_tested():
    assert set(BASE) == {p.parent.name for p in MODULES.glob("sagemaker-*/variables.tf")}


# ---------------------------------------------------------------------------
# Structure, formatting, documentation


@pytest.mark.parametrize(
    "directory",
    [*(MODULES / m for m in BASE), *CLEAN, NON_COMPLIANT],
    ids=_name,
)
def test_standard_module_structure(directory):
    files = {"main.tf", "variables.tf", "outputs.tf", "versions.tf"}
    if directory.parent.name != "examples":
        files.add("README.md")
    assert {f for f in files if not (directory / f).is_file()} == set()
    versions = (directory / "versions.tf").read_text()
    assert 'required_version = ">= 1.9"' in versions
    assert re.search(r'source\s+= "hashicorp/aws"\s+version\s+= ">= 5\.60, < 7\.0"', versions)


def _terraform_docs(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    program = TOOLS / "terraform-docs"
    assert program.is_file(), "terraform-docs is built by `make tools`"
    return subprocess.run([str(program), *args], capture_output=True, text=True, cwd=cwd)


@pytest.mark.parametrize("module", BASE)
def test_every_variable_has_a_type_and_description(module, tmp_path):
    # Run away from .terraform-docs.yml, whose output settings would inject the
    # JSON into the README instead of printing it.
    result = _terraform_docs("json", str(MODULES / module), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    inputs = json.loads(result.stdout)["inputs"]
    assert inputs
    for variable in inputs:
        assert variable["description"], variable["name"]
        assert variable["type"] not in ("any", None), variable["name"]


def test_outputs_are_wrapped_in_try():
    for path in MODULES.glob("sagemaker-*/outputs.tf"):
        for value in re.findall(r"^\s+value\s+=\s+(.*)$", path.read_text(), re.M):
            assert value.startswith("try(") and value.endswith(", null)"), f"{path}: {value}"


def test_terraform_fmt():
    if TERRAFORM is None:
        pytest.skip("terraform is not on PATH: terraform fmt -check of modules/ skipped")
    result = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-diff", str(MODULES)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module", BASE)
def test_readme_tables_are_up_to_date(module):
    config = str(REPO / ".terraform-docs.yml")
    result = _terraform_docs("-c", config, "--output-check", str(MODULES / module))
    assert result.returncode == 0, result.stdout + result.stderr
