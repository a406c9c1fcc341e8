"""AWSCC resources in the AWS provider's attribute shape, by one mapping table.

The rules read the attributes of the AWS provider (hashicorp/aws). The AWSCC
provider (hashicorp/awscc, Cloud Control) has resources for the same SageMaker
objects, with other attribute names and another shape: its nested attributes
are objects (single nested) or lists of objects, where the AWS provider's
nested blocks are lists of objects. `normalise` rewrites every resource change
of a type in `RESOURCES` (and its configuration) into the shape of the AWS
type the rules read, once, where every Document is made (document.py), so
plans, Terraform source, every engine and Checkov see the same thing:

- `type` becomes the AWS type; `provider_type` keeps the AWSCC type, and the
  address stays the real AWSCC address, so findings, exemptions and source
  locations name the resource as written;
- `after`, `before`, `after_unknown` and the `*_sensitive` marks are mapped by
  the same table (the marks mirror the values), and so are the configuration's
  expressions, so "unknown until apply" and the references the rules follow
  behave as for the AWS provider. Terraform records one expression for a whole
  nested attribute: the references of `vpc_config = { subnets = [...],
  security_group_ids = [...] }` are given to each attribute mapped from it
  (the rules look for references of one type, a subnet or a security group);
- AWSCC attributes are Optional and Computed (the provider's generated
  schemas, e.g. internal/aws/sagemaker/model_resource_gen.go, with
  UseStateForUnknown), so an attribute the configuration does not set is
  unknown until apply in a plan that creates the resource: AWS chooses its
  value, its default. Where the configuration shows that an attribute is not
  set (no expression, a null, or a literal object without it), that mark is
  dropped and the attribute is absent, as an unset AWS provider attribute is;
  where it cannot show it (an object with references), the mark stays. An
  object unknown as a whole that is written with references becomes a block
  whose attributes are each unknown, as Terraform writes a block of unknown
  arguments;
- attributes the table does not name are left out: the document holds what
  the rules may read, as the audit's table does (loaders/audit_document.py);
  `replace_paths` keep AWSCC's paths, which only messages name (as written).

Types the table does not name keep their AWSCC type and shape; no rule reads
them, and `catalogue.not_checked` names them in every report.

The attribute names are those of terraform-provider-awscc 1.96.0,
docs/resources/sagemaker_<name>.md, written from the CloudFormation schemas
(AWS::SageMaker::<Name>). AWSCC has no endpoint configuration and no notebook
instance resource (its internal/provider/all_schemas.hcl lists neither
AWS::SageMaker::EndpointConfig nor AWS::SageMaker::NotebookInstance), so those
are AWS provider resources only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

# ---------------------------------------------------------------------------
# The mapping table. A spec maps AWSCC attribute names to AWS ones:
#   "attr"                  the value as it is
#   ("attr", Block(spec))   an object, written as a one-element block list
#                           (null: [])
#   ("attr", Blocks(spec))  a list of objects, written as a block list
#   ("attr", JSON)          a JSON string, written as the object it encodes
#   ("attr", TAGS)          a list of {key, value}, written as a map
#   Inline(spec)            an object whose attributes become the parent's


@dataclass(frozen=True)
class Block:
    spec: dict


@dataclass(frozen=True)
class Blocks:
    spec: dict


@dataclass(frozen=True)
class Inline:
    spec: dict


@dataclass(frozen=True)
class Convert:
    """A value written in another form; the marks of any part mark the whole."""

    name: str  # for the docs

    def __call__(self, value: object) -> object:
        if self.name == "JSON":
            if not isinstance(value, str):
                return value
            try:
                decoded = json.loads(value)
            except (ValueError, RecursionError):
                return value
            # The AWS provider's attribute is a map of strings: a flat object
            # only (which also keeps the plan's nesting limit).
            flat = isinstance(decoded, dict) and not any(
                isinstance(v, dict | list) for v in decoded.values()
            )
            return decoded if flat else value
        if isinstance(value, list):  # TAGS
            return {
                t["key"]: t.get("value")
                for t in value
                if isinstance(t, dict) and isinstance(t.get("key"), str)
            }
        return value


JSON = Convert("JSON")
TAGS = Convert("TAGS")

_CREDENTIALS = "repository_credentials_provider_arn"

_VPC = {"security_group_ids": "security_group_ids", "subnets": "subnets"}

_CONTAINER = {
    "container_hostname": "container_hostname",
    "environment": ("environment", JSON),
    "image": "image",
    "image_config": (
        "image_config",
        Block(
            {
                "repository_access_mode": "repository_access_mode",
                "repository_auth_config": (
                    "repository_auth_config",
                    Block({"repository_credentials_provider_arn": _CREDENTIALS}),
                ),
            }
        ),
    ),
    "inference_specification_name": "inference_specification_name",
    "mode": "mode",
    "model_data_source": (
        "model_data_source",
        Block(
            {
                "s3_data_source": (
                    "s3_data_source",
                    Block(
                        {
                            "compression_type": "compression_type",
                            "s3_data_type": "s3_data_type",
                            "s3_uri": "s3_uri",
                            "model_access_config": (
                                "model_access_config",
                                Block({"accept_eula": "accept_eula"}),
                            ),
                        }
                    ),
                )
            }
        ),
    ),
    "model_data_url": "model_data_url",
    "model_package_name": "model_package_name",
    "multi_model_config": (
        "multi_model_config",
        Block({"model_cache_setting": "model_cache_setting"}),
    ),
}

_USER_SETTINGS = {
    "execution_role": "execution_role",
    "security_groups": "security_groups",
    "default_landing_uri": "default_landing_uri",
    "studio_web_portal": "studio_web_portal",
    "auto_mount_home_efs": "auto_mount_home_efs",
    "sharing_settings": (
        "sharing_settings",
        Block(
            {
                "notebook_output_option": "notebook_output_option",
                "s3_kms_key_id": "s3_kms_key_id",
                "s3_output_path": "s3_output_path",
            }
        ),
    ),
}

_MONITORING_NETWORK = {
    "enable_inter_container_traffic_encryption": "enable_inter_container_traffic_encryption",
    "enable_network_isolation": "enable_network_isolation",
    "vpc_config": ("vpc_config", Block(_VPC)),
}


def _job_definition(prefix: str) -> dict:
    """The monitoring job definitions (data quality, model quality, bias,
    explainability): the same network_config and resources, their own app
    specification."""
    return {
        "id": "id",
        "job_definition_name": "name",
        "job_definition_arn": "arn",
        "role_arn": "role_arn",
        "network_config": ("network_config", Block(_MONITORING_NETWORK)),
        f"{prefix}_app_specification": (
            f"{prefix}_app_specification",
            Block({"image_uri": "image_uri", "environment": "environment"}),
        ),
        f"{prefix}_job_output_config": (
            f"{prefix}_job_output_config",
            Block({"kms_key_id": "kms_key_id"}),
        ),
        "job_resources": (
            "job_resources",
            Block(
                {
                    "cluster_config": (
                        "cluster_config",
                        Block(
                            {
                                "instance_count": "instance_count",
                                "instance_type": "instance_type",
                                "volume_size_in_gb": "volume_size_in_gb",
                                "volume_kms_key_id": "volume_kms_key_id",
                            }
                        ),
                    )
                }
            ),
        ),
        "tags": ("tags", TAGS),
    }


@dataclass(frozen=True)
class Resource:
    """How one AWSCC type becomes the AWS type the rules read."""

    type: str
    spec: dict


RESOURCES: dict[str, Resource] = {
    "awscc_sagemaker_model": Resource(
        "aws_sagemaker_model",
        {
            "id": "id",
            "model_name": "name",
            "model_arn": "arn",
            "execution_role_arn": "execution_role_arn",
            "enable_network_isolation": "enable_network_isolation",
            "primary_container": ("primary_container", Block(_CONTAINER)),
            "containers": ("container", Blocks(_CONTAINER)),
            "vpc_config": ("vpc_config", Block(_VPC)),
            "inference_execution_config": ("inference_execution_config", Block({"mode": "mode"})),
            "tags": ("tags", TAGS),
        },
    ),
    "awscc_sagemaker_endpoint": Resource(
        "aws_sagemaker_endpoint",
        {
            "id": "id",
            "endpoint_name": "name",
            "endpoint_arn": "arn",
            "endpoint_config_name": "endpoint_config_name",
            "tags": ("tags", TAGS),
        },
    ),
    "awscc_sagemaker_domain": Resource(
        "aws_sagemaker_domain",
        {
            "id": "id",
            "domain_name": "domain_name",
            "domain_arn": "arn",
            "auth_mode": "auth_mode",
            "app_network_access_type": "app_network_access_type",
            "app_security_group_management": "app_security_group_management",
            "vpc_id": "vpc_id",
            "subnet_ids": "subnet_ids",
            "kms_key_id": "kms_key_id",
            "tag_propagation": "tag_propagation",
            "home_efs_file_system_id": "home_efs_file_system_id",
            "security_group_id_for_domain_boundary": "security_group_id_for_domain_boundary",
            "single_sign_on_managed_application_instance_id": (
                "single_sign_on_managed_application_instance_id"
            ),
            "url": "url",
            "default_user_settings": ("default_user_settings", Block(_USER_SETTINGS)),
            "default_space_settings": (
                "default_space_settings",
                Block({"execution_role": "execution_role", "security_groups": "security_groups"}),
            ),
            "domain_settings": (
                "domain_settings",
                Block(
                    {
                        "security_group_ids": "security_group_ids",
                        "execution_role_identity_config": "execution_role_identity_config",
                        "ip_address_type": "ip_address_type",
                        "docker_settings": (
                            "docker_settings",
                            Block(
                                {
                                    "enable_docker_access": "enable_docker_access",
                                    "vpc_only_trusted_accounts": "vpc_only_trusted_accounts",
                                }
                            ),
                        ),
                    }
                ),
            ),
            "tags": ("tags", TAGS),
        },
    ),
    "awscc_sagemaker_user_profile": Resource(
        "aws_sagemaker_user_profile",
        {
            "id": "id",
            "domain_id": "domain_id",
            "user_profile_name": "user_profile_name",
            "user_profile_arn": "arn",
            "single_sign_on_user_identifier": "single_sign_on_user_identifier",
            "single_sign_on_user_value": "single_sign_on_user_value",
            "user_settings": ("user_settings", Block(_USER_SETTINGS)),
            "tags": ("tags", TAGS),
        },
    ),
    "awscc_sagemaker_data_quality_job_definition": Resource(
        "aws_sagemaker_data_quality_job_definition", _job_definition("data_quality")
    ),
    # No AWS provider resource: the types the audit writes for these
    # (loaders/audit_document.py), with the same attribute names.
    "awscc_sagemaker_model_quality_job_definition": Resource(
        "aws_sagemaker_model_quality_job_definition", _job_definition("model_quality")
    ),
    "awscc_sagemaker_model_bias_job_definition": Resource(
        "aws_sagemaker_model_bias_job_definition", _job_definition("model_bias")
    ),
    "awscc_sagemaker_model_explainability_job_definition": Resource(
        "aws_sagemaker_model_explainability_job_definition",
        _job_definition("model_explainability"),
    ),
    "awscc_sagemaker_pipeline": Resource(
        "aws_sagemaker_pipeline",
        {
            "id": "id",
            "pipeline_name": "pipeline_name",
            "pipeline_display_name": "pipeline_display_name",
            "pipeline_description": "pipeline_description",
            "role_arn": "role_arn",
            # The AWS provider has the definition's two forms at the top level.
            "pipeline_definition": Inline(
                {
                    "pipeline_definition_body": "pipeline_definition",
                    "pipeline_definition_s3_location": (
                        "pipeline_definition_s3_location",
                        Block({"bucket": "bucket", "key": "object_key", "version": "version_id"}),
                    ),
                }
            ),
            "parallelism_configuration": (
                "parallelism_configuration",
                Block({"max_parallel_execution_steps": "max_parallel_execution_steps"}),
            ),
            "tags": ("tags", TAGS),
        },
    ),
}

_KEYS = re.compile(r"\[[^\]]*\]")
_VALUES = ("after", "before")
_MARKS = ("after_unknown", "after_sensitive", "before_sensitive")


def normalise(data: dict) -> dict:
    """The document with every AWSCC resource of a mapped type in the AWS shape;
    data itself when it has none (or is normalised already)."""
    changes = data.get("resource_changes")
    if not isinstance(changes, list) or not any(_mapped(rc) for rc in changes):
        return data
    configuration = data.get("configuration")
    root = configuration.get("root_module") if isinstance(configuration, dict) else None
    written = dict(_written_resources(root)) if isinstance(root, dict) else {}
    instances: dict[str, list[dict]] = {}
    for rc in changes:
        if _mapped(rc):
            after = (rc.get("change") or {}).get("after")
            instances.setdefault(_KEYS.sub("", rc["address"]), []).append(after or {})
    out = {
        **data,
        "resource_changes": [
            _change(rc, written.get(_KEYS.sub("", rc["address"]))) if _mapped(rc) else rc
            for rc in changes
        ],
    }
    if isinstance(root, dict):
        out["configuration"] = {**configuration, "root_module": _module(root, "", instances)}
    return out


def _mapped(rc: object) -> bool:
    return (
        isinstance(rc, dict)
        and rc.get("type") in RESOURCES
        and rc.get("mode", "managed") == "managed"
        and isinstance(rc.get("address"), str)
    )


def _change(rc: dict, expressions: dict | None) -> dict:
    resource = RESOURCES[rc["type"]]
    change = dict(rc.get("change") or {})
    for key in _VALUES:
        if isinstance(change.get(key), dict):
            change[key] = _values(resource.spec, change[key])
    unknown = change.get("after_unknown")
    if isinstance(unknown, dict) and isinstance(expressions, dict):
        change["after_unknown"] = _configured(unknown, _setting(expressions))
    for key in _MARKS:
        if isinstance(change.get(key), dict):
            change[key] = _marks(resource.spec, change[key])
    if isinstance(unknown, dict) and isinstance(expressions, dict):
        _unknown_objects_as_blocks(resource.spec, unknown, expressions, change)
    return {**rc, "type": resource.type, "provider_type": rc["type"], "change": change}


def _unknown_objects_as_blocks(spec: dict, unknown: dict, expressions: dict, change: dict) -> None:
    """An object unknown as a whole that the configuration writes with
    references (`vpc_config = { subnets = [aws_subnet.a.id] }` in a source
    scan, `vpc_config = local.vpc`) becomes what Terraform writes for a block
    of unknown arguments: a block whose attributes are each unknown, each with
    the object's references. The rules read the same; Checkov reads the
    references of a block's arguments, not of a block unknown as a whole."""
    after, marks = change.get("after"), change.get("after_unknown")
    if not isinstance(after, dict) or not isinstance(marks, dict):
        return
    for key, target in spec.items():
        expression = expressions.get(key)
        if (
            isinstance(target, tuple)
            and isinstance(target[1], Block)
            and unknown.get(key) is True
            and isinstance(expression, dict)
            and expression.get("references")
        ):
            name, block = target
            after[name] = [{}]
            marks[name] = [_all_marked(block.spec)]


