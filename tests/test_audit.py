"""`smguard audit` against a real AWS emulator: the moto server, started here on 127.0.0.1.

Resources are created with boto3 in the emulator, the audit runs as a user runs
it (a subprocess with an endpoint URL and fake credentials), and the findings
are asserted. Where moto 5.2.5 lacks an API or cannot produce an answer
(ListUserProfiles, ListSpaces, a model that reads back isolated, AccessDenied,
throttling), the part is tested in-process, each test marked MOTO GAP:

- botocore's Stubber stands in for a whole service answer (it bypasses
  botocore's retry handler, so it is used only where retries do not matter);
- an injected HTTP answer (a `before-send` handler, the hook moto's own mock
  uses) stands in for one call while every other call reaches moto, so
  botocore's retry mode and error parsing run for real.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from conftest import REPO, smguard, smguard_on_a_terminal

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

US, EU, EMPTY = "us-east-1", "eu-west-1", "ap-southeast-2"
ROLE = "arn:aws:iam::123456789012:role/sagemaker"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference:1"
BULK = 105  # endpoint configurations beyond one ListEndpointConfigs page (100)

# Credentials for the emulator only; no shared config, no instance metadata.
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_DEFAULT_REGION": "",
    "AWS_REGION": "",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def moto_url():
    """A moto server on 127.0.0.1, for the whole session."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(2)
        except subprocess.TimeoutExpired:  # werkzeug waits for idle keep-alive connections
            server.kill()
            server.wait()


def _client(url: str, service: str, region: str):
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _network(ec2) -> tuple[str, str, str]:
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="studio", Description="studio", VpcId=vpc)
    ec2.authorize_security_group_ingress(
        GroupId=group["GroupId"],
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 443,
                "ToPort": 443,
                "UserIdGroupPairs": [{"GroupId": group["GroupId"]}],
            }
        ],
    )
    return vpc, subnet, group["GroupId"]


def _pipeline_definition(isolated: bool, subnet: str, group: str) -> str:
    arguments = {"AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"}}
    if isolated:
        arguments["EnableNetworkIsolation"] = True
        arguments["VpcConfig"] = {"Subnets": [subnet], "SecurityGroupIds": [group]}
    step = {"Name": "train", "Type": "Training", "Arguments": arguments}
    return json.dumps({"Version": "2020-12-01", "Steps": [step]})


