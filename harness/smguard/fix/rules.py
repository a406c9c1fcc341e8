"""What `smguard fix` does for each rule of the catalogue.

A rule is fixed by smguard when exactly one value of one attribute makes it
pass (FIXES). Every other rule needs something only the user knows (which
subnet, which key, which image); for those, NEEDS_INPUT gives the snippet to
add and the module of modules/ that provides it. docs/fix.md lists the
decision for every rule id; tests/test_fix.py checks that this table covers
the whole catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fix:
    # the resource types the path is right for; empty: every hashicorp/aws type the
    # rule reports on (the catalogue's `resources`), so that a rule extended to a new
    # type is fixed there too
    types: frozenset[str]
    path: tuple[str, ...]  # nested block names, then the attribute
    value: bool | str


@dataclass(frozen=True)
class Needs:
    snippet: str  # HCL to add to the resource (or beside it), placeholders in <...>
    module: str | None = None  # the module of modules/ that provides it


# Every monitoring job definition type has the same `network_config` block.
_JOB_DEFINITIONS: frozenset[str] = frozenset()

FIXES: dict[str, Fix] = {
    "SMG-MODEL-001": Fix(frozenset({"aws_sagemaker_model"}), ("enable_network_isolation",), True),
    "SMG-DOMAIN-001": Fix(
        frozenset({"aws_sagemaker_domain"}), ("app_network_access_type",), "VpcOnly"
    ),
    "SMG-NOTEBOOK-001": Fix(
        frozenset({"aws_sagemaker_notebook_instance"}), ("direct_internet_access",), "Disabled"
    ),
    "SMG-NOTEBOOK-003": Fix(
        frozenset({"aws_sagemaker_notebook_instance"}), ("root_access",), "Disabled"
    ),
    "SMG-JOB-001": Fix(_JOB_DEFINITIONS, ("network_config", "enable_network_isolation"), True),
    "SMG-JOB-002": Fix(
        _JOB_DEFINITIONS, ("network_config", "enable_inter_container_traffic_encryption"), True
    ),
}

_VPC = """vpc_config {
  subnets            = ["<private subnet id>"]
  security_group_ids = ["<security group id>"]
}"""

NEEDS_INPUT: dict[str, Needs] = {
    "SMG-DOMAIN-002": Needs(
        'vpc_id     = "<vpc id>"\nsubnet_ids = ["<private subnet id>"]', "sagemaker-domain"
    ),
    "SMG-DOMAIN-003": Needs(
        'vpc_id     = "<allowlisted vpc id>"\nsubnet_ids = ["<allowlisted subnet id>"]',
        "sagemaker-domain",
    ),
    "SMG-DOMAIN-004": Needs(
        'default_user_settings {\n  security_groups = ["<security group id>"]\n}\n'
        'default_space_settings {\n  security_groups = ["<security group id>"]\n}',
        "sagemaker-domain",
    ),
    "SMG-DOMAIN-005": Needs('kms_key_id = "<customer managed KMS key ARN>"', "sagemaker-domain"),
    "SMG-DOMAIN-006": Needs(
        'module "vpc_endpoints" {\n'
        '  source = "<path to modules/sagemaker-vpc-endpoints>"\n\n'
        '  name   = "<name>"\n'
        '  region = "<region>"\n\n'
        "  network = {\n"
        '    vpc_id          = "<the domain\'s vpc id>"\n'
        '    subnet_ids      = ["<the domain\'s subnet ids>"]\n'
        '    route_table_ids = ["<their route table ids>"]\n'
        "  }\n\n"
        '  allowed_security_group_ids = ["<the domain\'s security group ids>"]\n'
        "}",
        "sagemaker-vpc-endpoints",
    ),
    "SMG-DOMAIN-007": Needs(
        "# a plan-time rule: revert the force-new change, or set\n"
        "# domains.allow_replacement: true in the smguard configuration"
    ),
    "SMG-EGRESS-001": Needs(
        "# the workload's subnets: a route table without 0.0.0.0/0 or ::/0 to a NAT or\n"
        "# internet gateway, AWS services reached through aws_vpc_endpoint instead",
        "sagemaker-vpc-endpoints",
    ),
    "SMG-ENDPOINT-001": Needs(
        "# fix the models the variants serve: enable_network_isolation = true and a vpc_config",
        "sagemaker-model",
    ),
    "SMG-ENDPOINT-002": Needs(
        'endpoint_config_name = "<a configuration whose variants serve compliant models>"',
        "sagemaker-endpoint",
    ),
    "SMG-ENDPOINT-003": Needs(
        'kms_key_arn = "<customer managed KMS key ARN>"', "sagemaker-endpoint"
    ),
    "SMG-ENDPOINT-004": Needs(
        "async_inference_config {\n  output_config {\n"
        '    kms_key_id = "<customer managed KMS key ARN>"\n  }\n}',
        "sagemaker-endpoint",
    ),
    "SMG-IAM-001": Needs(
        "# a Deny policy on the guarded SageMaker create actions", "sagemaker-guardrails"
    ),
    "SMG-IAM-002": Needs(
        "# one Deny statement per condition: Null sagemaker:VpcSubnets,\n"
        "# ForAnyValue:StringNotEquals on the allowed IDs, BoolIfExists sagemaker:NetworkIsolation",
        "sagemaker-guardrails",
    ),
    "SMG-JOB-003": Needs(
        "network_config {\n" + "\n".join("  " + line for line in _VPC.splitlines()) + "\n}"
    ),
    "SMG-JOB-101": Needs("# an audit rule: start the jobs with network isolation (not Terraform)"),
    "SMG-JOB-102": Needs("# an audit rule: start the jobs in a VPC (not Terraform)"),
    "SMG-JOB-103": Needs("# an audit rule: run transform jobs on compliant models (not Terraform)"),
    "SMG-MODEL-002": Needs(_VPC, "sagemaker-model"),
    "SMG-MODEL-003": Needs(
        _VPC.replace("<private subnet id>", "<allowlisted subnet id>").replace(
            "<security group id>", "<allowlisted security group id>"
        ),
        "sagemaker-model",
    ),
    "SMG-MODEL-004": Needs(
        'image = "<an image that runs without network access>"   # in every container block'
    ),
    "SMG-MODEL-005": Needs(
        "# environment of every container: no value fetched at start, for example\n"
        'SAGEMAKER_SUBMIT_DIRECTORY = "/opt/ml/model/code"'
    ),
    "SMG-NOTEBOOK-002": Needs(
        'subnet_id       = "<private subnet id>"\nsecurity_groups = ["<security group id>"]'
    ),
    "SMG-NOTEBOOK-004": Needs('kms_key_id = "<customer managed KMS key ARN>"'),
    "SMG-PIPELINE-001": Needs(
        "# in pipeline_definition, every Processing step's Arguments.NetworkConfig and every\n"
        "# Training step: EnableNetworkIsolation = true and a VpcConfig (Subnets, SecurityGroupIds)"
    ),
    "SMG-PROFILE-001": Needs(
        'user_settings {\n  security_groups = ["<security group id>"]\n}', "sagemaker-domain"
    ),
}
