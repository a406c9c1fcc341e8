"""The audit's document: SageMaker API answers written as a Terraform plan.

`smguard audit` reads an account with boto3 (`loaders/audit.py`); this module,
which never imports boto3, turns what it read into the document shape every
engine evaluates, so a finding means the same in a plan and in an account:

- every resource is a `no-op` resource change whose `after` is the API answer
  with its fields renamed to the AWS provider's attribute names by the one
  table below (`RESOURCES`), nested objects written as one-element block lists
  and absent blocks as `[]`, as Terraform writes them; `after_unknown` is `{}`;
- its address is `<type>.<name>["<region>"]` (`<type>.<name>["<region>/<domain
  id>"]` for user profiles and spaces, whose names are unique per domain): the
  shape Terraform gives `for_each` instances, readable, and unique and stable
  across audits of several regions. `after.region` is the region (the
  provider's `region` argument);
- training, processing and transform jobs, and the model quality, model bias
  and model explainability job definitions, have no Terraform resource: they
  get the types `aws_sagemaker_training_job`, `aws_sagemaker_processing_job`,
  `aws_sagemaker_transform_job`, `aws_sagemaker_model_quality_job_definition`,
  `aws_sagemaker_model_bias_job_definition` and
  `aws_sagemaker_model_explainability_job_definition`, which exist only in
  audits, with the API field names in snake_case;
- there is no `configuration`: rules link resources by the names and IDs AWS
  returned (an endpoint configuration's variants by model name, a domain's
  VPC endpoints by `vpc_id`);
- the top-level `smguard_audit` object records the account, the regions, the
  parts that could not be read and the API calls made. A saved document keeps
  them, so re-scanning a partial audit is partial too.

Rules resolve names across the whole document, and a name (a model's, say) may
exist in several regions, so a document of several regions is evaluated one
region at a time (`partitions`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from smguard.document import Document
from smguard.report import Unread

FORMAT_VERSION = "1.2"
AUDIT_KEY = "smguard_audit"  # the audit's own metadata in the document

# ---------------------------------------------------------------------------
# The mapping table. A spec maps API field names to Terraform attribute names:
#   "attr"                 the value as AWS returned it (absent: null)
#   ("attr", Block(spec))  an object, written as a one-element block list
#                          (absent or empty: [])
#   ("attr", Blocks(spec)) a list of objects, written as a block list
#   ("attr", function)     the function of the value (absent: None is passed)


@dataclass(frozen=True)
class Block:
    spec: dict


@dataclass(frozen=True)
class Blocks:
    spec: dict


_VPC = {"Subnets": "subnets", "SecurityGroupIds": "security_group_ids"}

_CONTAINER = {
    "ContainerHostname": "container_hostname",
    "Image": "image",
    "Mode": "mode",
    "ModelDataUrl": "model_data_url",
    "ModelPackageName": "model_package_name",
    "InferenceSpecificationName": "inference_specification_name",
    "Environment": "environment",
    "ImageConfig": (
        "image_config",
        Block(
            {
                "RepositoryAccessMode": "repository_access_mode",
                "RepositoryAuthConfig": (
                    "repository_auth_config",
                    Block(
                        {"RepositoryCredentialsProviderArn": "repository_credentials_provider_arn"}
                    ),
                ),
            }
        ),
    ),
    "ModelDataSource": (
        "model_data_source",
        Block(
            {
                "S3DataSource": (
                    "s3_data_source",
                    Block(
                        {
                            "S3Uri": "s3_uri",
                            "S3DataType": "s3_data_type",
                            "CompressionType": "compression_type",
                        }
                    ),
                )
            }
        ),
    ),
    "MultiModelConfig": ("multi_model_config", Block({"ModelCacheSetting": "model_cache_setting"})),
}

_VARIANT = {
    "VariantName": "variant_name",
    "ModelName": "model_name",
    "InitialInstanceCount": "initial_instance_count",
    "InstanceType": "instance_type",
    "InitialVariantWeight": "initial_variant_weight",
    "AcceleratorType": "accelerator_type",
    "VolumeSizeInGB": "volume_size_in_gb",
    "ModelDataDownloadTimeoutInSeconds": "model_data_download_timeout_in_seconds",
    "ContainerStartupHealthCheckTimeoutInSeconds": (
        "container_startup_health_check_timeout_in_seconds"
    ),
    "EnableSSMAccess": "enable_ssm_access",
    "InferenceAmiVersion": "inference_ami_version",
    "ServerlessConfig": (
        "serverless_config",
        Block(
            {
                "MaxConcurrency": "max_concurrency",
                "MemorySizeInMB": "memory_size_in_mb",
                "ProvisionedConcurrency": "provisioned_concurrency",
            }
        ),
    ),
}

_USER_SETTINGS = {
    "ExecutionRole": "execution_role",
    "SecurityGroups": "security_groups",
    "DefaultLandingUri": "default_landing_uri",
    "StudioWebPortal": "studio_web_portal",
}

_IMDS_VERSION = "minimum_instance_metadata_service_version"

_MONITORING_NETWORK = {
    "EnableInterContainerTrafficEncryption": "enable_inter_container_traffic_encryption",
    "EnableNetworkIsolation": "enable_network_isolation",
    "VpcConfig": ("vpc_config", Block(_VPC)),
}


def _job_definition(app_key: str, app_attr: str) -> dict:
    return {
        "JobDefinitionName": "name",
        "JobDefinitionArn": "arn",
        "RoleArn": "role_arn",
        "NetworkConfig": ("network_config", Block(_MONITORING_NETWORK)),
        app_key: (app_attr, Block({"ImageUri": "image_uri"})),
    }


def _group_ids(groups: list | None) -> list[str]:
    return [g["GroupId"] for g in groups or [] if "GroupId" in g]


def _ipv6_cidr(associations: list | None) -> str | None:
    """The associated IPv6 CIDR of a VPC or subnet (the provider's `ipv6_cidr_block`)."""
    for a in associations or []:
        state = a.get("Ipv6CidrBlockState") or {}
        if a.get("Ipv6CidrBlock") and state.get("State", "associated") == "associated":
            return a["Ipv6CidrBlock"]
    return None


def _attached_vpc(attachments: list | None) -> str | None:
    for a in attachments or []:
        if a.get("VpcId"):
            return a["VpcId"]
    return None


# A route as the provider writes an inline `route` block: every target key,
# "" when unset. Blackhole routes (their target deleted) carry no traffic.
_ROUTE = {
    "DestinationCidrBlock": "cidr_block",
    "DestinationIpv6CidrBlock": "ipv6_cidr_block",
    "DestinationPrefixListId": "destination_prefix_list_id",
    "GatewayId": "gateway_id",
    "NatGatewayId": "nat_gateway_id",
    "EgressOnlyInternetGatewayId": "egress_only_gateway_id",
    "TransitGatewayId": "transit_gateway_id",
    "VpcPeeringConnectionId": "vpc_peering_connection_id",
    "NetworkInterfaceId": "network_interface_id",
    "InstanceId": "instance_id",
    "CoreNetworkArn": "core_network_arn",
    "CarrierGatewayId": "carrier_gateway_id",
    "LocalGatewayId": "local_gateway_id",
}


def _routes(answer: dict) -> dict:
    return {
        "route": [
            {name: r.get(key) or "" for key, name in _ROUTE.items()}
            for r in answer.get("Routes") or []
            if r.get("State") != "blackhole"
        ]
    }


def _associations(answer: Answer) -> list[Answer]:
    """A route table's associations as the resources Terraform has for them:
    aws_route_table_association (a subnet's), aws_main_route_table_association."""
    out = []
    for a in answer.body.get("Associations") or []:
        state = (a.get("AssociationState") or {}).get("State", "associated")
        if state != "associated" or not a.get("RouteTableAssociationId"):
            continue
        body = {
            "RouteTableAssociationId": a["RouteTableAssociationId"],
            "RouteTableId": answer.body.get("RouteTableId"),
        }
        if a.get("Main"):
            out.append(
                Answer(
                    answer.region,
                    "aws_main_route_table_association",
                    {**body, "VpcId": answer.body.get("VpcId")},
                )
            )
        elif a.get("SubnetId"):
            out.append(
                Answer(
                    answer.region,
                    "aws_route_table_association",
                    {**body, "SubnetId": a["SubnetId"]},
                )
            )
    return out


def _timestamp(value: object) -> str | None:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return None if value is None else str(value)


@dataclass(frozen=True)
class Resource:
    """How one API answer becomes one resource change."""

    name: str  # the API field that names it in the address
    spec: dict
    scope: str = "region"  # "region", or "domain": unique per domain, not region
    derived: Callable[[dict], dict] = field(default=lambda _: {})  # attributes of the whole answer


def _security_group_rules(answer: dict) -> dict:
    """`ingress` and `egress` blocks as the provider writes them.

    A rule that names the group itself is `self = true`, not one of
    `security_groups`.
    """
    own = answer.get("GroupId")

    def blocks(permissions: list | None) -> list[dict]:
        out = []
        for p in permissions or []:
            groups = _group_ids(p.get("UserIdGroupPairs"))
            protocol = p.get("IpProtocol")
            out.append(
                {
                    "protocol": protocol,
                    "from_port": p.get("FromPort", 0),
                    "to_port": p.get("ToPort", 0),
                    "cidr_blocks": [r["CidrIp"] for r in p.get("IpRanges") or []],
                    "ipv6_cidr_blocks": [r["CidrIpv6"] for r in p.get("Ipv6Ranges") or []],
                    "prefix_list_ids": [r["PrefixListId"] for r in p.get("PrefixListIds") or []],
                    "security_groups": sorted(g for g in groups if g != own),
                    "self": own in groups,
                    "description": None,
                }
            )
        return out

    return {
        "ingress": blocks(answer.get("IpPermissions")),
        "egress": blocks(answer.get("IpPermissionsEgress")),
    }


# API answer (Describe*, or a list element for the EC2 types) -> Terraform.
RESOURCES: dict[str, Resource] = {
    "aws_sagemaker_model": Resource(
        "ModelName",
        {
            "ModelName": "name",
            "ModelArn": "arn",
            "ExecutionRoleArn": "execution_role_arn",
            "EnableNetworkIsolation": "enable_network_isolation",
            "PrimaryContainer": ("primary_container", Block(_CONTAINER)),
            "Containers": ("container", Blocks(_CONTAINER)),
            "VpcConfig": ("vpc_config", Block(_VPC)),
            "InferenceExecutionConfig": ("inference_execution_config", Block({"Mode": "mode"})),
        },
    ),
    "aws_sagemaker_endpoint_configuration": Resource(
        "EndpointConfigName",
        {
            "EndpointConfigName": "name",
            "EndpointConfigArn": "arn",
            "KmsKeyId": "kms_key_arn",
            "ProductionVariants": ("production_variants", Blocks(_VARIANT)),
            "ShadowProductionVariants": ("shadow_production_variants", Blocks(_VARIANT)),
            "DataCaptureConfig": (
                "data_capture_config",
                Block(
                    {
                        "EnableCapture": "enable_capture",
                        "InitialSamplingPercentage": "initial_sampling_percentage",
                        "DestinationS3Uri": "destination_s3_uri",
                        "KmsKeyId": "kms_key_id",
                        "CaptureOptions": (
                            "capture_options",
                            Blocks({"CaptureMode": "capture_mode"}),
                        ),
                    }
                ),
            ),
            "AsyncInferenceConfig": (
                "async_inference_config",
                Block(
                    {
                        "OutputConfig": (
                            "output_config",
                            Block(
                                {
                                    "KmsKeyId": "kms_key_id",
                                    "S3OutputPath": "s3_output_path",
                                    "S3FailurePath": "s3_failure_path",
                                }
                            ),
                        ),
                    }
                ),
            ),
        },
    ),
    "aws_sagemaker_endpoint": Resource(
        "EndpointName",
        {
            "EndpointName": "name",
            "EndpointArn": "arn",
            "EndpointConfigName": "endpoint_config_name",
        },
    ),
    "aws_sagemaker_domain": Resource(
        "DomainId",
        {
            "DomainId": "id",
            "DomainName": "domain_name",
            "DomainArn": "arn",
            "AuthMode": "auth_mode",
            "AppNetworkAccessType": "app_network_access_type",
            "AppSecurityGroupManagement": "app_security_group_management",
            "VpcId": "vpc_id",
            "SubnetIds": "subnet_ids",
            "KmsKeyId": "kms_key_id",
            "HomeEfsFileSystemId": "home_efs_file_system_id",
            "SecurityGroupIdForDomainBoundary": "security_group_id_for_domain_boundary",
            "Url": "url",
            "DefaultUserSettings": ("default_user_settings", Block(_USER_SETTINGS)),
            "DefaultSpaceSettings": (
                "default_space_settings",
                Block({"ExecutionRole": "execution_role", "SecurityGroups": "security_groups"}),
            ),
            "DomainSettings": (
                "domain_settings",
                Block({"SecurityGroupIds": "security_group_ids"}),
            ),
        },
    ),
    "aws_sagemaker_user_profile": Resource(
        "UserProfileName",
        {
            "DomainId": "domain_id",
            "UserProfileName": "user_profile_name",
            "UserProfileArn": "arn",
            "HomeEfsFileSystemUid": "home_efs_file_system_uid",
            "SingleSignOnUserIdentifier": "single_sign_on_user_identifier",
            "SingleSignOnUserValue": "single_sign_on_user_value",
            "UserSettings": ("user_settings", Block(_USER_SETTINGS)),
        },
        scope="domain",
    ),
    "aws_sagemaker_space": Resource(
        "SpaceName",
        {
            "DomainId": "domain_id",
            "SpaceName": "space_name",
            "SpaceArn": "arn",
            "SpaceDisplayName": "space_display_name",
            "HomeEfsFileSystemUid": "home_efs_file_system_uid",
            "SpaceSettings": ("space_settings", Block({"AppType": "app_type"})),
            "OwnershipSettings": (
                "ownership_settings",
                Block({"OwnerUserProfileName": "owner_user_profile_name"}),
            ),
            "SpaceSharingSettings": (
                "space_sharing_settings",
                Block({"SharingType": "sharing_type"}),
            ),
        },
        scope="domain",
    ),
    "aws_sagemaker_notebook_instance": Resource(
        "NotebookInstanceName",
        {
            "NotebookInstanceName": "name",
            "NotebookInstanceArn": "arn",
            "InstanceType": "instance_type",
            "RoleArn": "role_arn",
            "SubnetId": "subnet_id",
            "SecurityGroups": "security_groups",
            "DirectInternetAccess": "direct_internet_access",
            "RootAccess": "root_access",
            "KmsKeyId": "kms_key_id",
            "NetworkInterfaceId": "network_interface_id",
            "PlatformIdentifier": "platform_identifier",
            "VolumeSizeInGB": "volume_size",
            "NotebookInstanceLifecycleConfigName": "lifecycle_config_name",
            "DefaultCodeRepository": "default_code_repository",
            "AdditionalCodeRepositories": "additional_code_repositories",
            "Url": "url",
            "InstanceMetadataServiceConfiguration": (
                "instance_metadata_service_configuration",
                Block({"MinimumInstanceMetadataServiceVersion": _IMDS_VERSION}),
            ),
        },
    ),
    "aws_sagemaker_data_quality_job_definition": Resource(
        "JobDefinitionName",
        _job_definition("DataQualityAppSpecification", "data_quality_app_specification"),
    ),
    "aws_sagemaker_model_quality_job_definition": Resource(
        "JobDefinitionName",
        _job_definition("ModelQualityAppSpecification", "model_quality_app_specification"),
    ),
    "aws_sagemaker_model_bias_job_definition": Resource(
        "JobDefinitionName",
        _job_definition("ModelBiasAppSpecification", "model_bias_app_specification"),
    ),
    "aws_sagemaker_model_explainability_job_definition": Resource(
        "JobDefinitionName",
        _job_definition(
            "ModelExplainabilityAppSpecification", "model_explainability_app_specification"
        ),
    ),
    "aws_sagemaker_pipeline": Resource(
        "PipelineName",
        {
            "PipelineName": "pipeline_name",
            "PipelineArn": "arn",
            "PipelineDisplayName": "pipeline_display_name",
            "PipelineDescription": "pipeline_description",
            "RoleArn": "role_arn",
            "PipelineDefinition": "pipeline_definition",
            "ParallelismConfiguration": (
                "parallelism_configuration",
                Block({"MaxParallelExecutionSteps": "max_parallel_execution_steps"}),
            ),
        },
    ),
    "aws_sagemaker_training_job": Resource(
        "TrainingJobName",
        {
            "TrainingJobName": "name",
            "TrainingJobArn": "arn",
            "TrainingJobStatus": "training_job_status",
            "CreationTime": ("creation_time", _timestamp),
            "RoleArn": "role_arn",
            "EnableNetworkIsolation": "enable_network_isolation",
            "EnableInterContainerTrafficEncryption": "enable_inter_container_traffic_encryption",
            "VpcConfig": ("vpc_config", Block(_VPC)),
            "AlgorithmSpecification": (
                "algorithm_specification",
                Block({"TrainingImage": "training_image", "AlgorithmName": "algorithm_name"}),
            ),
        },
    ),
    "aws_sagemaker_processing_job": Resource(
        "ProcessingJobName",
        {
            "ProcessingJobName": "name",
            "ProcessingJobArn": "arn",
            "ProcessingJobStatus": "processing_job_status",
            "CreationTime": ("creation_time", _timestamp),
            "RoleArn": "role_arn",
            "NetworkConfig": ("network_config", Block(_MONITORING_NETWORK)),
            "AppSpecification": ("app_specification", Block({"ImageUri": "image_uri"})),
        },
    ),
    "aws_sagemaker_transform_job": Resource(
        "TransformJobName",
        {
            "TransformJobName": "name",
            "TransformJobArn": "arn",
            "TransformJobStatus": "transform_job_status",
            "CreationTime": ("creation_time", _timestamp),
            "ModelName": "model_name",
        },
    ),
    "aws_vpc": Resource(
        "VpcId",
        {
            "VpcId": "id",
            "CidrBlock": "cidr_block",
            "Ipv6CidrBlockAssociationSet": ("ipv6_cidr_block", _ipv6_cidr),
        },
    ),
    # The network of SageMaker workloads' subnets (SMG-EGRESS-001).
    "aws_subnet": Resource(
        "SubnetId",
        {
            "SubnetId": "id",
            "VpcId": "vpc_id",
            "CidrBlock": "cidr_block",
            "Ipv6CidrBlockAssociationSet": ("ipv6_cidr_block", _ipv6_cidr),
            "Ipv6Native": "ipv6_native",
            "MapPublicIpOnLaunch": "map_public_ip_on_launch",
        },
    ),
    "aws_route_table": Resource(
        "RouteTableId", {"RouteTableId": "id", "VpcId": "vpc_id"}, derived=_routes
    ),
    "aws_route_table_association": Resource(
        "RouteTableAssociationId",
        {
            "RouteTableAssociationId": "id",
            "SubnetId": "subnet_id",
            "RouteTableId": "route_table_id",
        },
    ),
    "aws_main_route_table_association": Resource(
        "RouteTableAssociationId",
        {"RouteTableAssociationId": "id", "VpcId": "vpc_id", "RouteTableId": "route_table_id"},
    ),
    "aws_nat_gateway": Resource(
        "NatGatewayId",
        {
            "NatGatewayId": "id",
            "SubnetId": "subnet_id",
            "VpcId": "vpc_id",
            "ConnectivityType": "connectivity_type",
            "State": "state",
        },
    ),
    "aws_internet_gateway": Resource(
        "InternetGatewayId",
        {"InternetGatewayId": "id", "Attachments": ("vpc_id", _attached_vpc)},
    ),
    "aws_egress_only_internet_gateway": Resource(
        "EgressOnlyInternetGatewayId",
        {"EgressOnlyInternetGatewayId": "id", "Attachments": ("vpc_id", _attached_vpc)},
    ),
    "aws_vpc_endpoint": Resource(
        "VpcEndpointId",
        {
            "VpcEndpointId": "id",
            "VpcId": "vpc_id",
            "ServiceName": "service_name",
            "VpcEndpointType": "vpc_endpoint_type",
            "PrivateDnsEnabled": "private_dns_enabled",
            "SubnetIds": "subnet_ids",
            "RouteTableIds": "route_table_ids",
            "Groups": ("security_group_ids", _group_ids),
            "PolicyDocument": "policy",
            "State": "state",
        },
    ),
    "aws_security_group": Resource(
        "GroupId",
        {
            "GroupId": "id",
            "GroupName": "name",
            "Description": "description",
            "VpcId": "vpc_id",
        },
        derived=_security_group_rules,
    ),
}


def attributes(spec: dict, answer: dict) -> dict:
    """Terraform attributes of one API object, by a spec of the table."""
    out: dict = {}
    for api_key, target in spec.items():
        value = answer.get(api_key)
        if isinstance(target, str):
            out[target] = value
            continue
        name, how = target
        if isinstance(how, Block):
            out[name] = [attributes(how.spec, value)] if isinstance(value, dict) and value else []
        elif isinstance(how, Blocks):
            out[name] = [attributes(how.spec, v) for v in value or [] if isinstance(v, dict)]
        else:
            out[name] = how(value)
    return out


# ---------------------------------------------------------------------------
# Addresses and the document


def _key(type_: str, answer: dict, region: str) -> str:
    if RESOURCES[type_].scope == "domain":
        return f"{region}/{answer.get('DomainId')}"
    return region


def address(type_: str, answer: dict, region: str) -> str:
    """`<type>.<name>["<region>"]`, or `…["<region>/<domain id>"]` for per-domain names."""
    return f'{type_}.{answer.get(RESOURCES[type_].name)}["{_key(type_, answer, region)}"]'


def resource_change(type_: str, answer: dict, region: str) -> dict:
    """One API answer as a `no-op` resource change."""
    resource = RESOURCES[type_]
    after = {**attributes(resource.spec, answer), **resource.derived(answer), "region": region}
    return {
        "address": address(type_, answer, region),
        "mode": "managed",
        "type": type_,
        "name": str(answer.get(resource.name)),
        "index": _key(type_, answer, region),
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["no-op"], "after": after, "after_unknown": {}},
    }