@pytest.fixture(scope="session")
def account(moto_url):
    """Compliant and non-compliant resources in us-east-1 and eu-west-1."""
    sm, ec2 = _client(moto_url, "sagemaker", US), _client(moto_url, "ec2", US)
    vpc, subnet, group = _network(ec2)
    vpc_config = {"Subnets": [subnet], "SecurityGroupIds": [group]}
    container = {"Image": IMAGE, "ModelDataUrl": "s3://models/model.tar.gz"}

    # What the SageMaker Python SDK's Model(...).deploy() creates without a
    # NetworkConfig: a model, an endpoint configuration and an endpoint.
    sm.create_model(ModelName="sdk-model", ExecutionRoleArn=ROLE, PrimaryContainer=container)
    variant = {"VariantName": "AllTraffic", "InitialInstanceCount": 1}
    variant["InstanceType"] = "ml.m5.large"
    sm.create_endpoint_config(
        EndpointConfigName="sdk-model-config",
        ProductionVariants=[{**variant, "ModelName": "sdk-model"}],
    )
    sm.create_endpoint(EndpointName="sdk-endpoint", EndpointConfigName="sdk-model-config")
    # Created with isolation and a VPC; moto drops EnableNetworkIsolation.
    sm.create_model(
        ModelName="vpc-model",
        ExecutionRoleArn=ROLE,
        PrimaryContainer=container,
        EnableNetworkIsolation=True,
        VpcConfig=vpc_config,
    )
    # Serves a model deleted since (AWS allows that), whose name exists in
    # eu-west-1 too: not found here, whatever the other region's model is like.
    sm.create_model(ModelName="only-in-eu", ExecutionRoleArn=ROLE, PrimaryContainer=container)
    sm.create_endpoint_config(
        EndpointConfigName="lonely-config",
        ProductionVariants=[{**variant, "ModelName": "only-in-eu"}],
    )
    sm.delete_model(ModelName="only-in-eu")
    for i in range(BULK):
        sm.create_endpoint_config(
            EndpointConfigName=f"bulk-{i:03d}",
            ProductionVariants=[{**variant, "ModelName": "vpc-model"}],
        )

    sm.create_domain(
        DomainName="private",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE, "SecurityGroups": [group]},
        SubnetIds=[subnet],
        VpcId=vpc,
        AppNetworkAccessType="VpcOnly",
    )
    sm.create_domain(
        DomainName="public",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE},
        SubnetIds=[subnet],
        VpcId=vpc,
    )
    ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName=f"com.amazonaws.{US}.sagemaker.api",
        VpcEndpointType="Interface",
        SubnetIds=[subnet],
        SecurityGroupIds=[group],
        PrivateDnsEnabled=True,
    )

    notebook = {"InstanceType": "ml.t3.medium", "RoleArn": ROLE}
    sm.create_notebook_instance(
        NotebookInstanceName="private-notebook",
        SubnetId=subnet,
        SecurityGroupIds=[group],
        DirectInternetAccess="Disabled",
        RootAccess="Disabled",
        **notebook,
    )
    sm.create_notebook_instance(NotebookInstanceName="open-notebook", **notebook)

    sm.create_pipeline(
        PipelineName="isolated-pipeline",
        RoleArn=ROLE,
        PipelineDefinition=_pipeline_definition(True, subnet, group),
    )
    sm.create_pipeline(
        PipelineName="sdk-pipeline",
        RoleArn=ROLE,
        PipelineDefinition=_pipeline_definition(False, subnet, group),
    )

    training = {
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "RoleArn": ROLE,
        "OutputDataConfig": {"S3OutputPath": "s3://out/"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    sm.create_training_job(
        TrainingJobName="isolated-training",
        EnableNetworkIsolation=True,
        VpcConfig=vpc_config,
        **training,
    )
    sm.create_training_job(TrainingJobName="sdk-training", **training)
    processing = {
        "ProcessingResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.large",
                "VolumeSizeInGB": 10,
            }
        },
        "AppSpecification": {"ImageUri": IMAGE},
        "RoleArn": ROLE,
    }
    sm.create_processing_job(
        ProcessingJobName="isolated-processing",
        NetworkConfig={"EnableNetworkIsolation": True, "VpcConfig": vpc_config},
        **processing,
    )
    sm.create_processing_job(ProcessingJobName="sdk-processing", **processing)
    sm.create_transform_job(
        TransformJobName="sdk-transform",
        ModelName="sdk-model",
        TransformInput={
            "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://in/"}}
        },
        TransformOutput={"S3OutputPath": "s3://out/"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    )

    monitoring = {
        "JobResources": {
            "ClusterConfig": {
                "InstanceCount": 1,
                "InstanceType": "ml.m5.large",
                "VolumeSizeInGB": 10,
            }
        },
        "RoleArn": ROLE,
        "DataQualityAppSpecification": {"ImageUri": IMAGE},
        "DataQualityJobInput": {
            "EndpointInput": {"EndpointName": "sdk-endpoint", "LocalPath": "/in"}
        },
        "DataQualityJobOutputConfig": {
            "MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://out/", "LocalPath": "/out"}}]
        },
    }
    sm.create_data_quality_job_definition(
        JobDefinitionName="isolated-monitor",
        NetworkConfig={
            "EnableNetworkIsolation": True,
            "EnableInterContainerTrafficEncryption": True,
            "VpcConfig": vpc_config,
        },
        **monitoring,
    )
    sm.create_data_quality_job_definition(JobDefinitionName="open-monitor", **monitoring)

    eu = _client(moto_url, "sagemaker", EU)
    eu.create_model(ModelName="only-in-eu", ExecutionRoleArn=ROLE, PrimaryContainer=container)
    eu.create_model(ModelName="sdk-model", ExecutionRoleArn=ROLE, PrimaryContainer=container)
    return moto_url


def _audit(url: str, *args: str):
    return smguard("audit", "--endpoint-url", url, "--engine", "opa", *args, env=AWS_ENV)


@pytest.fixture(scope="session")
def audited(account, tmp_path_factory):
    """One partial audit of both regions, as JSON; its file and its report."""
    run = _audit(account, "--region", US, "--region", EU, "--format", "json", "--allow-partial")
    assert run.code == 1, run.stderr
    path = tmp_path_factory.mktemp("audit") / "audit.json"
    path.write_text(run.stdout)
    return path, run.json(), run.stderr


def _verdicts(report: dict, *rules: str) -> set[tuple[str, str, str]]:
    return {
        (f["rule_id"], f["address"], f["verdict"])
        for f in report["findings"]
        if f["rule_id"] in rules
    }


def _a(type_: str, name: str, region: str = US) -> str:
    return f'{type_}.{name}["{region}"]'


def _message(report: dict, rule: str, address: str) -> str:
    (message,) = [
        f["message"] for f in report["findings"] if (f["rule_id"], f["address"]) == (rule, address)
    ]
    return message


MODEL, CONFIG, ENDPOINT = "aws_sagemaker_model", "aws_sagemaker_endpoint_configuration", None
ENDPOINT = "aws_sagemaker_endpoint"
TRAINING, PROCESSING = "aws_sagemaker_training_job", "aws_sagemaker_processing_job"
TRANSFORM = "aws_sagemaker_transform_job"


