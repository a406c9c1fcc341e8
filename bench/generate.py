"""Generate Terraform plans in the real `terraform show -json` format: seeded,
random but valid, for benchmarks (named shapes, bench/run.py) and for the
differential tests (`random_plan(seed)`, tests/test_differential.py).

A plan is built as Terraform builds one: a tree of module calls (some with
`for_each` or `count` instances), each with resource declarations (some with
`count`/`for_each`), whose instances become `resource_changes` and whose
expressions become `configuration` (one block per declaration, shared by every
instance of the module). Values are literals, nulls, empty blocks (`[]`), or
unknown until apply (absent from `after`, `true` in `after_unknown`) because
they refer to a resource of the plan, a data source or a module output. Every
SageMaker type the catalogue reads is made (endpoint -> endpoint configuration
-> model by name and by reference), with the network and IAM types the rules
read (VPCs, subnets, security groups with inline ingress/egress and rules, VPC
endpoints of every service-name form, KMS keys and aliases, ECR repositories,
IAM policies and SCPs) and types no rule reads (S3, IAM roles, EC2 instances,
route tables, ...). Actions: create, update, no-op, replace both ways, delete,
forget, and data reads. `planned_values` is written from `resource_changes`
as Terraform does (Checkov reads it).

Usage: python bench/generate.py RESOURCES OUT.json [--shape NAME] [--seed N]
       python bench/generate.py RESOURCES OUT.json --all-sagemaker   (= --shape sagemaker)
Shapes:"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field

from smguard.engines.checkov import with_planned_values

REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2")
ACCOUNT = "123456789012"

# Kinds of declaration and the types they make. A kind makes one resource
# declaration, except "serving" (model, endpoint configuration, endpoint).
SAGEMAKER_KINDS = (
    "serving",
    "model",
    "endpoint_configuration",
    "endpoint",
    "domain",
    "user_profile",
    "notebook",
    "job_definition",
    "model_quality_job_definition",
    "pipeline",
    "training_job",
    "processing_job",
    "transform_job",
)
NETWORK_KINDS = (
    "vpc",
    "subnet",
    "security_group",
    "security_group_rule",
    "ingress_rule",
    "vpc_endpoint",
    "kms_key",
    "kms_alias",
    "ecr_repository",
    "egress_rule",
    "route",
    "gateway",
    "main_route_table_association",
    "default_route_table",
)
IAM_KINDS = ("iam_policy", "iam_role_policy", "iam_user_policy", "iam_group_policy", "scp")
# Types only `smguard audit` writes (jobs that ran), always as no-op changes.
AUDIT_TYPES = frozenset(
    {"aws_sagemaker_training_job", "aws_sagemaker_processing_job", "aws_sagemaker_transform_job"}
)
# Types no rule reads: smguard leaves them out of the engine payload.
OTHER_TYPES = (
    "aws_s3_bucket",
    "aws_iam_role",
    "aws_instance",
    "aws_route_table",
    "aws_route_table_association",
    "aws_cloudwatch_log_group",
    "aws_lambda_function",
    "aws_iam_role_policy_attachment",
)


@dataclass(frozen=True)
class Shape:
    """What a generated plan is made of. weights: kind (above, or "other:<type>")
    -> relative share of declarations."""

    name: str
    weights: dict[str, float]
    module_share: float = 0.3  # share of declarations inside child modules
    module_depth: int = 2  # deepest nesting of child modules
    instance_share: float = 0.2  # share of declarations with count/for_each
    max_instances: int = 3
    unknown_rate: float = 0.3  # chance an attribute refers to something unknown
    delete_rate: float = 0.05  # chance of a delete/forget/replace action
    description: str = ""
    extra: dict = field(default_factory=dict)


def _uniform(kinds, weight=1.0):
    return dict.fromkeys(kinds, weight)


SHAPES = {
    "usual": Shape(
        "usual",
        {
            "serving": 1.0,
            "domain": 0.4,
            **_uniform(f"other:{t}" for t in OTHER_TYPES),
            "security_group_rule": 1.0,
            "kms_alias": 1.0,
        },
        module_share=0.33,
        instance_share=0.1,
        unknown_rate=0.2,
        delete_rate=0.0,
        description="the project's earlier benchmark: about 10% SageMaker (models, endpoint"
        " configurations, endpoints, domains), a third in child modules, filler types",
    ),
    "issue": Shape(
        "issue",
        {
            "security_group": 25.0,
            "other:aws_iam_role": 8.3,
            "other:aws_s3_bucket": 8.3,
            "other:aws_instance": 8.4,
            "serving": 10.0 / 3,
            **_uniform((f"other:{t}" for t in OTHER_TYPES[3:]), 40.0 / 5),
        },
        module_share=0.25,
        module_depth=1,
        instance_share=0.05,
        unknown_rate=0.3,
        delete_rate=0.0,
        description="issue 15's reproduction: a quarter aws_security_group with inline"
        " ingress, a quarter IAM roles, S3 buckets and EC2 instances, 10% SageMaker"
        " (endpoint -> configuration -> model by name), a quarter in a child module",
        extra={"by_name": True},
    ),
    "network": Shape(
        "network",
        {
            "security_group": 20.0,
            "other:aws_route_table": 15.0,
            "other:aws_route_table_association": 15.0,
            "route": 5.0,
            "gateway": 3.0,
            "egress_rule": 3.0,
            "main_route_table_association": 0.5,
            "default_route_table": 0.5,
            "subnet": 10.0,
            "security_group_rule": 10.0,
            "ingress_rule": 5.0,
            "vpc_endpoint": 5.0,
            "vpc": 2.0,
            "serving": 3.0,
            "domain": 1.0,
            "notebook": 1.0,
            "user_profile": 1.0,
            "other:aws_instance": 12.0,
        },
        module_share=0.5,
        module_depth=3,
        instance_share=0.4,
        max_instances=4,
        description="route tables, subnets, security groups (inline ingress, rules) and VPC"
        " endpoints in the thousands, half in modules up to three deep, many for_each"
        " instances, a few percent SageMaker (domains among them)",
    ),
    "iam": Shape(
        "iam",
        {
            **_uniform(IAM_KINDS, 4.0),
            "other:aws_iam_role": 20.0,
            "other:aws_iam_role_policy_attachment": 20.0,
            "other:aws_s3_bucket": 20.0,
            "serving": 3.0,
            "job_definition": 1.0,
        },
        module_share=0.3,
        description="IAM policies, role policies and SCPs (a fifth of the plan) among roles,"
        " attachments and buckets, a few percent SageMaker",
    ),
    "deep": Shape(
        "deep",
        {
            **_uniform(SAGEMAKER_KINDS, 1.0),
            **_uniform(NETWORK_KINDS, 1.0),
            **_uniform((f"other:{t}" for t in OTHER_TYPES), 3.0),
        },
        module_share=0.9,
        module_depth=5,
        instance_share=0.5,
        max_instances=3,
        description="every kind, nine in ten declarations in modules up to five deep,"
        " half with count/for_each",
    ),
    "sagemaker": Shape(
        "sagemaker",
        {"serving": 3.0, "domain": 1.0},
        module_share=0.33,
        instance_share=0.1,
        unknown_rate=0.2,
        delete_rate=0.0,
        description="all SageMaker: models, endpoint configurations, endpoints, domains",
    ),
}
__doc__ += ", ".join(SHAPES)


# ---------------------------------------------------------------------------
# Plan building


class _Module:
    """A module call (or the root): its address parts, instance keys, and config."""

    def __init__(self, parent: _Module | None, name: str | None, keys: list | None):
        self.parent, self.name, self.keys = parent, name, keys
        self.depth = 0 if parent is None else parent.depth + 1
        self.resources: list[dict] = []  # configuration blocks
        self.calls: dict[str, dict] = {}
        self.declared: dict[str, list[_Decl]] = {}  # type -> declarations, for references
        self.names: set[str] = set()

    def instance_prefixes(self) -> list[str]:
        """Module addresses of every instance: ["module.a[\"x\"]", ...] ("" for root)."""
        if self.parent is None:
            return [""]
        out = []
        for parent in self.parent.instance_prefixes():
            base = f"{parent}.module.{self.name}" if parent else f"module.{self.name}"
            out += [base] if self.keys is None else [f"{base}[{_key(k)}]" for k in self.keys]
        return out


@dataclass
class _Decl:
    type: str
    name: str
    keys: list | None  # instance keys (ints: count, strings: for_each)
    mode: str = "managed"

    def address(self) -> str:
        prefix = "data." if self.mode == "data" else ""
        return f"{prefix}{self.type}.{self.name}"

    def references(self, attribute: str, rng: random.Random) -> list[str]:
        """What Terraform lists for `type.name[key].attribute` (or the whole resource)."""
        base = self.address()
        if self.keys is None:
            return [f"{base}.{attribute}", base]
        if rng.random() < 0.3:
            return [base]  # a splat: type.name[*].attribute
        key = f"{base}[{_key(rng.choice(self.keys))}]"
        return [f"{key}.{attribute}", key, base]


def _key(k) -> str:
    return json.dumps(k) if isinstance(k, str) else str(k)


class _Unknown:
    """A value unknown until apply: absent from `after`, true in `after_unknown`;
    `references` for its configuration expression."""

    def __init__(self, references: list[str]):
        self.references = references


class _Builder:
    def __init__(self, rng: random.Random, shape: Shape):
        self.rng, self.shape = rng, shape
        self.changes: list[dict] = []
        self.root = _Module(None, None, None)
        self.modules = [self.root]
        self.serial = 0
        self.region = rng.choice(REGIONS)
        # known names of SageMaker resources across the plan, for references by name
        self.model_names: list[str] = []
        self.config_names: list[str] = []

    # -- helpers ----------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def next_id(self) -> int:
        self.serial += 1
        return self.serial

    def hexid(self, prefix: str) -> str:
        return f"{prefix}-{self.rng.getrandbits(68):017x}"

    def module(self) -> _Module:
        """Where the next declaration goes: the root, or a child module (made on demand)."""
        s = self.shape
        if s.module_depth == 0 or not self.chance(s.module_share):
            return self.root
        children = [m for m in self.modules if m.parent is not None]
        if children and self.chance(0.9 if len(children) > 3 else 0.6):
            return self.rng.choice(children)
        parents = [m for m in self.modules if m.depth < s.module_depth]
        parent = self.rng.choice(parents)
        roll = self.rng.random()
        keys = (
            None
            if roll < 0.5
            else (
                ["a", "b", "c"][: self.rng.randint(1, 3)]
                if roll < 0.8
                else list(range(self.rng.randint(1, 2)))
            )
        )
        name = f"mod{len(self.modules)}"
        child = _Module(parent, name, keys)
        call = {"source": f"./modules/{name}", "module": None}
        if isinstance(keys, list) and keys and isinstance(keys[0], str):
            call["for_each_expression"] = {"references": ["var.teams"]}
        elif keys is not None:
            call["count_expression"] = {"constant_value": len(keys)}
        parent.calls[name] = call
        self.modules.append(child)
        return child

    def declare(self, module: _Module, type_: str, base: str, mode: str = "managed") -> _Decl:
        name = f"{base}{self.next_id()}"
        keys = None
        if mode == "managed" and self.chance(self.shape.instance_share):
            n = self.rng.randint(1, self.shape.max_instances)
            keys = list(range(n)) if self.chance(0.5) else [f"k{i}" for i in range(n)]
        return _Decl(type_, name, keys, mode)

    def target(self, module: _Module, type_: str) -> _Decl | None:
        decls = module.declared.get(type_)
        return self.rng.choice(decls) if decls else None

    def ref(self, module: _Module, type_: str, attribute: str = "id"):
        """An unknown value referring to a resource of type in the module, else to
        something the plan cannot show (a variable, data source, module output)."""
        decl = self.target(module, type_)
        if decl is not None and self.chance(0.85):
            return _Unknown(decl.references(attribute, self.rng))
        return self.unresolvable(module, type_, attribute)

    def unresolvable(self, module: _Module, type_: str, attribute: str = "id"):
        roll = self.rng.random()
        if roll < 0.4:
            data = _Decl(type_, f"existing{self.next_id()}", None, "data")
            module.resources.append(
                {
                    "address": data.address(),
                    "mode": "data",
                    "type": type_,
                    "name": data.name,
                    "expressions": {},
                }
            )
            if module is self.root and self.chance(0.3):
                # read at apply (it depends on something unknown): a change of its own
                self.changes.append(self.change("", data, None, data.address(), {}, {}))
            return _Unknown(data.references(attribute, self.rng))
        if roll < 0.7 and module.calls:
            return _Unknown([f"module.{next(iter(module.calls))}.{attribute}"])
        return _Unknown([f"var.{type_.removeprefix('aws_')}_{attribute}"])

    def known_or_ref(self, module, type_, known, attribute="id"):
        if self.chance(self.shape.unknown_rate):
            return self.ref(module, type_, attribute)
        return known

    def emit(self, module: _Module, decl: _Decl, build, expressions: dict | None = None):
        """The configuration block of decl, and a resource change per instance:
        build(address, key) -> after (values may be _Unknown)."""
        block = {
            "address": decl.address(),
            "mode": decl.mode,
            "type": decl.type,
            "name": decl.name,
            "provider_config_key": "aws",
            "expressions": dict(expressions or {}),
            "schema_version": 0,
        }
        if decl.keys is not None and decl.mode == "managed":
            if isinstance(decl.keys[0] if decl.keys else 0, str):
                block["for_each_expression"] = {"references": ["var.names"]}
            else:
                block["count_expression"] = {"constant_value": len(decl.keys)}
        module.resources.append(block)
        module.declared.setdefault(decl.type, []).append(decl)
        for prefix in module.instance_prefixes():
            for key in [None] if decl.keys is None else decl.keys:
                local = decl.address() if key is None else f"{decl.address()}[{_key(key)}]"
                address = f"{prefix}.{local}" if prefix else local
                after, unknown = _split(build(address, key), block["expressions"])
                self.changes.append(self.change(prefix, decl, key, address, after, unknown))

    def change(self, prefix, decl, key, address, after, unknown) -> dict:
        rc = {"address": address}
        if prefix:
            rc["module_address"] = prefix
        rc.update(mode=decl.mode, type=decl.type, name=decl.name)
        if key is not None:
            rc["index"] = key
        rc["provider_name"] = "registry.terraform.io/hashicorp/aws"
        if "id" not in after:
            unknown.setdefault("id", True)
        if decl.mode == "data":
            actions = ["read"]
        elif decl.type in AUDIT_TYPES:
            actions = ["no-op"]  # what the audit writes: the account as it is
        else:
            actions = self.actions()
        before = None
        if actions != ["create"] and actions != ["read"]:
            before = {**after, "id": self.hexid("old")}
        if actions in (["delete"], ["forget"]):
            after, unknown = None, {}
        elif actions == ["no-op"] or actions == ["update"]:
            after = {**after, "id": before["id"]}
            unknown.pop("id", None)
            if actions == ["no-op"] and any(v is True for v in unknown.values()):
                actions = ["update"]  # a no-op has nothing unknown
        change = {
            "actions": actions,
            "before": before,
            "after": after,
            "after_unknown": unknown,
            "before_sensitive": False if before is None else {},
            "after_sensitive": False if after is None else {},
        }
        rc["change"] = change
        if len(actions) == 2:
            rc["action_reason"] = "replace_because_cannot_update"
            change["replace_paths"] = [[self.rng.choice(sorted(after or {"name": 0}))]]
        if decl.mode == "data":
            rc["action_reason"] = "read_because_dependency_pending"
        return rc

    def actions(self) -> list[str]:
        if not self.chance(self.shape.delete_rate * 4):
            return ["create"]
        return self.rng.choice(
            [
                ["no-op"],
                ["update"],
                ["delete", "create"],
                ["create", "delete"],
                ["delete"],
                ["forget"],
                ["no-op"],
                ["update"],
            ]
        )

    # -- kinds ------------------------------------------------------------

    def make(self, kind: str) -> None:
        module = self.module()
        if kind.startswith("other:"):
            self.other(module, kind.removeprefix("other:"))
        else:
            getattr(self, f"k_{kind}")(module)

    def ensure_network(self, module: _Module) -> None:
        """A VPC, a subnet and a security group in every module that gets SageMaker
        resources, as real root modules have (most references need targets)."""
        if "aws_vpc" not in module.declared and self.chance(0.8):
            self.k_vpc(module)
        if "aws_subnet" not in module.declared and self.chance(0.8):
            self.k_subnet(module)
        if "aws_security_group" not in module.declared and self.chance(0.8):
            self.k_security_group(module)

    def other(self, module: _Module, type_: str) -> None:
        decl = self.declare(module, type_, type_.split("_", 1)[1][:6])
        rng = self.rng
        tags = {"team": rng.choice(["ml", "data", "platform"]), "env": rng.choice(["dev", "prod"])}

        def build(address, key):
            n = self.next_id()
            if type_ == "aws_s3_bucket":
                return {
                    "bucket": f"bucket-{n}",
                    "force_destroy": False,
                    "tags": tags,
                    "timeouts": None,
                }
            if type_ == "aws_iam_role":
                return {
                    "assume_role_policy": json.dumps(
                        {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "sts:AssumeRole",
                                    "Principal": {"Service": "sagemaker.amazonaws.com"},
                                }
                            ],
                        }
                    ),
                    "description": None,
                    "force_detach_policies": False,
                    "max_session_duration": 3600,
                    "name": f"role-{n}",
                    "path": "/",
                    "permissions_boundary": None,
                    "tags": tags,
                    "inline_policy": _Unknown([]),
                    "managed_policy_arns": _Unknown([]),
                    "arn": _Unknown([]),
                }
            if type_ == "aws_instance":
                return {
                    "ami": "ami-0abcdef1234567890",
                    "instance_type": rng.choice(["t3.micro", "m5.large"]),
                    "subnet_id": self.known_or_ref(module, "aws_subnet", self.hexid("subnet")),
                    "vpc_security_group_ids": _Unknown([]),
                    "tags": tags,
                    "user_data": "x" * rng.randint(20, 300),
                    "ebs_block_device": [],
                    "root_block_device": [{"volume_size": 20, "encrypted": True}],
                }
            if type_ == "aws_route_table":
                return {
                    "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc")),
                    "route": [self._route(module) for _ in range(rng.randint(0, 2))],
                    "propagating_vgws": [],
                    "tags": tags,
                }
            if type_ == "aws_route_table_association":
                return {
                    "route_table_id": self.known_or_ref(
                        module, "aws_route_table", self.hexid("rtb")
                    ),
                    "subnet_id": self.known_or_ref(module, "aws_subnet", self.hexid("subnet")),
                    "gateway_id": None,
                }
            return {"name": f"{type_}-{n}", "tags": tags, "description": "x" * rng.randint(20, 200)}

        self.emit(module, decl, build)

    def k_vpc(self, module):
        decl = self.declare(module, "aws_vpc", "vpc")

        def build(address, key):
            out = {
                "cidr_block": f"10.{self.rng.randint(0, 255)}.0.0/16",
                "enable_dns_hostnames": True,
                "enable_dns_support": True,
                "instance_tenancy": "default",
                "tags": {"Name": "ml"},
                "assign_generated_ipv6_cidr_block": None,
                "ipv4_ipam_pool_id": None,
            }
            if self.chance(0.3):
                out["id"] = self.hexid("vpc")
            return out

        self.emit(module, decl, build)

    def k_subnet(self, module):
        decl = self.declare(module, "aws_subnet", "subnet")

        def build(address, key):
            return {
                "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc")),
                "cidr_block": f"10.0.{self.rng.randint(0, 255)}.0/24",
                "availability_zone": f"{self.region}a",
                "map_public_ip_on_launch": self.chance(0.2),
                "tags": None,
                "timeouts": None,
            }

        self.emit(module, decl, build)

    def _rule_block(self, module, egress: bool) -> dict:
        rng = self.rng
        protocol = rng.choice(["tcp", "tcp", "-1", "udp", "6", "TCP"])
        port = rng.choice([443, 443, 80, 22, 0])
        block = {
            "cidr_blocks": rng.choice([["10.0.0.0/8"], ["0.0.0.0/0"], [], ["10.1.0.0/16", "::/0"]]),
            "description": "",
            "from_port": port,
            "to_port": port if port else 65535,
            "ipv6_cidr_blocks": [],
            "prefix_list_ids": [],
            "protocol": protocol,
            "security_groups": [],
            "self": self.chance(0.2),
        }
        if not egress and self.chance(0.4):
            other = self.target(module, "aws_security_group")
            block["security_groups"] = (
                [self.hexid("sg")]
                if other is None or self.chance(0.5)
                else _Unknown(other.references("id", rng))
            )
        return block

    def k_security_group(self, module):
        decl = self.declare(module, "aws_security_group", "sg")

        def build(address, key):
            out = {
                "description": "Managed by Terraform",
                "name": f"sg-{self.rng.randint(0, 10**6)}",
                "revoke_rules_on_delete": False,
                "tags": None,
                "timeouts": None,
                "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc")),
                "ingress": [self._rule_block(module, False) for _ in range(self.rng.randint(1, 3))],
                "egress": [self._rule_block(module, True) for _ in range(self.rng.randint(0, 2))],
            }
            if self.chance(0.2):
                out["id"] = self.hexid("sg")
            return out

        self.emit(module, decl, build)

    def k_security_group_rule(self, module):
        decl = self.declare(module, "aws_security_group_rule", "sgr")

        def build(address, key):
            block = self._rule_block(module, False)
            return {
                "type": self.rng.choice(["ingress", "ingress", "egress"]),
                "security_group_id": self.known_or_ref(
                    module, "aws_security_group", self.hexid("sg")
                ),
                "source_security_group_id": self.ref(module, "aws_security_group")
                if self.chance(0.4)
                else None,
                "protocol": block["protocol"],
                "from_port": block["from_port"],
                "to_port": block["to_port"],
                "cidr_blocks": block["cidr_blocks"] or None,
                "self": block["self"],
                "description": None,
            }

        self.emit(module, decl, build)

    def k_ingress_rule(self, module):
        decl = self.declare(module, "aws_vpc_security_group_ingress_rule", "ing")

        def build(address, key):
            return {
                "security_group_id": self.ref(module, "aws_security_group"),
                "referenced_security_group_id": self.ref(module, "aws_security_group")
                if self.chance(0.4)
                else None,
                "ip_protocol": self.rng.choice(["tcp", "-1", "udp"]),
                "from_port": self.rng.choice([443, 80]),
                "to_port": 443,
                "cidr_ipv4": self.rng.choice([None, "10.0.0.0/8", "0.0.0.0/0"]),
                "cidr_ipv6": None,
                "prefix_list_id": None,
                "description": None,
                "tags": None,
            }

        self.emit(module, decl, build)

    def k_vpc_endpoint(self, module):
        decl = self.declare(module, "aws_vpc_endpoint", "vpce")
        rng = self.rng

        def build(address, key):
            service = rng.choice(
                ["s3", "sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr"]
            )
            form = rng.random()
            if form < 0.6:
                name = f"com.amazonaws.{self.region}.{service}"
            elif form < 0.75:
                name = f"aws.sagemaker.{self.region}.notebook"
            elif form < 0.85:
                name = f"com.amazonaws.vpce.{self.region}.vpce-svc-{rng.getrandbits(60):015x}"
            else:
                name = self.ref(module, "aws_vpc_endpoint_service", "service_name")
            gateway = service == "s3" and self.chance(0.7)
            return {
                "service_name": name,
                "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc")),
                "vpc_endpoint_type": rng.choice(
                    ["Gateway" if gateway else "Interface", None, "Interface"]
                ),
                "private_dns_enabled": rng.choice([True, True, False, None]),
                "security_group_ids": rng.choice(
                    [[], [self.hexid("sg")], self.ref(module, "aws_security_group")]
                ),
                "subnet_ids": [],
                "route_table_ids": [],
                "auto_accept": None,
                "tags": None,
                "timeouts": None,
                "policy": _Unknown([]),
            }

        self.emit(module, decl, build)

    _TARGETS = (
        ("gateway_id", "aws_internet_gateway", "igw"),
        ("nat_gateway_id", "aws_nat_gateway", "nat"),
        ("egress_only_gateway_id", "aws_egress_only_internet_gateway", "eigw"),
        ("transit_gateway_id", "aws_ec2_transit_gateway", "tgw"),
        ("vpc_peering_connection_id", "aws_vpc_peering_connection", "pcx"),
        ("network_interface_id", "aws_network_interface", "eni"),
        ("gateway_id", "aws_vpn_gateway", "vgw"),
        ("vpc_endpoint_id", "aws_vpc_endpoint", "vpce"),
    )

    def _route(self, module, inline=True) -> dict:
        """A route (an inline `route` block, or an aws_route's attributes) to a
        gateway of the plan, or to an id the plan does not show."""
        rng = self.rng
        attribute, type_, prefix = rng.choice(self._TARGETS)
        ipv6 = self.chance(0.2)
        cidr = (
            None if ipv6 else rng.choice(["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "192.168.0.0/16"])
        )
        route = {
            "cidr_block" if inline else "destination_cidr_block": cidr or ("" if inline else None),
            "ipv6_cidr_block" if inline else "destination_ipv6_cidr_block": "::/0"
            if ipv6
            else ("" if inline else None),
            "destination_prefix_list_id": "" if inline else None,
        }
        for other, _, _ in self._TARGETS:
            route[other] = "" if inline else None
        route[attribute] = self.known_or_ref(module, type_, self.hexid(prefix))
        return route

    def k_route(self, module):
        decl = self.declare(module, "aws_route", "route")

        def build(address, key):
            return {
                "route_table_id": self.known_or_ref(module, "aws_route_table", self.hexid("rtb")),
                **self._route(module, inline=False),
                "timeouts": None,
            }

        self.emit(module, decl, build)

    def k_gateway(self, module):
        rng = self.rng
        _, type_, prefix = rng.choice(self._TARGETS[:-1])
        decl = self.declare(module, type_, prefix)

        def build(address, key):
            out = {"tags": None}
            if type_ in (
                "aws_internet_gateway",
                "aws_egress_only_internet_gateway",
                "aws_vpn_gateway",
            ):
                out["vpc_id"] = self.known_or_ref(module, "aws_vpc", self.hexid("vpc"))
            elif type_ in ("aws_nat_gateway", "aws_network_interface"):
                out["subnet_id"] = self.known_or_ref(module, "aws_subnet", self.hexid("subnet"))
                if type_ == "aws_nat_gateway":
                    out["connectivity_type"] = rng.choice(["public", "private", None])
                    out["allocation_id"] = self.hexid("eipalloc")
            elif type_ == "aws_vpc_peering_connection":
                out["vpc_id"] = self.known_or_ref(module, "aws_vpc", self.hexid("vpc"))
                out["peer_vpc_id"] = self.hexid("vpc")
            else:
                out["description"] = "hub"
            if self.chance(0.3):
                out["id"] = self.hexid(prefix)
            return out

        self.emit(module, decl, build)

    def k_main_route_table_association(self, module):
        decl = self.declare(module, "aws_main_route_table_association", "main")

        def build(address, key):
            return {
                "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc")),
                "route_table_id": self.known_or_ref(module, "aws_route_table", self.hexid("rtb")),
            }

        self.emit(module, decl, build)

    def k_default_route_table(self, module):
        decl = self.declare(module, "aws_default_route_table", "default")

        def build(address, key):
            return {
                "default_route_table_id": self.ref(module, "aws_vpc", "default_route_table_id"),
                "route": [self._route(module) for _ in range(self.rng.randint(0, 2))],
                "propagating_vgws": None,
                "tags": None,
            }

        self.emit(module, decl, build)

    def k_egress_rule(self, module):
        decl = self.declare(module, "aws_vpc_security_group_egress_rule", "egr")

        def build(address, key):
            return {
                "security_group_id": self.ref(module, "aws_security_group"),
                "referenced_security_group_id": self.ref(module, "aws_security_group")
                if self.chance(0.2)
                else None,
                "ip_protocol": self.rng.choice(["tcp", "-1"]),
                "from_port": 443,
                "to_port": 443,
                "cidr_ipv4": self.rng.choice([None, "10.0.0.0/8", "0.0.0.0/0"]),
                "cidr_ipv6": self.rng.choice([None, "::/0"]),
                "prefix_list_id": None,
                "description": None,
                "tags": None,
            }

        self.emit(module, decl, build)

    def k_kms_key(self, module):
        decl = self.declare(module, "aws_kms_key", "key")

        def build(address, key):
            return {
                "description": "ml",
                "enable_key_rotation": self.chance(0.7),
                "is_enabled": True,
                "key_usage": "ENCRYPT_DECRYPT",
                "deletion_window_in_days": 30,
                "customer_master_key_spec": "SYMMETRIC_DEFAULT",
                "tags": None,
                "arn": _Unknown([]),
                "key_id": _Unknown([]),
            }

        self.emit(module, decl, build)

    def k_kms_alias(self, module):
        decl = self.declare(module, "aws_kms_alias", "alias")

        def build(address, key):
            return {
                "name": f"alias/ml-{self.next_id()}",
                "target_key_id": self.ref(module, "aws_kms_key", "key_id"),
                "arn": _Unknown([]),
            }

        self.emit(module, decl, build)

    def k_ecr_repository(self, module):
        decl = self.declare(module, "aws_ecr_repository", "ecr")

        def build(address, key):
            name = self.rng.choice(["serving", "sagemaker-pytorch", "pytorch-inference", "xgb"])
            return {
                "name": name if self.chance(0.85) else _Unknown(["var.repository"]),
                "image_tag_mutability": "MUTABLE",
                "force_delete": None,
                "tags": None,
                "encryption_configuration": [],
                "image_scanning_configuration": [],
                "repository_url": _Unknown([]),
            }

        self.emit(module, decl, build)

    def kms(self, module):
        roll = self.rng.random()
        if roll < 0.3:
            return None
        if roll < 0.6:
            return f"arn:aws:kms:{self.region}:{ACCOUNT}:key/{self.rng.getrandbits(64):016x}"
        if roll < 0.7:
            return f"alias/ml-{self.rng.randint(0, 9)}"
        return self.ref(module, self.rng.choice(["aws_kms_key", "aws_kms_alias"]), "arn")

    def subnets(self, module):
        roll = self.rng.random()
        if roll < 0.15:
            return []
        if roll < 0.5:
            return [self.hexid("subnet") for _ in range(self.rng.randint(1, 2))]
        return self.ref(module, "aws_subnet")

    def groups(self, module):
        roll = self.rng.random()
        if roll < 0.15:
            return []
        if roll < 0.5:
            return [self.hexid("sg")]
        return self.ref(module, "aws_security_group")

    # SageMaker

    def _container(self, module, rng):
        image = rng.choice(
            [
                f"{ACCOUNT}.dkr.ecr.{self.region}.amazonaws.com/serving:1.0",
                f"763104351884.dkr.ecr.{self.region}.amazonaws.com/pytorch-inference:2.1.0-gpu",
                f"763104351884.dkr.ecr.{self.region}.amazonaws.com/huggingface-pytorch-tgi-inference:2.1",
                f"683313688378.dkr.ecr.{self.region}.amazonaws.com/sagemaker-scikit-learn:1.2-1",
                f"{ACCOUNT}.dkr.ecr.{self.region}.amazonaws.com/xgb@sha256:{'a' * 64}",
            ]
        )
        environment = rng.choice(
            [
                {"SAGEMAKER_PROGRAM": "inference.py"},
                {"HF_MODEL_ID": "meta-llama/Llama-3-8B", "HF_TOKEN": "hf_x"},
                {"MODEL_URL": "s3://bucket/model.tar.gz"},
                {"HF_MODEL_ID": "/opt/ml/model"},
                {},
                None,
            ]
        )
        if environment and self.chance(0.1):
            environment = {**environment, "ENDPOINT": _Unknown(["var.endpoint"])}
        return {
            "container_hostname": None,
            "environment": environment,
            "image": image
            if not self.chance(self.shape.unknown_rate / 2)
            else self.ref(module, "aws_ecr_repository", "repository_url"),
            "image_config": [],
            "mode": "SingleModel",
            "model_data_url": rng.choice([f"s3://models/{self.next_id()}/model.tar.gz", None]),
            "model_package_name": None,
            "multi_model_config": [],
        }

    def k_model(self, module, name=None) -> _Decl:
        self.ensure_network(module)
        decl = self.declare(module, "aws_sagemaker_model", "m")
        rng = self.rng
        literal = name if name is not None else self.chance(0.85)

        def build(address, key):
            isolation = rng.choice([True, True, True, False, None, "unknown"])
            out = {
                "name": (name or f"model-{self.next_id()}") if literal else _Unknown([]),
                "enable_network_isolation": self.ref(module, "aws_iam_role", "arn")
                if isolation == "unknown"
                else isolation,
                "execution_role_arn": self.ref(module, "aws_iam_role", "arn"),
                "tags": None,
                "inference_execution_config": [],
            }
            containers = [self._container(module, rng) for _ in range(rng.randint(1, 2))]
            if self.chance(0.7):
                out["primary_container"], out["container"] = containers[:1], []
            else:
                out["primary_container"], out["container"] = [], containers
            if self.chance(0.05):
                out["primary_container"] = _Unknown(["var.container"])
            vpc = rng.random()
            if vpc < 0.25:
                out["vpc_config"] = []
            else:
                out["vpc_config"] = [
                    {"subnets": self.subnets(module), "security_group_ids": self.groups(module)}
                ]
            if isinstance(out["name"], str):
                self.model_names.append(out["name"])
            return out

        self.emit(module, decl, build)
        return decl

    def k_endpoint_configuration(self, module, model: _Decl | None = None, name=None) -> _Decl:
        decl = self.declare(module, "aws_sagemaker_endpoint_configuration", "epc")
        rng = self.rng
        by_name = self.shape.extra.get("by_name")

        def model_name():
            if model is not None and not by_name and self.chance(0.5):
                return _Unknown(model.references("name", rng))
            if self.model_names and self.chance(0.8):
                return rng.choice(self.model_names[-5:])
            return rng.choice(["model-not-here", self.ref(module, "aws_sagemaker_model", "name")])

        def build(address, key):
            variants = [
                {
                    "variant_name": f"v{i}",
                    "model_name": model_name(),
                    "initial_instance_count": 1,
                    "instance_type": "ml.m5.large",
                    "serverless_config": [],
                    "core_dump_config": [],
                    "routing_config": [],
                }
                for i in range(rng.randint(0, 2) if self.chance(0.1) else rng.randint(1, 2))
            ]
            out = {
                "name": name or f"epc-{self.next_id()}",
                "kms_key_arn": self.kms(module),
                "production_variants": variants,
                "shadow_production_variants": [] if self.chance(0.8) else variants[:1],
                "data_capture_config": [],
                "tags": None,
                "async_inference_config": [],
            }
            if self.chance(0.2):
                out["async_inference_config"] = [
                    {
                        "client_config": [],
                        "output_config": [
                            {
                                "kms_key_id": self.kms(module),
                                "s3_output_path": "s3://out/",
                                "notification_config": [],
                            }
                        ],
                    }
                ]
            if self.chance(0.03):
                out["production_variants"] = _Unknown(["var.variants"])
            if isinstance(out["name"], str):
                self.config_names.append(out["name"])
            return out

        self.emit(module, decl, build)
        return decl

    def k_endpoint(self, module, config: _Decl | None = None, name=None) -> _Decl:
        decl = self.declare(module, "aws_sagemaker_endpoint", "ep")
        rng = self.rng
        by_name = self.shape.extra.get("by_name")

        def build(address, key):
            if name is not None and (by_name or self.chance(0.5)):
                target = name
            elif config is not None and self.chance(0.7):
                target = _Unknown(config.references("name", rng))
            elif self.config_names and self.chance(0.7):
                target = rng.choice(self.config_names[-5:])
            else:
                target = rng.choice(
                    [
                        "epc-elsewhere",
                        self.ref(module, "aws_sagemaker_endpoint_configuration", "name"),
                    ]
                )
            return {
                "name": f"ep-{self.next_id()}",
                "endpoint_config_name": target,
                "deployment_config": [],
                "tags": None,
            }

        self.emit(module, decl, build)
        return decl

    def k_serving(self, module):
        """Model -> endpoint configuration -> endpoint, by name or by reference."""
        n = self.next_id()
        model = self.k_model(module, name=f"model-{n}")
        config = self.k_endpoint_configuration(module, model, name=f"epc-{n}")
        self.k_endpoint(module, config, name=f"epc-{n}")

    def k_domain(self, module):
        self.ensure_network(module)
        if "aws_vpc_endpoint" not in module.declared and self.chance(0.5):
            for _ in range(self.rng.randint(1, 4)):
                self.k_vpc_endpoint(module)
        decl = self.declare(module, "aws_sagemaker_domain", "studio")
        rng = self.rng

        def build(address, key):
            access = rng.choice(["VpcOnly", "VpcOnly", "PublicInternetOnly", None, "unknown"])
            user = {
                "execution_role": f"arn:aws:iam::{ACCOUNT}:role/studio",
                "security_groups": self.groups(module),
                "sharing_settings": [],
                "jupyter_server_app_settings": [],
            }
            out = {
                "domain_name": f"studio-{self.next_id()}",
                "auth_mode": "IAM",
                "app_network_access_type": _Unknown(["var.access"])
                if access == "unknown"
                else access,
                "vpc_id": self.known_or_ref(module, "aws_vpc", self.hexid("vpc"))
                if self.chance(0.9)
                else None,
                "subnet_ids": self.subnets(module),
                "kms_key_id": self.kms(module),
                "default_user_settings": [user],
                "default_space_settings": []
                if self.chance(0.6)
                else [{"execution_role": "r", "security_groups": self.groups(module)}],
                "domain_settings": [],
                "retention_policy": [],
                "app_security_group_management": None,
                "tag_propagation": "DISABLED",
                "tags": None,
                "url": _Unknown([]),
            }
            return out

        self.emit(module, decl, build)

    def k_user_profile(self, module):
        domains = module.declared.get("aws_sagemaker_domain")
        if not domains:
            self.k_domain(module)
            domains = module.declared["aws_sagemaker_domain"]
        decl = self.declare(module, "aws_sagemaker_user_profile", "user")
        rng = self.rng

        def build(address, key):
            settings = rng.choice(
                [[], [{"execution_role": "r", "security_groups": self.groups(module)}]]
            )
            return {
                "user_profile_name": f"user-{self.next_id()}",
                "domain_id": _Unknown(rng.choice(domains).references("id", rng))
                if self.chance(0.85)
                else self.hexid("d"),
                "user_settings": settings,
                "single_sign_on_user_identifier": None,
                "single_sign_on_user_value": None,
                "tags": None,
            }

        self.emit(module, decl, build)

    def k_notebook(self, module):
        self.ensure_network(module)
        decl = self.declare(module, "aws_sagemaker_notebook_instance", "nb")
        rng = self.rng

        def flag(values):
            value = rng.choice(values)
            return self.ref(module, "aws_ssm_parameter", "value") if value == "unknown" else value

        def build(address, key):
            subnet = rng.random()
            return {
                "name": f"nb-{self.next_id()}",
                "instance_type": "ml.t3.medium",
                "role_arn": self.ref(module, "aws_iam_role", "arn"),
                "direct_internet_access": flag(
                    ["Disabled", "Disabled", "Enabled", None, "unknown"]
                ),
                "root_access": flag(["Disabled", "Enabled", None, "unknown"]),
                "subnet_id": None
                if subnet < 0.2
                else (self.hexid("subnet") if subnet < 0.5 else self.ref(module, "aws_subnet")),
                "security_groups": self.groups(module),
                "kms_key_id": self.kms(module),
                "volume_size": 5,
                "accelerator_types": None,
                "additional_code_repositories": None,
                "default_code_repository": None,
                "lifecycle_config_name": None,
                "instance_metadata_service_configuration": [],
                "tags": None,
            }

        self.emit(module, decl, build)

    def k_model_quality_job_definition(self, module):
        kind = self.rng.choice(["model_quality", "model_bias", "model_explainability"])
        self.k_job_definition(module, kind)

    def k_job_definition(self, module, kind="data_quality"):
        self.ensure_network(module)
        decl = self.declare(
            module, f"aws_sagemaker_{kind}_job_definition", kind.replace("_", "")[:6]
        )
        rng = self.rng

        def build(address, key):
            network = rng.random()
            if network < 0.2:
                config = []
            else:
                config = [
                    {
                        "enable_network_isolation": rng.choice([True, False, None]),
                        "enable_inter_container_traffic_encryption": rng.choice(
                            [True, False, None]
                        ),
                        "vpc_config": []
                        if self.chance(0.3)
                        else [
                            {
                                "subnets": self.subnets(module),
                                "security_group_ids": self.groups(module),
                            }
                        ],
                    }
                ]
            return {
                "name": f"dq-{self.next_id()}",
                "role_arn": self.ref(module, "aws_iam_role", "arn"),
                "network_config": config if not self.chance(0.05) else _Unknown(["var.network"]),
                f"{kind}_app_specification": [{"image_uri": "img"}],
                f"{kind}_baseline_config": [],
                f"{kind}_job_input": [],
                f"{kind}_job_output_config": [],
                "job_resources": [],
                "tags": None,
            }

        self.emit(module, decl, build)

    def _step(self, rng, i):
        kind = rng.choice(["Processing", "Training", "Tuning", "Transform", "Model", "Condition"])
        vpc = rng.choice(
            [
                None,
                {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]},
                {"Subnets": [], "SecurityGroupIds": ["sg-1"]},
                {"Subnets": {"Get": "Parameters.Subnets"}, "SecurityGroupIds": ["sg-1"]},
            ]
        )
        isolation = rng.choice([True, False, None, {"Get": "Parameters.Isolation"}])
        request = {
            k: v
            for k, v in (("EnableNetworkIsolation", isolation), ("VpcConfig", vpc))
            if v is not None
        }
        if kind == "Processing":
            args = {} if self.chance(0.2) else {"NetworkConfig": request}
        elif kind == "Training":
            args = request
        elif kind == "Tuning":
            args = rng.choice(
                [{}, {"TrainingJobDefinition": request}, {"TrainingJobDefinitions": [request, {}]}]
            )
        elif kind == "Transform":
            args = {
                "ModelName": rng.choice(
                    [{"Get": "Steps.M.ModelName"}, *self.model_names[-2:], "nope"]
                )
            }
        elif kind == "Model":
            args = {"ExecutionRoleArn": "r", "PrimaryContainer": {"Image": "img"}}
        else:
            args = {
                "Conditions": [],
                "IfSteps": [self._step(rng, i + 100)] if i < 100 else [],
                "ElseSteps": [],
            }
        return {"Name": f"S{i}" if kind != "Model" else "M", "Type": kind, "Arguments": args}

    def k_pipeline(self, module):
        decl = self.declare(module, "aws_sagemaker_pipeline", "pipe")
        rng = self.rng

        def build(address, key):
            roll = rng.random()
            s3 = []
            if roll < 0.7:
                definition = json.dumps(
                    {
                        "Version": "2020-12-01",
                        "Parameters": [],
                        "Steps": [self._step(rng, i) for i in range(rng.randint(1, 4))],
                    }
                )
            elif roll < 0.8:
                definition = rng.choice(["{not json", "[1, 2]"])
            elif roll < 0.9:
                definition = _Unknown(["data.aws_s3_object.definition.body"])
            else:
                definition = None
                s3 = rng.choice([[], [{"bucket": "b", "object_key": "k.json", "version_id": None}]])
            return {
                "pipeline_name": f"pipe-{self.next_id()}",
                "pipeline_display_name": "p",
                "pipeline_description": None,
                "role_arn": self.ref(module, "aws_iam_role", "arn"),
                "pipeline_definition": definition,
                "pipeline_definition_s3_location": s3,
                "parallelism_configuration": [],
                "tags": None,
            }

        self.emit(module, decl, build)

    def _job(self, module, type_, base, extra):
        decl = self.declare(module, type_, base)

        def build(address, key):
            return {
                "name": f"{base}-{self.next_id()}",
                "arn": f"arn:aws:sagemaker:{self.region}:{ACCOUNT}:job/x",
                "role_arn": "r",
                "region": self.region,
                **extra(),
            }

        self.emit(module, decl, build)

    def _vpc(self):
        """A job's vpc_config as the audit writes it (a list of one block, or [])."""
        return self.rng.choice(
            [
                [],
                [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
                [{"subnets": [], "security_group_ids": []}],
                [{"subnets": ["subnet-1"], "security_group_ids": []}],
            ]
        )

    def k_training_job(self, module):
        self._job(
            module,
            "aws_sagemaker_training_job",
            "train",
            lambda: {
                "enable_network_isolation": self.rng.choice([True, False, None]),
                "enable_inter_container_traffic_encryption": self.rng.choice([True, False]),
                "vpc_config": self._vpc(),
                "training_job_status": "Completed",
            },
        )

    def k_processing_job(self, module):
        self._job(
            module,
            "aws_sagemaker_processing_job",
            "proc",
            lambda: {
                "network_config": self.rng.choice(
                    [
                        [],
                        [
                            {
                                "enable_network_isolation": self.rng.choice([True, False, None]),
                                "enable_inter_container_traffic_encryption": self.rng.choice(
                                    [True, None]
                                ),
                                "vpc_config": self._vpc(),
                            }
                        ],
                    ]
                ),
                "processing_job_status": "Completed",
            },
        )

    def k_transform_job(self, module):
        self._job(
            module,
            "aws_sagemaker_transform_job",
            "xform",
            lambda: {
                "model_name": self.rng.choice([*self.model_names[-3:], "missing-model", None]),
                "transform_job_status": "Completed",
            },
        )

    # IAM

    def _policy_text(self, scp: bool):
        rng = self.rng
        roll = rng.random()
        if roll < 0.1:
            return "{not json"
        if roll < 0.15:
            return json.dumps(["a"])
        if roll < 0.3:
            return json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
                }
            )
        actions = rng.choice(
            [
                ["sagemaker:CreateModel", "sagemaker:CreateTrainingJob"],
                "sagemaker:Create*",
                ["SageMaker:CreateModel"],
                "*",
            ]
        )
        statements = []
        for _ in range(rng.randint(1, 3)):
            condition = rng.choice(
                [
                    {"Null": {"sagemaker:VpcSubnets": "true"}},
                    {"Null": {"sagemaker:VpcSecurityGroupIds": "true"}},
                    {"Bool": {"sagemaker:NetworkIsolation": "false"}},
                    {"BoolIfExists": {"sagemaker:NetworkIsolation": "false"}},
                    {
                        "ForAnyValue:StringNotEquals": {
                            "sagemaker:VpcSubnets": ["subnet-1", "subnet-2"]
                        }
                    },
                    {"ForAllValues:StringEquals": {"sagemaker:VpcSecurityGroupIds": ["sg-1"]}},
                    {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}},
                    {},
                ]
            )
            statement = {
                "Effect": rng.choice(["Deny", "Deny", "Allow"]),
                "Action": actions,
                "Resource": "*",
                "Condition": condition,
            }
            if rng.random() < 0.2:
                statement["Sid"] = f"S{rng.randint(0, 99)}"
            statements.append(statement)
        return json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": statements if rng.random() < 0.9 else statements[0],
            }
        )

    def _iam(self, module, type_, base, extra):
        decl = self.declare(module, type_, base)
        attribute = "content" if type_ == "aws_organizations_policy" else "policy"
        expressions = {}
        if self.chance(self.shape.unknown_rate / 2):
            doc = _Decl("aws_iam_policy_document", f"doc{self.next_id()}", None, "data")
            expressions[attribute] = {"references": [f"{doc.address()}.json", doc.address()]}

        def build(address, key):
            text = self._policy_text(type_ == "aws_organizations_policy")
            value = _Unknown(expressions[attribute]["references"]) if expressions else text
            return {attribute: value, "name": f"{base}-{self.next_id()}", **extra()}

        self.emit(module, decl, build)

    def k_iam_policy(self, module):
        self._iam(
            module,
            "aws_iam_policy",
            "pol",
            lambda: {"path": "/", "description": None, "tags": None},
        )

    def k_iam_role_policy(self, module):
        self._iam(module, "aws_iam_role_policy", "rpol", lambda: {"role": "r", "name_prefix": None})

    def k_iam_user_policy(self, module):
        self._iam(module, "aws_iam_user_policy", "upol", lambda: {"user": "u", "name_prefix": None})

    def k_iam_group_policy(self, module):
        self._iam(
            module, "aws_iam_group_policy", "gpol", lambda: {"group": "g", "name_prefix": None}
        )

    def k_scp(self, module):
        self._iam(
            module,
            "aws_organizations_policy",
            "scp",
            lambda: {
                "type": self.rng.choice(["SERVICE_CONTROL_POLICY", None, "TAG_POLICY"]),
                "description": None,
                "skip_destroy": None,
                "tags": None,
            },
        )

    # -- the plan ---------------------------------------------------------

    def configuration(self) -> dict:
        def block(module: _Module) -> dict:
            out = {"resources": module.resources}
            if module.calls:
                calls = {}
                for child in self.modules:
                    if child.parent is module:
                        calls[child.name] = {**module.calls[child.name], "module": block(child)}
                out["module_calls"] = calls
            return out

        return {
            "provider_config": {
                "aws": {
                    "name": "aws",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {"region": {"constant_value": self.region}},
                }
            },
            "root_module": block(self.root),
        }