@dataclass(frozen=True)
class Answer:
    """What one API call said about one resource."""

    region: str
    type: str
    body: dict


def build(
    answers: Iterable[Answer],
    *,
    account: str | None,
    regions: tuple[str, ...],
    unread: Iterable[Unread] = (),
    metadata: dict | None = None,
    source: str | None = None,
) -> Document:
    """The plan-shaped document of an audit."""
    answers = list(answers)
    answers += [x for a in answers if a.type == "aws_route_table" for x in _associations(a)]
    changes = sorted(
        (resource_change(a.type, a.body, a.region) for a in answers),
        key=lambda rc: rc["address"],
    )
    data = {
        "format_version": FORMAT_VERSION,
        "resource_changes": changes,
        AUDIT_KEY: {
            "account": account,
            "regions": list(regions),
            "unread": [{"part": u.part, "reason": u.reason} for u in unread],
            **(metadata or {}),
        },
    }
    if source is None:
        source = f"AWS account {account or '(unknown)'}, {', '.join(regions)}"
    return Document(data, source=source)


# ---------------------------------------------------------------------------
# Reading a document back (also a saved one)


def unread(document: Document) -> tuple[Unread, ...]:
    """The parts of the account the audit could not read; () for a plan."""
    audit = document.data.get(AUDIT_KEY)
    if not isinstance(audit, dict):
        return ()
    return tuple(
        Unread(str(u.get("part")), str(u.get("reason")))
        for u in audit.get("unread") or []
        if isinstance(u, dict)
    )


def partitions(document: Document) -> list[Document]:
    """An audit of several regions split by region for evaluation; anything else whole."""
    if AUDIT_KEY not in document.data:
        return [document]
    by_region: dict[str, list[dict]] = {}
    for rc in document.resource_changes():
        after = (rc.get("change") or {}).get("after")
        region = after.get("region") if isinstance(after, dict) else None
        by_region.setdefault(str(region or ""), []).append(rc)
    if len(by_region) <= 1:
        return [document]
    return [
        Document(
            {**document.data, "resource_changes": changes},
            source=document.source,
            locations=document.locations,
        )
        for _, changes in sorted(by_region.items())
    ]