# ---------------------------------------------------------------------------
# Against moto


def test_audit_finds_what_a_plan_gate_misses(audited):
    _, report, _ = audited
    assert _verdicts(report, "SMG-ENDPOINT-002") == {
        ("SMG-ENDPOINT-002", _a(ENDPOINT, "sdk-endpoint"), "fail")
    }
    assert ("SMG-ENDPOINT-001", _a(CONFIG, "sdk-model-config"), "fail") in _verdicts(
        report, "SMG-ENDPOINT-001"
    )
    assert ("SMG-MODEL-001", _a(MODEL, "sdk-model"), "fail") in _verdicts(report, "SMG-MODEL-001")
    assert _verdicts(report, "SMG-DOMAIN-001") == {
        ("SMG-DOMAIN-001", _a("aws_sagemaker_domain", "d-private"), "pass"),
        ("SMG-DOMAIN-001", _a("aws_sagemaker_domain", "d-public"), "fail"),
    }
    notebook = "aws_sagemaker_notebook_instance"
    assert _verdicts(report, "SMG-NOTEBOOK-001") == {
        ("SMG-NOTEBOOK-001", _a(notebook, "private-notebook"), "pass"),
        ("SMG-NOTEBOOK-001", _a(notebook, "open-notebook"), "fail"),
    }
    assert _verdicts(report, "SMG-PIPELINE-001") == {
        ("SMG-PIPELINE-001", _a("aws_sagemaker_pipeline", "isolated-pipeline"), "pass"),
        ("SMG-PIPELINE-001", _a("aws_sagemaker_pipeline", "sdk-pipeline"), "fail"),
    }
    monitor = "aws_sagemaker_data_quality_job_definition"
    assert _verdicts(report, "SMG-JOB-001", "SMG-JOB-003") == {
        ("SMG-JOB-001", _a(monitor, "isolated-monitor"), "pass"),
        ("SMG-JOB-001", _a(monitor, "open-monitor"), "fail"),
        ("SMG-JOB-003", _a(monitor, "isolated-monitor"), "pass"),
        ("SMG-JOB-003", _a(monitor, "open-monitor"), "fail"),
    }
    assert report["summary"]["fail"] > 0


def test_jobs_get_rules_of_their_own(audited):
    _, report, _ = audited
    assert _verdicts(report, "SMG-JOB-101", "SMG-JOB-102") == {
        (rule, _a(type_, name), verdict)
        for rule in ("SMG-JOB-101", "SMG-JOB-102")
        for type_, name, verdict in (
            (TRAINING, "isolated-training", "pass"),
            (TRAINING, "sdk-training", "fail"),
            (PROCESSING, "isolated-processing", "pass"),
            (PROCESSING, "sdk-processing", "fail"),
        )
    }
    assert _verdicts(report, "SMG-JOB-103") == {
        ("SMG-JOB-103", _a(TRANSFORM, "sdk-transform"), "fail")
    }
    assert "SMG-MODEL-001" in _message(report, "SMG-JOB-103", _a(TRANSFORM, "sdk-transform"))


def test_moto_drops_enable_network_isolation(audited):
    """MOTO GAP, asserted as it is: CreateModel(EnableNetworkIsolation=True) reads back false.

    The model therefore fails SMG-MODEL-001 here; its VPC configuration is read.
    The mapping of an isolated model is tested with the Stubber below.
    """
    _, report, _ = audited
    (model,) = [
        rc for rc in report["plan"]["resource_changes"] if rc["address"] == _a(MODEL, "vpc-model")
    ]
    assert model["change"]["after"]["enable_network_isolation"] is False
    assert _verdicts(report, "SMG-MODEL-002") >= {
        ("SMG-MODEL-002", _a(MODEL, "vpc-model"), "pass"),
        ("SMG-MODEL-002", _a(MODEL, "sdk-model"), "fail"),
    }


def test_document_is_plan_shaped(audited):
    _, report, _ = audited
    plan = report["plan"]
    assert plan["format_version"] == "1.2"
    assert "configuration" not in plan
    (endpoint,) = [
        rc for rc in plan["resource_changes"] if rc["address"] == _a(ENDPOINT, "sdk-endpoint")
    ]
    assert endpoint["type"] == ENDPOINT and endpoint["name"] == "sdk-endpoint"
    assert endpoint["index"] == US
    assert endpoint["change"] == {
        "actions": ["no-op"],
        "after": {
            "name": "sdk-endpoint",
            "arn": f"arn:aws:sagemaker:{US}:123456789012:endpoint/sdk-endpoint",
            "endpoint_config_name": "sdk-model-config",
            "region": US,
        },
        "after_unknown": {},
    }
    types = {rc["type"] for rc in plan["resource_changes"]}
    assert {"aws_vpc", "aws_vpc_endpoint", "aws_security_group"} <= types
    (group,) = [
        rc
        for rc in plan["resource_changes"]
        if rc["type"] == "aws_security_group" and rc["change"]["after"]["name"] == "studio"
    ]
    ingress = group["change"]["after"]["ingress"]
    assert ingress[0]["self"] is True and ingress[0]["from_port"] == 443
    assert report["plan"]["smguard_audit"]["account"] == "123456789012"
    assert report["plan"]["smguard_audit"]["regions"] == [US, EU]