# ---------------------------------------------------------------------------
# Values (after, before)


def _values(spec: dict, obj: dict) -> dict:
    out: dict = {}
    for key, target in spec.items():
        if key not in obj:
            continue
        value = obj[key]
        if isinstance(target, str):
            out[target] = value
        elif isinstance(target, Inline):
            if isinstance(value, dict):
                out.update(_values(target.spec, value))
        else:
            name, kind = target
            out[name] = _value(kind, value)
    return out


def _value(kind: Block | Blocks | Convert, value: object) -> object:
    if isinstance(kind, Block):
        return [_values(kind.spec, value)] if isinstance(value, dict) else []
    if isinstance(kind, Blocks):
        if not isinstance(value, list):
            return []
        return [_values(kind.spec, v) if isinstance(v, dict) else v for v in value]
    return kind(value)


# ---------------------------------------------------------------------------
# Marks (after_unknown, *_sensitive): true, or the value's shape holding them


def _marks(spec: dict, marks: dict) -> dict:
    out: dict = {}
    for key, target in spec.items():
        mark = marks.get(key, False)
        if not mark:
            continue
        if isinstance(target, str):
            out[target] = mark
        elif isinstance(target, Inline):
            if mark is True:
                out.update(_all_marked(target.spec))
            elif isinstance(mark, dict):
                out.update(_marks(target.spec, mark))
        else:
            name, kind = target
            mapped = _mark(kind, mark)
            if mapped:
                out[name] = mapped
    return out