def _split(values: dict, expressions: dict) -> tuple[dict, dict]:
    """(after, after_unknown) of values with _Unknown markers, as Terraform writes
    them: unknowns absent from `after` (null in a list), `true` in `after_unknown`,
    where blocks keep their shape and known attributes are left out; the
    references of unknowns go into the configuration expressions."""

    def after(value, path):
        if isinstance(value, dict):
            return {
                k: after(v, [*path, k]) for k, v in value.items() if not _unknown(v, [*path, k])
            }
        if isinstance(value, list):
            return [
                None if _unknown(v, [*path, i]) else after(v, [*path, i])
                for i, v in enumerate(value)
            ]
        return value

    def _unknown(value, path):
        if isinstance(value, _Unknown):
            if value.references:
                _set_expression(expressions, path, value.references)
            return True
        return False

    def unknown(value):
        if isinstance(value, _Unknown):
            return True
        if isinstance(value, dict):
            marks = {k: unknown(v) for k, v in value.items()}
            return {k: m for k, m in marks.items() if m is not False and m != {}}
        if isinstance(value, list):
            return [unknown(v) for v in value]
        return False

    return after(values, []), unknown(values)


def _set_expression(expressions: dict, path: list, references: list[str]) -> None:
    """Configuration expressions: blocks are lists of objects, as Terraform writes them."""
    if path[0] in ("ingress", "egress", "environment") and len(path) > 1:
        path = path[:1]  # attributes, not blocks: one expression for the whole value
    node = expressions
    for i, step in enumerate(path[:-1]):
        if isinstance(step, int):
            continue
        nxt = path[i + 1]
        if isinstance(nxt, int):
            blocks = node.setdefault(step, [])
            if not isinstance(blocks, list):
                return
            while len(blocks) <= nxt:
                blocks.append({})
            node = blocks[nxt]
        else:
            node = node.setdefault(step, {})
            if not isinstance(node, dict) or "references" in node:
                return
    last = path[-1]
    if isinstance(last, int):
        return
    existing = node.get(last)
    if isinstance(existing, dict) and "references" in existing:
        existing["references"] = list(dict.fromkeys(existing["references"] + references))
    elif existing is None:
        node[last] = {"references": list(references)}