def test_regions_are_evaluated_apart(audited):
    """Model names repeat across regions: a variant only finds a model of its own region."""
    _, report, _ = audited
    lonely = _a(CONFIG, "lonely-config")
    assert _verdicts(report, "SMG-ENDPOINT-001") >= {("SMG-ENDPOINT-001", lonely, "warn")}
    assert '"only-in-eu"' in _message(report, "SMG-ENDPOINT-001", lonely)
    assert (
        _message(report, "SMG-ENDPOINT-001", _a(CONFIG, "sdk-model-config")).count(
            "aws_sagemaker_model."
        )
        == 1
    )
    assert ("SMG-MODEL-001", _a(MODEL, "sdk-model", EU), "fail") in _verdicts(
        report, "SMG-MODEL-001"
    )


def test_pagination_and_the_minimum_of_calls(audited):
    _, report, _ = audited
    audit = report["plan"]["smguard_audit"]
    calls = audit["api_calls"]
    models = [rc for rc in report["plan"]["resource_changes"] if rc["type"] == MODEL]
    configs = [rc for rc in report["plan"]["resource_changes"] if rc["type"] == CONFIG]
    assert len(models) == 2 + 2 and len(configs) == BULK + 2
    assert calls["sagemaker:ListEndpointConfigs"] == 2 + 1, "two pages in us-east-1"
    # MOTO GAP: moto ignores MaxResults on ListModels (one page, however many);
    # paging through ListModels is tested with the Stubber.
    assert calls["sagemaker:ListModels"] == 2
    assert calls["sagemaker:DescribeModel"] == len(models)
    by_type = {}
    for rc in report["plan"]["resource_changes"]:
        by_type[rc["type"]] = by_type.get(rc["type"], 0) + 1
    assert calls["sagemaker:DescribeEndpoint"] == by_type[ENDPOINT]
    assert calls["sagemaker:DescribeEndpointConfig"] == by_type[CONFIG]
    assert calls["sagemaker:DescribeTrainingJob"] == by_type[TRAINING]
    # One paginated call for each of the three network parts, in us-east-1 only.
    assert calls["ec2:DescribeVpcEndpoints"] == 1
    assert calls["ec2:DescribeSecurityGroups"] == 1
    assert calls["sts:GetCallerIdentity"] == 1
    assert audit["api_calls_total"] == sum(calls.values())
    # moto answers HTTP 500 to ListUserProfiles and ListSpaces; botocore's
    # standard mode tries each three times.
    assert audit["http_requests"] == audit["api_calls_total"] + 2 * 2 * 2


def test_moto_gaps_are_not_audited_and_exit_2(account):
    """MOTO GAP: ListUserProfiles and ListSpaces answer HTTP 500 (not implemented).

    That is exactly a part AWS would not let us read: reported, exit 2.
    """
    run = _audit(account, "--region", EMPTY)
    assert run.code == 2
    assert "NOT AUDITED" in run.stdout
    assert f"  aws_sagemaker_user_profile in {EMPTY}: ListUserProfiles: HTTP 500" in run.stdout
    assert f"  aws_sagemaker_space in {EMPTY}: ListSpaces: HTTP 500" in run.stdout
    assert run.stdout.rstrip().endswith("; 2 parts not audited")
    assert "2 parts of the account could not be read" in run.stderr
    assert "--allow-partial" in run.stderr


def test_allow_partial_lists_the_unread_parts(audited):
    _, report, stderr = audited
    assert {(u["part"], u["reason"]) for u in report["unread"]} == {
        (f"{type_} in {region}", f"{op}: HTTP 500")
        for region in (US, EU)
        for type_, op in (
            ("aws_sagemaker_user_profile", "ListUserProfiles"),
            ("aws_sagemaker_space", "ListSpaces"),
        )
    }
    assert report["plan"]["smguard_audit"]["unread"] == report["unread"]
    assert "API calls" in stderr