def _mark(kind: Block | Blocks | Convert, mark: object) -> object:
    if mark is True:
        return True
    if isinstance(kind, Block):
        return [_marks(kind.spec, mark)] if isinstance(mark, dict) else False
    if isinstance(kind, Blocks):
        if not isinstance(mark, list):
            return False
        return [_marks(kind.spec, m) if isinstance(m, dict) else m for m in mark]
    return _any_mark(mark)


def _any_mark(mark: object) -> bool:
    if isinstance(mark, dict):
        return any(_any_mark(m) for m in mark.values())
    if isinstance(mark, list):
        return any(_any_mark(m) for m in mark)
    return mark is True


def _all_marked(spec: dict) -> dict:
    out: dict = {}
    for target in spec.values():
        if isinstance(target, Inline):
            out.update(_all_marked(target.spec))
        else:
            out[target if isinstance(target, str) else target[0]] = True
    return out


# ---------------------------------------------------------------------------
# What the configuration sets: `_setting` of its expressions is, for each
# attribute, SET (a value, or something it cannot tell apart, such as
# references), or the dict or list of what a literal object or list sets.
# Unknown marks of what it does not set are dropped.

SET = "set"


def _setting(expressions: dict) -> dict:
    out: dict = {}
    for key, expression in expressions.items():
        if isinstance(expression, dict) and "constant_value" in expression:
            if expression["constant_value"] is not None:
                out[key] = _literal(expression["constant_value"])
        elif expression:
            out[key] = SET
    return out


