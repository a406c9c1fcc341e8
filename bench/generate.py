"""Generate a realistic large Terraform plan for benchmarks.

Mixed AWS types with about 10% SageMaker (models, endpoint configurations,
endpoints, domains), a third of them in child modules (some with for_each
instance keys), subnets and security groups referenced through
`configuration` (so unknown until apply), and some failing resources; with
`planned_values` as Terraform writes them (10,000 resources: about 11 MB).

Usage: python bench/generate.py RESOURCES OUT.json [--all-sagemaker]
"""

from __future__ import annotations

import json
import random
import re
import sys

from smguard.engines.checkov import with_planned_values

FILLER_TYPES = (
    "aws_s3_bucket",
    "aws_iam_role",
    "aws_iam_role_policy_attachment",
    "aws_cloudwatch_log_group",
    "aws_lambda_function",
    "aws_security_group_rule",
    "aws_route_table_association",
    "aws_kms_alias",
)


def _change(after: dict, unknown: dict) -> dict:
    return {
        "actions": ["create"],
        "before": None,
        "after": after,
        "after_unknown": unknown,
        "before_sensitive": False,
        "after_sensitive": {},
    }


def _rc(module: str | None, rtype: str, name: str, after: dict, unknown: dict) -> dict:
    address = f"{rtype}.{name}" if module is None else f"{module}.{rtype}.{name}"
    rc = {
        "address": address,
        "mode": "managed",
        "type": rtype,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": _change(after, unknown),
    }
    if module:
        rc["module_address"] = module
    return rc


def _model(module, i, rng):
    isolated = rng.random() > 0.1
    after = {
        "container": [],
        "enable_network_isolation": isolated,
        "name": f"model-{i}",
        "primary_container": [
            {
                "container_hostname": None,
                "environment": {"SAGEMAKER_PROGRAM": "inference.py"},
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/serving:1.0",
                "image_config": [],
                "mode": "SingleModel",
                "model_data_url": f"s3://models/model-{i}/model.tar.gz",
                "multi_model_config": [],
            }
        ],
        "tags": None,
        "vpc_config": [{}],
    }
    unknown = {
        "arn": True,
        "execution_role_arn": True,
        "id": True,
        "vpc_config": [{"security_group_ids": True, "subnets": True}],
    }
    config = {
        "address": f"aws_sagemaker_model.m{i}",
        "mode": "managed",
        "type": "aws_sagemaker_model",
        "name": f"m{i}",
        "expressions": {
            "enable_network_isolation": {"constant_value": isolated},
            "vpc_config": [
                {
                    "subnets": {"references": ["aws_subnet.private.id", "aws_subnet.private"]},
                    "security_group_ids": {
                        "references": ["aws_security_group.sm.id", "aws_security_group.sm"]
                    },
                }
            ],
        },
    }
    return _rc(module, "aws_sagemaker_model", f"m{i}", after, unknown), config


def _endpoint_config(module, i):
    after = {
        "name": f"epc-{i}",
        "kms_key_arn": None,
        "production_variants": [
            {
                "variant_name": "a",
                "model_name": f"model-{i}",
                "initial_instance_count": 1,
                "instance_type": "ml.m5.large",
            }
        ],
        "shadow_production_variants": [],
    }
    rc = _rc(
        module, "aws_sagemaker_endpoint_configuration", f"c{i}", after, {"arn": True, "id": True}
    )
    config = {
        "address": f"aws_sagemaker_endpoint_configuration.c{i}",
        "mode": "managed",
        "type": "aws_sagemaker_endpoint_configuration",
        "name": f"c{i}",
        "expressions": {
            "production_variants": [
                {
                    "model_name": {
                        "references": [
                            f"aws_sagemaker_model.m{i}.name",
                            f"aws_sagemaker_model.m{i}",
                        ]
                    }
                }
            ]
        },
    }
    return rc, config


def _endpoint(module, i):
    after = {"name": f"ep-{i}", "endpoint_config_name": f"epc-{i}", "deployment_config": []}
    return _rc(module, "aws_sagemaker_endpoint", f"e{i}", after, {"arn": True, "id": True}), None