def build_plan(shape: Shape, count: int, seed: int) -> dict:
    """A plan of about count resource changes, of this shape."""
    rng = random.Random(seed)
    builder = _Builder(rng, shape)
    kinds, weights = zip(*shape.weights.items(), strict=True)
    while len(builder.changes) < count:
        builder.make(rng.choices(kinds, weights)[0])
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_changes": builder.changes,
        "configuration": builder.configuration(),
        "relevant_attributes": [],
        "timestamp": "2026-12-07T00:00:00Z",
        "complete": True,
        "errored": False,
    }
    # Terraform writes the planned values too (checkov reads those).
    return with_planned_values(plan)


ALL_KINDS = (*SAGEMAKER_KINDS, *NETWORK_KINDS, *IAM_KINDS, *(f"other:{t}" for t in OTHER_TYPES))


def random_shape(rng: random.Random) -> Shape:
    """A shape drawn at random: a random subset of kinds with random weights."""
    chosen = rng.sample(ALL_KINDS, rng.randint(1, len(ALL_KINDS)))
    if rng.random() < 0.7:
        chosen.append(rng.choice(SAGEMAKER_KINDS))
    return Shape(
        "random",
        {k: rng.choice([0.2, 1.0, 1.0, 3.0]) for k in chosen},
        module_share=rng.choice([0.0, 0.3, 0.6]),
        module_depth=rng.randint(0, 3),
        instance_share=rng.choice([0.0, 0.2, 0.5]),
        unknown_rate=rng.choice([0.1, 0.3, 0.6]),
        delete_rate=rng.choice([0.0, 0.05, 0.15]),
        extra={"by_name": rng.random() < 0.3},
    )


def random_plan(seed: int, max_resources: int = 200) -> dict:
    """A random but valid plan for the differential tests: its shape and its size
    (1 to max_resources resource changes, most of them small) drawn from seed."""
    rng = random.Random(seed)
    size = min(max_resources, max(1, int(rng.paretovariate(0.8) * 3)))
    return build_plan(random_shape(rng), size, rng.getrandbits(32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("resources", type=int)
    parser.add_argument("out")
    parser.add_argument("--shape", default="usual", choices=sorted(SHAPES))
    parser.add_argument("--all-sagemaker", action="store_true", help="--shape sagemaker")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    shape = SHAPES["sagemaker" if args.all_sagemaker else args.shape]
    with open(args.out, "w") as out:
        json.dump(build_plan(shape, args.resources, args.seed), out)


if __name__ == "__main__":
    main()