def _literal(value: object) -> object:
    if isinstance(value, dict):
        return {k: _literal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_literal(v) for v in value]
    return SET


def _configured(marks: object, setting: object) -> object:
    if isinstance(marks, dict) and isinstance(setting, dict):
        return {k: _configured(m, setting[k]) for k, m in marks.items() if k in setting}
    if isinstance(marks, list) and isinstance(setting, list) and len(marks) == len(setting):
        return [_configured(m, s) for m, s in zip(marks, setting, strict=True)]
    return marks


# ---------------------------------------------------------------------------
# Configuration: types and expressions


def _written_resources(module: dict, prefix: str = "") -> Iterator[tuple[str, dict]]:
    """(address without instance keys, expressions) of every mapped resource."""
    resources = module.get("resources")
    for res in resources if isinstance(resources, list) else []:
        if (
            isinstance(res, dict)
            and res.get("type") in RESOURCES
            and res.get("mode", "managed") == "managed"
            and isinstance(res.get("expressions"), dict)
        ):
            yield f"{prefix}{res.get('address')}", res["expressions"]
    calls = module.get("module_calls")
    for name, call in calls.items() if isinstance(calls, dict) else ():
        child = call.get("module") if isinstance(call, dict) else None
        if isinstance(child, dict):
            yield from _written_resources(child, f"{prefix}module.{name}.")