def test_saved_json_rescans_offline_with_the_same_findings(audited):
    path, report, _ = audited
    rescan = smguard("scan", str(path), "--format", "json", "--allow-partial", "--engine", "opa")
    assert rescan.code == 1, rescan.stderr
    keys = ("rule_id", "address", "verdict", "severity", "message")
    assert [tuple(f[k] for k in keys) for f in rescan.json()["findings"]] == [
        tuple(f[k] for k in keys) for f in report["findings"]
    ]
    assert rescan.json()["unread"] == report["unread"]
    # A partial audit stays partial when scanned again.
    assert smguard("scan", str(path), "--engine", "opa").code == 2


def test_a_scan_report_without_a_document_is_refused(tmp_path):
    report = tmp_path / "report.json"
    failing = REPO / "fixtures" / "model-no-vpc" / "plan.json"
    report.write_text(smguard("scan", str(failing), "--format", "json").stdout)
    run = smguard("scan", str(report))
    assert run.code == 2
    assert "only `smguard audit --format json` output can be scanned again" in run.stderr


def test_a_region_with_nothing_in_it(account):
    run = _audit(account, "--region", EMPTY, "--format", "json", "--allow-partial")
    assert run.code == 0, run.stderr
    assert run.json()["findings"] == []
    assert run.json()["plan"]["resource_changes"] == []
    assert {u["part"].split(" in ")[1] for u in run.json()["unread"]} == {EMPTY}