def _domain(module, i, rng):
    after = {
        "domain_name": f"studio-{i}",
        "auth_mode": "IAM",
        "app_network_access_type": "VpcOnly" if rng.random() > 0.2 else None,
        "default_user_settings": [{"execution_role": "arn:aws:iam::123456789012:role/studio"}],
    }
    unknown = {"arn": True, "id": True, "vpc_id": True, "subnet_ids": True, "url": True}
    config = {
        "address": f"aws_sagemaker_domain.d{i}",
        "mode": "managed",
        "type": "aws_sagemaker_domain",
        "name": f"d{i}",
        "expressions": {
            "vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]},
            "subnet_ids": {"references": ["aws_subnet.private.id", "aws_subnet.private"]},
        },
    }
    return _rc(module, "aws_sagemaker_domain", f"d{i}", after, unknown), config


def _filler(module, i, rng):
    rtype = FILLER_TYPES[i % len(FILLER_TYPES)]
    after = {
        "name": f"{rtype}-{i}",
        "tags": {"team": "ml", "env": "prod"},
        "description": "x" * rng.randint(20, 200),
    }
    return _rc(module, rtype, f"r{i}", after, {"arn": True, "id": True}), {
        "address": f"{rtype}.r{i}",
        "mode": "managed",
        "type": rtype,
        "name": f"r{i}",
        "expressions": {"name": {"constant_value": f"{rtype}-{i}"}},
    }


def _config_key(module: str | None) -> str | None:
    """Configuration is per module call, not per instance: module.team["a"] -> module.team."""
    return None if module is None else re.sub(r"\[[^\]]*\]", "", module)


def generate(count: int, all_sagemaker: bool = False, seed: int = 7) -> dict:
    rng = random.Random(seed)
    modules = [
        None,
        "module.serving",
        'module.team["a"]',
        'module.team["b"]',
        "module.net.module.inner",
    ]
    changes, configs = [], {}
    for module in modules:
        for rtype, name in (
            ("aws_vpc", "main"),
            ("aws_subnet", "private"),
            ("aws_security_group", "sm"),
        ):
            changes.append(_rc(module, rtype, name, {"tags": None}, {"id": True, "arn": True}))
    i = 0
    sagemaker = 0
    while len(changes) < count:
        module = modules[(i // 40) % len(modules)]
        if all_sagemaker or i % 10 == 0:
            group, kind = divmod(sagemaker, 4)
            sagemaker += 1
            if kind == 0:
                rc, cfg = _model(module, group, rng)
            elif kind == 1:
                rc, cfg = _endpoint_config(module, group)
            elif kind == 2:
                rc, cfg = _endpoint(module, group)
            else:
                rc, cfg = _domain(module, group, rng)
        else:
            rc, cfg = _filler(module, i, rng)
        changes.append(rc)
        key = _config_key(module)
        if cfg and cfg["address"] not in {c["address"] for c in configs.get(key, [])[-8:]}:
            configs.setdefault(key, []).append(cfg)
        i += 1

    def module_block(key):
        return {"resources": configs.get(key, [])}

    root = module_block(None)
    root["module_calls"] = {
        "serving": {"source": "./serving", "module": module_block("module.serving")},
        "team": {
            "source": "./team",
            "for_each_expression": {},
            "module": module_block("module.team"),
        },
        "net": {
            "source": "./net",
            "module": {
                "resources": [],
                "module_calls": {
                    "inner": {
                        "source": "./inner",
                        "module": module_block("module.net.module.inner"),
                    }
                },
            },
        },
    }
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": changes,
        "configuration": {"root_module": root},
        "complete": True,
    }
    # Terraform writes the planned values too (checkov reads those).
    return with_planned_values(plan)


if __name__ == "__main__":
    plan = generate(int(sys.argv[1]), all_sagemaker="--all-sagemaker" in sys.argv)
    with open(sys.argv[2], "w") as out:
        json.dump(plan, out)