def _module(module: dict, prefix: str, instances: dict[str, list[dict]]) -> dict:
    out = dict(module)
    if isinstance(module.get("resources"), list):
        out["resources"] = [_written(res, prefix, instances) for res in module["resources"]]
    calls = module.get("module_calls")
    if isinstance(calls, dict):
        out["module_calls"] = {
            name: (
                {**call, "module": _module(call["module"], f"{prefix}module.{name}.", instances)}
                if isinstance(call, dict) and isinstance(call.get("module"), dict)
                else call
            )
            for name, call in calls.items()
        }
    return out


def _written(res: object, prefix: str, instances: dict[str, list[dict]]) -> object:
    if not (
        isinstance(res, dict)
        and res.get("type") in RESOURCES
        and res.get("mode", "managed") == "managed"
    ):
        return res
    resource = RESOURCES[res["type"]]
    out = {**res, "type": resource.type, "provider_type": res["type"]}
    if isinstance(res.get("expressions"), dict):
        afters = instances.get(f"{prefix}{res.get('address')}", [])
        out["expressions"] = _expressions(resource.spec, res["expressions"], afters)
    return out


def _expressions(spec: dict, expressions: dict, afters: list) -> dict:
    """The expressions of an object's attributes; afters: its planned values
    in every instance (how many elements a list of references makes)."""
    out: dict = {}
    for key, target in spec.items():
        if key not in expressions:
            continue
        expression = expressions[key]
        below = [a.get(key) for a in afters if isinstance(a, dict)]
        if isinstance(target, str):
            out[target] = expression
        elif isinstance(target, Inline):
            out.update(_expressions(target.spec, _parts(expression, target.spec), below))
        else:
            name, kind = target
            out[name] = _expression(kind, expression, below)
    return out