def test_no_credentials_is_exit_2_with_one_line(account):
    env = {**AWS_ENV, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": ""}
    run = smguard("audit", "--endpoint-url", account, "--region", US, env=env)
    assert run.code == 2
    assert run.stderr.strip().startswith("smguard: error: AWS: cannot identify the account")
    assert "NoCredentialsError" in run.stderr


def test_no_region_is_exit_2():
    run = smguard("audit", env=AWS_ENV)
    assert run.code == 2
    assert "no AWS region" in run.stderr


def test_plan_scans_do_not_import_boto3():
    code = (
        "import sys; from smguard import cli; "
        "cli.main(['scan', 'examples/plan.json', '--engine', 'opa']); "
        "print('IMPORTED', sorted(m for m in sys.modules if m.startswith(('boto3', 'botocore'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "IMPORTED []"


NAT_REGION = "ca-central-1"


@pytest.fixture(scope="session")
def nat_account(moto_url):
    """In ca-central-1: a VPC whose private subnet routes 0.0.0.0/0 to a public
    NAT gateway, and an isolated subnet with the local route only."""
    sm, ec2 = _client(moto_url, "sagemaker", NAT_REGION), _client(moto_url, "ec2", NAT_REGION)
    vpc = ec2.create_vpc(CidrBlock="10.70.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.70.0.0/24")["Subnet"]["SubnetId"]
    private = ec2.create_subnet(VpcId=vpc, CidrBlock="10.70.1.0/24")["Subnet"]["SubnetId"]
    isolated = ec2.create_subnet(VpcId=vpc, CidrBlock="10.70.2.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_table, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_table, SubnetId=public)
    allocation = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=public, AllocationId=allocation)["NatGateway"]
    private_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(
        RouteTableId=private_table,
        DestinationCidrBlock="0.0.0.0/0",
        NatGatewayId=nat["NatGatewayId"],
    )
    ec2.associate_route_table(RouteTableId=private_table, SubnetId=private)
    isolated_table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=isolated_table, SubnetId=isolated)
    # The default egress rule AWS gives a new group: 0.0.0.0/0.
    group = ec2.create_security_group(GroupName="nb", Description="nb", VpcId=vpc)["GroupId"]
    notebook = {"InstanceType": "ml.t3.medium", "RoleArn": ROLE, "SecurityGroupIds": [group]}
    notebook |= {"DirectInternetAccess": "Disabled", "RootAccess": "Disabled"}
    sm.create_notebook_instance(NotebookInstanceName="behind-nat", SubnetId=private, **notebook)
    sm.create_notebook_instance(NotebookInstanceName="isolated", SubnetId=isolated, **notebook)
    return moto_url, nat["NatGatewayId"]


def test_audit_finds_a_nat_path(nat_account):
    """The route tables, NAT and internet gateways, subnets and security groups
    of the notebooks' VPC are read (EC2 Describe*), and SMG-EGRESS-001 follows
    the private subnet's route to the public NAT gateway."""
    url, nat = nat_account
    run = _audit(url, "--region", NAT_REGION, "--format", "json", "--allow-partial")
    assert run.code == 1, run.stderr
    report = run.json()
    notebook = "aws_sagemaker_notebook_instance"
    assert _verdicts(report, "SMG-EGRESS-001") == {
        ("SMG-EGRESS-001", _a(notebook, "behind-nat", NAT_REGION), "fail"),
        ("SMG-EGRESS-001", _a(notebook, "isolated", NAT_REGION), "pass"),
    }
    message = _message(report, "SMG-EGRESS-001", _a(notebook, "behind-nat", NAT_REGION))
    assert f"public NAT gateway aws_nat_gateway.{nat}" in message
    types = {rc["type"] for rc in report["plan"]["resource_changes"]}
    assert {
        "aws_subnet",
        "aws_route_table",
        "aws_route_table_association",
        "aws_main_route_table_association",
        "aws_nat_gateway",
        "aws_internet_gateway",
    } <= types
    calls = report["plan"]["smguard_audit"]["api_calls"]
    for call in ("DescribeSubnets", "DescribeRouteTables", "DescribeNatGateways"):
        assert calls[f"ec2:{call}"] == 1, call


# ---------------------------------------------------------------------------
# In-process, with an injected HTTP answer for one call; the rest is moto.


class _Body:
    def __init__(self, body: bytes):
        self._body = body

    def stream(self, **_):
        yield self._body


def _error(request, code: str, message: str, status: int = 400) -> AWSResponse:
    body = json.dumps({"__type": code, "message": message}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    return AWSResponse(request.url, status, headers, _Body(body))


_Session = boto3.Session


def _session(**handlers) -> boto3.Session:
    """A session whose clients answer some operations themselves (`before-send` handlers)."""
    session = _Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=US)
    for operation, handler in handlers.items():
        session.events.register(f"before-send.sagemaker.{operation}", handler)
    return session


def _target(request) -> str:
    return json.loads(request.body or b"{}")


def test_throttling_is_retried_by_botocore(account):
    """MOTO GAP (no throttling): ListModels is throttled twice, then moto answers."""
    from smguard.loaders import audit

    throttled = []

    def throttle(request, **_):
        if len(throttled) < 2:
            throttled.append(1)
            return _error(request, "ThrottlingException", "Rate exceeded")
        return None

    document = audit.load((EU,), endpoint_url=account, session=_session(ListModels=throttle))
    meta = document.data["smguard_audit"]
    assert len(throttled) == 2
    assert meta["api_calls"]["sagemaker:ListModels"] == 1
    models = {rc["name"] for rc in document.resource_changes() if rc["type"] == MODEL}
    assert models == {"only-in-eu", "sdk-model"}
    assert not any("aws_sagemaker_model" in u["part"] for u in meta["unread"])


def test_access_denied_on_one_resource_and_one_service(account, monkeypatch, capsys):
    """MOTO GAP (moto cannot deny): DescribeModel of one model and ListNotebookInstances
    answer AccessDeniedException; the rest of the audit is moto's."""
    from smguard import cli
    from smguard.loaders import audit

    def deny_model(request, **_):
        if _target(request).get("ModelName") == "sdk-model":
            return _error(request, "AccessDeniedException", "not authorized: sdk-model")
        return None

    def deny(request, **_):
        return _error(request, "AccessDeniedException", "not authorized to list notebooks")

    def session(profile_name=None):
        return _session(DescribeModel=deny_model, ListNotebookInstances=deny)

    monkeypatch.setattr(audit.boto3, "Session", session)
    argv = ["audit", "--endpoint-url", account, "--region", EU, "--format", "json", "--engine"]
    assert cli.main([*argv, "opa"]) == 2
    report = json.loads(capsys.readouterr().out)
    unread = {u["part"]: u["reason"] for u in report["unread"]}
    assert unread[_a(MODEL, "sdk-model", EU)] == (
        "DescribeModel: AccessDeniedException: not authorized: sdk-model"
    )
    assert unread[f"aws_sagemaker_notebook_instance in {EU}"].startswith(
        "ListNotebookInstances: AccessDeniedException"
    )
    addresses = {f["address"] for f in report["findings"]}
    assert _a(MODEL, "only-in-eu", EU) in addresses, "what could be read is reported"
    assert _a(MODEL, "sdk-model", EU) not in addresses, "never a pass for what was not read"

    assert cli.main([*argv, "opa", "--allow-partial"]) == 1
    capsys.readouterr()


_PROXY_PAGE = b"Proxy Error: upstream connect error or disconnect/reset before headers"


@pytest.fixture
def proxy_error_url():
    """An endpoint on 127.0.0.1 that answers every request as a broken proxy
    does: HTTP 500 with a plain-text page, not AWS XML or JSON."""
    import http.server
    import threading

    class ProxyError(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(500)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(_PROXY_PAGE)))
            self.end_headers()
            self.wfile.write(_PROXY_PAGE)

        do_GET = do_POST

        def log_message(self, *_):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ProxyError)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_proxy_error_page_from_sts_is_exit_2_with_one_line(proxy_error_url):
    run = smguard("audit", "--endpoint-url", proxy_error_url, "--region", US, env=AWS_ENV)
    assert run.code == 2
    assert run.stderr.strip() == (
        "smguard: error: AWS: cannot identify the account: GetCallerIdentity: an answer that "
        f"is not AWS's (a proxy's error page?): {_PROXY_PAGE.decode()}"
    )