def _expression(kind: Block | Blocks | Convert, expression: object, afters: list) -> object:
    if isinstance(kind, Block):
        return [_expressions(kind.spec, _parts(expression, kind.spec), afters)]
    if isinstance(kind, Blocks):
        elements = _elements(expression, afters)
        lists = [a for a in afters if isinstance(a, list)]
        return [
            _expressions(kind.spec, _parts(e, kind.spec), [a[i] for a in lists if i < len(a)])
            for i, e in enumerate(elements)
        ]
    return expression


def _parts(expression: object, spec: dict) -> dict:
    """The expressions of an object's attributes, from the one expression
    Terraform records for the whole object (or from the parts, if already so)."""
    if not isinstance(expression, dict):
        return {}
    constant = expression.get("constant_value")
    parts: dict = {}
    if isinstance(constant, dict):
        parts = {k: {"constant_value": v} for k, v in constant.items()}
    elif "constant_value" not in expression and "references" not in expression:
        return expression  # the attributes' own expressions
    references = expression.get("references")
    if references:
        for key in spec:
            parts[key] = {**parts.get(key, {}), "references": list(references)}
    return parts


def _elements(expression: object, afters: list) -> list:
    """One expression for each element of a list of objects."""
    if isinstance(expression, list):
        return expression
    if not isinstance(expression, dict):
        return []
    constant = expression.get("constant_value")
    if isinstance(constant, list):
        return [{"constant_value": v} for v in constant]
    references = expression.get("references")
    if not references:
        return []
    count = max((len(a) for a in afters if isinstance(a, list)), default=1)
    return [{"references": list(references)} for _ in range(max(count, 1))]


# ---------------------------------------------------------------------------
# The table, for docs/providers.md


def rows(spec: dict, source: str = "", target: str = "") -> Iterator[tuple[str, str, str]]:
    """(AWSCC attribute path, AWS attribute path, how the value changes) of
    every attribute of a spec."""
    for key, mapped in spec.items():
        here = f"{source}{key}"
        if isinstance(mapped, str):
            yield here, f"{target}{mapped}", ""
        elif isinstance(mapped, Inline):
            yield from rows(mapped.spec, f"{here}.", target)
        else:
            name, kind = mapped
            if isinstance(kind, Block):
                yield here, f"{target}{name}", "object → one-element block list"
                yield from rows(kind.spec, f"{here}.", f"{target}{name}[0].")
            elif isinstance(kind, Blocks):
                yield here, f"{target}{name}", "list of objects → block list"
                yield from rows(kind.spec, f"{here}[*].", f"{target}{name}[*].")
            elif kind is JSON:
                yield here, f"{target}{name}", "JSON string → the object it encodes"
            else:
                yield here, f"{target}{name}", "list of `{key, value}` → map"


def render_markdown() -> str:
    """docs/providers.md: the mapping table."""
    lines = [
        "# Providers: AWS and AWSCC",
        "",
        "Generated from `RESOURCES` in `harness/smguard/loaders/awscc.py` by",
        "`python -m smguard.loaders.awscc > docs/providers.md`; do not edit.",
        "",
        "The rules read the attributes of the AWS provider (`hashicorp/aws`). Resources of",
        "the AWSCC provider (`hashicorp/awscc`, Cloud Control) of the types below are",
        "rewritten into the AWS type's shape where every document is made, so every rule,",
        "engine (Checkov included), exemption and report applies to them; findings keep",
        "the AWSCC address. AWSCC's nested attributes (objects) become one-element block",
        "lists, lists of objects become block lists. Unknown values and the",
        "configuration's references are mapped the same way; an AWSCC attribute the",
        "configuration does not set, which a plan shows as unknown until apply (AWSCC",
        "attributes are Optional and Computed), is absent, as an unset AWS attribute is.",
        "Attributes not listed are left out. Messages and remediations name the AWS",
        "provider's attributes.",
        "",
        "One limit of the plan format: Terraform records one expression for a whole",
        "nested attribute, so for an object written with references (`vpc_config = {",
        "subnets = [aws_subnet.a.id] }`) the plan cannot show which of its attributes",
        "are set. Each attribute mapped from it gets the object's references (rules",
        "look for references of one type), and one that is unset stays unknown until",
        "apply: a rule that needs it warns, never passes. Source scans (`smguard scan",
        "DIR`) have the same limit today: the source loader renders an object with any",
        "value unknown until apply as unknown as a whole, and it becomes a block whose",
        "attributes are each unknown, with the object's references.",
        "",
        "The model quality, model bias and model explainability job definitions have no",
        "AWS provider resource: they take the types the audit writes for them",
        "(`loaders/audit_document.py`), which the rules that list those types read",
        "(SMG-EGRESS-001); SMG-JOB-001 to 003 read the data quality type only.",
        "",
        "Other `awscc_sagemaker_*` types with a network setting (HyperPod clusters,",
        "processing jobs, spaces, inference components, monitoring schedules, ...) are",
        "not mapped: every report lists them as **not checked**. AWSCC has no endpoint",
        "configuration and no notebook instance resource.",
        "",
        "Run `conftest test` or `opa eval` on a plan yourself and AWSCC resources are not",
        "mapped (the mapping is smguard's, in Python): scan with `smguard scan`.",
        "",
        "Attribute names: terraform-provider-awscc 1.96.0,",
        "`docs/resources/sagemaker_<name>.md`.",
    ]
    for awscc_type, resource in RESOURCES.items():
        lines += [
            "",
            f"## `{awscc_type}` → `{resource.type}`",
            "",
            "| AWSCC attribute | AWS provider attribute | value |",
            "|---|---|---|",
        ]
        lines += [f"| `{a}` | `{b}` | {how} |" for a, b, how in rows(resource.spec)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