def test_a_proxy_error_page_from_ec2_is_an_unread_part(account):
    """MOTO GAP (moto answers in XML): DescribeVpcs answers HTTP 500 with a
    plain-text page, which botocore cannot parse as EC2's XML; the rest is moto's."""
    from smguard.loaders import audit

    def proxy_error(request, **_):
        return AWSResponse(request.url, 500, {"Content-Type": "text/plain"}, _Body(_PROXY_PAGE))

    session = _session()
    session.events.register("before-send.ec2.DescribeVpcs", proxy_error)
    document = audit.load((US,), endpoint_url=account, session=session)
    unread = {u["part"]: u["reason"] for u in document.data["smguard_audit"]["unread"]}
    assert unread[f"aws_vpc in {US}"] == (
        f"DescribeVpcs: an answer that is not AWS's (a proxy's error page?): {_PROXY_PAGE.decode()}"
    )


# ---------------------------------------------------------------------------
# In-process with botocore's Stubber: APIs moto lacks, and answers it cannot give.


def _stubbed(service: str = "sagemaker"):
    client = boto3.client(
        service, region_name=US, aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    return client, Stubber(client)


def _read(client, *keys: str):
    from smguard.loaders import audit
    from smguard.loaders.audit_document import build

    parts = tuple(p for p in audit.PARTS if p.key in keys)
    reader = audit.Reader(
        lambda service, region: client, (US,), parts=parts, workers=1, network=False
    )
    reader.run()
    return reader, build(
        reader.answers, account="123456789012", regions=(US,), unread=reader.unread
    )


def _evaluate(document):
    from smguard import engines

    engine = engines.get(engines.EngineName.OPA)
    return {(f.rule_id, f.address): f for f in engine.evaluate(document).findings}


def test_user_profiles_and_spaces_with_the_stubber():
    """MOTO GAP: ListUserProfiles, DescribeUserProfile, ListSpaces, DescribeSpace."""
    client, stub = _stubbed()
    # One worker: list calls in the order of PARTS, then describe calls.
    stub.add_response(
        "list_user_profiles",
        {"UserProfiles": [{"DomainId": "d-abc", "UserProfileName": "alice"}]},
        {"MaxResults": 100},
    )
    stub.add_response(
        "list_spaces",
        {"Spaces": [{"DomainId": "d-abc", "SpaceName": "shared"}]},
        {"MaxResults": 100},
    )
    stub.add_response(
        "describe_user_profile",
        {
            "DomainId": "d-abc",
            "UserProfileName": "alice",
            "UserProfileArn": f"arn:aws:sagemaker:{US}:123456789012:user-profile/d-abc/alice",
            "UserSettings": {"ExecutionRole": ROLE, "SecurityGroups": ["sg-1"]},
        },
        {"DomainId": "d-abc", "UserProfileName": "alice"},
    )
    stub.add_response(
        "describe_space",
        {
            "DomainId": "d-abc",
            "SpaceName": "shared",
            "SpaceSharingSettings": {"SharingType": "Shared"},
        },
        {"DomainId": "d-abc", "SpaceName": "shared"},
    )
    with stub:
        reader, document = _read(client, "user_profiles", "spaces")
    stub.assert_no_pending_responses()
    assert reader.unread == []
    changes = {rc["address"]: rc for rc in document.resource_changes()}
    profile = changes['aws_sagemaker_user_profile.alice["us-east-1/d-abc"]']["change"]["after"]
    assert profile["user_settings"] == [
        {
            "execution_role": ROLE,
            "security_groups": ["sg-1"],
            "default_landing_uri": None,
            "studio_web_portal": None,
        }
    ]
    assert profile["domain_id"] == "d-abc"
    space = changes['aws_sagemaker_space.shared["us-east-1/d-abc"]']["change"]["after"]
    assert space["space_sharing_settings"] == [{"sharing_type": "Shared"}]
    found = _evaluate(document)
    assert (
        found[("SMG-PROFILE-001", 'aws_sagemaker_user_profile.alice["us-east-1/d-abc"]')].verdict
        == "pass"
    )


def test_isolated_model_mapping_with_the_stubber():
    """MOTO GAP: a model that reads back EnableNetworkIsolation true; two list pages."""
    client, stub = _stubbed()
    stub.add_response(
        "list_models",
        {"Models": [_summary("isolated")], "NextToken": "page-2"},
        {"MaxResults": 100},
    )
    stub.add_response(
        "list_models", {"Models": [_summary("open")]}, {"MaxResults": 100, "NextToken": "page-2"}
    )
    for name, isolated in (("isolated", True), ("open", False)):
        answer = {
            "ModelName": name,
            "ModelArn": f"arn:aws:sagemaker:{US}:123456789012:model/{name}",
            "ExecutionRoleArn": ROLE,
            "CreationTime": "2026-01-01T00:00:00Z",
            "PrimaryContainer": {"Image": IMAGE, "Environment": {"A_KEY": "kept as is"}},
            "EnableNetworkIsolation": isolated,
        }
        if isolated:
            answer["VpcConfig"] = {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}
        stub.add_response("describe_model", answer, {"ModelName": name})
    with stub:
        _, document = _read(client, "models")
    stub.assert_no_pending_responses()
    (isolated,) = [rc for rc in document.resource_changes() if rc["name"] == "isolated"]
    after = isolated["change"]["after"]
    assert after["enable_network_isolation"] is True
    assert after["vpc_config"] == [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}]
    assert after["primary_container"][0]["environment"] == {"A_KEY": "kept as is"}
    assert after["container"] == []
    found = _evaluate(document)
    for rule in ("SMG-MODEL-001", "SMG-MODEL-002"):
        assert found[(rule, _a(MODEL, "isolated"))].verdict == "pass"
        assert found[(rule, _a(MODEL, "open"))].verdict == "fail"


def _summary(name: str) -> dict:
    return {
        "ModelName": name,
        "ModelArn": f"arn:aws:sagemaker:{US}:123456789012:model/{name}",
        "CreationTime": "2026-01-01T00:00:00Z",
    }


def test_access_denied_and_vanished_resources_with_the_stubber():
    """MOTO GAP: AccessDenied on a list; a model deleted between list and describe."""
    client, stub = _stubbed()
    # One worker: list calls in the order of PARTS, then describe calls.
    stub.add_response("list_models", {"Models": [_summary("deleted")]}, {"MaxResults": 100})
    stub.add_client_error(
        "list_notebook_instances",
        service_error_code="AccessDeniedException",
        service_message="User is not authorized to perform: sagemaker:ListNotebookInstances",
        http_status_code=400,
    )
    stub.add_client_error(
        "describe_model",
        service_error_code="ValidationException",
        service_message="Could not find model 'deleted'.",
        http_status_code=400,
    )
    with stub:
        reader, document = _read(client, "models", "notebooks")
    assert reader.unread == [
        _unread(
            "aws_sagemaker_notebook_instance in us-east-1",
            "ListNotebookInstances: AccessDeniedException: "
            "User is not authorized to perform: sagemaker:ListNotebookInstances",
        )
    ]
    assert reader.gone == [_a(MODEL, "deleted")]
    assert list(document.resource_changes()) == []


def _unread(part: str, reason: str):
    from smguard.report import Unread

    return Unread(part, reason)


# ---------------------------------------------------------------------------
# Units


def test_report_merge_keeps_exemption_problems_every_region_has():
    from smguard.report import ExemptionProblem, Report, merge

    expired = ExemptionProblem(0, "expired", "expired")
    unused = ExemptionProblem(1, "unused", "unused")
    merged = merge(
        [
            Report("s", "opa", (), (expired, unused)),
            Report("s", "opa", (), (expired,)),
        ],
        source="account",
    )
    assert merged.exemption_problems == (expired,)
    assert merged.source == "account"


def test_partitions_split_an_audit_by_region_only():
    from smguard.document import Document
    from smguard.loaders.audit_document import Answer, build, partitions

    answers = [Answer(r, MODEL, {"ModelName": "m"}) for r in (US, EU)]
    document = build(answers, account="1", regions=(US, EU))
    assert [[rc["address"] for rc in p.resource_changes()] for p in partitions(document)] == [
        [_a(MODEL, "m", EU)],
        [_a(MODEL, "m", US)],
    ]
    plan = Document({"format_version": "1.2", "resource_changes": []}, source="plan.json")
    assert partitions(plan) == [plan]


def test_empty_api_objects_are_empty_blocks():
    from smguard.loaders.audit_document import RESOURCES, attributes

    after = attributes(RESOURCES[MODEL].spec, {"ModelName": "m", "VpcConfig": {}})
    assert after["vpc_config"] == [] and after["primary_container"] == []
    assert after["enable_network_isolation"] is None


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch):
    """In-process tests talk to moto or to stubs only."""
    for key, value in AWS_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_an_audit_on_a_terminal_counts_its_api_calls(account):
    run, terminal = smguard_on_a_terminal(
        "audit", "--endpoint-url", account, "--engine", "opa", "--region", EU, "--allow-partial",
        env=AWS_ENV,
    )  # fmt: skip
    assert run.code == 1, terminal
    counts = [
        int(n) for n in re.findall(r"smguard: reading the account: (\d+) API calls", terminal)
    ]
    assert counts and counts == sorted(counts), terminal
    assert "smguard: evaluating " in terminal
    assert re.search(r"smguard: read \d+ resources of AWS account", terminal)
