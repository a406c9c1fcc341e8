"""Read a live account's SageMaker resources with boto3 (`smguard audit`).

Lists and describes every model, endpoint configuration, endpoint, Studio
domain, user profile, space, notebook instance, monitoring and Clarify job
definition and pipeline, the training, processing and transform jobs created
in the last `job_days` days, the subnets of every workload, and the VPCs, VPC
endpoints, security groups, route tables, NAT and internet gateways of the
domains' and those subnets' VPCs (and the region's egress-only gateways).
`audit_document` writes the answers as a plan-shaped document. Only this
module imports boto3; plan scans never load it.

Calls: one paginated list per collection (the largest page the API allows),
one describe per resource, and per region with a workload in a VPC one
DescribeSubnets and seven more paginated EC2 Describe* calls.
List and describe calls run concurrently in a thread pool no larger than
botocore's connection pool; botocore's standard retry mode retries throttling
and transient errors with backoff. A part AWS refuses (AccessDenied,
UnauthorizedOperation, or any other error that survives the retries) becomes
an `Unread` entry, never a silent gap.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import boto3
import botocore.config
import botocore.exceptions
import botocore.parsers

from smguard import __version__
from smguard.document import Document
from smguard.errors import InputError
from smguard.loaders.audit_document import Answer, address, build
from smguard.report import Unread

# botocore's default connection pool size; the thread pool matches it so
# that no call waits for a connection.
MAX_POOL_CONNECTIONS = 10
JOB_DAYS = 30
_SAGEMAKER_PAGE = 100  # MaxResults limit of every SageMaker List* call

CONFIG = botocore.config.Config(
    retries={"mode": "standard"},  # max_attempts: AWS_MAX_ATTEMPTS or the profile, default 3
    max_pool_connections=MAX_POOL_CONNECTIONS,
    user_agent_extra=f"smguard/{__version__}",
)


@dataclass(frozen=True)
class Part:
    """One collection: how to list it and how to describe one of its members."""

    key: str  # short name, used by tests and the docs
    type: str  # the Terraform (or audit-only) resource type
    list_op: str
    items: str  # the list answer's member holding the summaries
    describe_op: str | None = None  # None: the list answer is the full answer
    # The describe call's parameters: "Name" (the summary's field of that
    # name) or "Name=Field" (the summary's field Field).
    ids: tuple[str, ...] = ()
    service: str = "sagemaker"
    job: bool = False  # listed from CreationTimeAfter only
    # EC2: the filter that narrows the list to the VPCs (or subnets) read, the
    # parameter that takes it, and the largest page the call allows.
    filter: str | None = "vpc-id"
    filter_param: str = "Filters"
    page: int = 1000


def _p(key, type_, list_op, items, describe_op, *ids, job=False) -> Part:
    return Part(key, type_, list_op, items, describe_op, ids, job=job)


PARTS: tuple[Part, ...] = (
    _p("models", "aws_sagemaker_model", "list_models", "Models", "describe_model", "ModelName"),
    _p(
        "endpoint_configs",
        "aws_sagemaker_endpoint_configuration",
        "list_endpoint_configs",
        "EndpointConfigs",
        "describe_endpoint_config",
        "EndpointConfigName",
    ),
    _p(
        "endpoints",
        "aws_sagemaker_endpoint",
        "list_endpoints",
        "Endpoints",
        "describe_endpoint",
        "EndpointName",
    ),
    _p("domains", "aws_sagemaker_domain", "list_domains", "Domains", "describe_domain", "DomainId"),
    _p(
        "user_profiles",
        "aws_sagemaker_user_profile",
        "list_user_profiles",
        "UserProfiles",
        "describe_user_profile",
        "DomainId",
        "UserProfileName",
    ),
    _p(
        "spaces",
        "aws_sagemaker_space",
        "list_spaces",
        "Spaces",
        "describe_space",
        "DomainId",
        "SpaceName",
    ),
    _p(
        "notebooks",
        "aws_sagemaker_notebook_instance",
        "list_notebook_instances",
        "NotebookInstances",
        "describe_notebook_instance",
        "NotebookInstanceName",
    ),
    *(
        _p(
            f"{kind}_job_definitions",
            f"aws_sagemaker_{kind}_job_definition",
            f"list_{kind}_job_definitions",
            "JobDefinitionSummaries",
            f"describe_{kind}_job_definition",
            "JobDefinitionName=MonitoringJobDefinitionName",
        )
        for kind in ("data_quality", "model_quality", "model_bias", "model_explainability")
    ),
    _p(
        "pipelines",
        "aws_sagemaker_pipeline",
        "list_pipelines",
        "PipelineSummaries",
        "describe_pipeline",
        "PipelineName",
    ),
    *(
        _p(
            f"{kind}_jobs",
            f"aws_sagemaker_{kind}_job",
            f"list_{kind}_jobs",
            f"{kind.title()}JobSummaries",
            f"describe_{kind}_job",
            f"{kind.title()}JobName",
            job=True,
        )
        for kind in ("training", "processing", "transform")
    ),
)

# The subnets of the region's SageMaker workloads, read once they are known:
# their VPCs, with the domains', are the VPCs NETWORK_PARTS reads.
SUBNET_PART = Part(
    "subnets", "aws_subnet", "describe_subnets", "Subnets", service="ec2", filter="subnet-id"
)

# Read once the region's workloads are known, filtered on their VPCs: what
# the domain rules read, and the network paths (SMG-EGRESS-001).
NETWORK_PARTS: tuple[Part, ...] = (
    Part("vpcs", "aws_vpc", "describe_vpcs", "Vpcs", service="ec2"),
    Part(
        "vpc_endpoints", "aws_vpc_endpoint", "describe_vpc_endpoints", "VpcEndpoints", service="ec2"
    ),
    Part(
        "security_groups",
        "aws_security_group",
        "describe_security_groups",
        "SecurityGroups",
        service="ec2",
    ),
    Part(
        "route_tables",
        "aws_route_table",
        "describe_route_tables",
        "RouteTables",
        service="ec2",
        page=100,
    ),
    Part(
        "nat_gateways",
        "aws_nat_gateway",
        "describe_nat_gateways",
        "NatGateways",
        service="ec2",
        filter_param="Filter",
    ),
    Part(
        "internet_gateways",
        "aws_internet_gateway",
        "describe_internet_gateways",
        "InternetGateways",
        service="ec2",
        filter="attachment.vpc-id",
    ),
    # DescribeEgressOnlyInternetGateways has no VPC filter: the region's all.
    Part(
        "egress_only_internet_gateways",
        "aws_egress_only_internet_gateway",
        "describe_egress_only_internet_gateways",
        "EgressOnlyInternetGateways",
        service="ec2",
        filter=None,
        page=255,
    ),
)

# Where each workload type's answer names its subnets.
_SUBNET_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "aws_sagemaker_domain": (("SubnetIds",),),
    "aws_sagemaker_notebook_instance": (("SubnetId",),),
    "aws_sagemaker_model": (("VpcConfig", "Subnets"),),
    "aws_sagemaker_training_job": (("VpcConfig", "Subnets"),),
    **{
        type_: (("NetworkConfig", "VpcConfig", "Subnets"),)
        for type_ in (
            "aws_sagemaker_processing_job",
            "aws_sagemaker_data_quality_job_definition",
            "aws_sagemaker_model_quality_job_definition",
            "aws_sagemaker_model_bias_job_definition",
            "aws_sagemaker_model_explainability_job_definition",
        )
    },
}


def _subnet_ids(answer: Answer) -> set[str]:
    found: set[str] = set()
    for path in _SUBNET_FIELDS.get(answer.type, ()):
        node: object = answer.body
        for step in path:
            node = node.get(step) if isinstance(node, dict) else None
        found |= {node} if isinstance(node, str) else set(node) if isinstance(node, list) else set()
    return {s for s in found if isinstance(s, str) and s}


# What an AWS call may raise that is about the answer, not a bug: an error AWS
# answered, a failure botocore reports, and an answer botocore cannot parse (a
# proxy's error page where AWS XML was expected).
_AWS_ERRORS = (
    botocore.exceptions.ClientError,
    botocore.exceptions.BotoCoreError,
    botocore.parsers.ResponseParserError,
)

# A resource deleted between its listing and its describe call is gone, not unread.
_GONE_CODES = {"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity"}
_GONE_PHRASES = ("could not find", "does not exist", "not found")


def _operation(client, python_name: str) -> str:
    return client.meta.method_to_api_mapping.get(python_name, python_name)


def _reason(client, python_name: str, err: Exception) -> str:
    """`ListModels: AccessDeniedException: User … is not authorized …`."""
    op = _operation(client, python_name)
    if isinstance(err, botocore.exceptions.ClientError):
        error = err.response.get("Error", {})
        code = error.get("Code") or "error"
        message = " ".join(str(error.get("Message") or "").split())
        if message.lstrip().startswith("<"):  # an HTML error page: keep the status only
            message = ""
        if code.isdigit():  # no AWS error code: an HTTP status (and maybe a page)
            code = f"HTTP {code}"
        return f"{op}: {code}: {message}"[:500] if message else f"{op}: {code}"
    if isinstance(err, botocore.parsers.ResponseParserError):
        answer = str(err).partition("\n")[2].strip().removeprefix("b").strip("'\"")
        detail = f"{op}: an answer that is not AWS's (a proxy's error page?): {answer}"
    else:
        detail = f"{op}: {type(err).__name__}: {err}"
    return " ".join(detail.split())[:500]  # one line: the CLI prints it as one


def _gone(err: Exception) -> bool:
    if not isinstance(err, botocore.exceptions.ClientError):
        return False
    error = err.response.get("Error", {})
    if error.get("Code") in _GONE_CODES:
        return True
    message = str(error.get("Message") or "").lower()
    return error.get("Code") == "ValidationException" and any(p in message for p in _GONE_PHRASES)


ClientFactory = Callable[[str, str], object]  # (service, region) -> boto3 client


class Reader:
    """Reads every part of some regions concurrently and records what it could not."""

    def __init__(
        self,
        client: ClientFactory,
        regions: tuple[str, ...],
        *,
        job_days: int = JOB_DAYS,
        workers: int = MAX_POOL_CONNECTIONS,
        parts: tuple[Part, ...] = PARTS,
        now: datetime.datetime | None = None,
        network: bool = True,
    ):
        self._client = client
        self.regions = regions
        self.parts = parts
        self.network = network  # read the workloads' subnets and VPCs (EC2)
        self.workers = workers
        self.since = (now or datetime.datetime.now(datetime.UTC)) - datetime.timedelta(
            days=job_days
        )
        self.answers: list[Answer] = []
        self.unread: list[Unread] = []
        self.gone: list[str] = []
        self._lock = threading.Lock()

    def run(self) -> None:
        with ThreadPoolExecutor(self.workers, thread_name_prefix="smguard-audit") as pool:
            lists = {
                pool.submit(self._list, region, part): (region, part)
                for region in self.regions
                for part in self.parts
            }
            describes: list[Future] = []
            # Describe calls start as soon as their list is complete.
            pending = set(lists)
            while pending:
                done, pending = wait(pending, return_when="FIRST_COMPLETED")
                for future in [f for f in lists if f in done]:  # in a stable order
                    region, part = lists[future]
                    describes += [
                        pool.submit(self._describe, region, part, s) for s in future.result()
                    ]
            for future in describes:
                future.result()  # AWS errors are recorded; anything else is a bug
            if not self.network:
                return
            for future in [
                pool.submit(self._list, region, SUBNET_PART, subnet_ids)
                for region, subnet_ids in self._workload_subnets().items()
            ]:
                future.result()
            for future in [
                pool.submit(self._list, region, part, vpc_ids)
                for region, vpc_ids in self._network_vpcs().items()
                for part in NETWORK_PARTS
            ]:
                future.result()

    def _workload_subnets(self) -> dict[str, list[str]]:
        subnets: dict[str, set[str]] = {}
        for answer in self.answers:
            if ids := _subnet_ids(answer):
                subnets.setdefault(answer.region, set()).update(ids)
        return {region: sorted(ids) for region, ids in subnets.items()}

    def _network_vpcs(self) -> dict[str, list[str]]:
        """The VPCs of the domains and of the workloads' subnets, by region."""
        vpcs: dict[str, set[str]] = {}
        for answer in self.answers:
            if answer.type in ("aws_sagemaker_domain", "aws_subnet") and answer.body.get("VpcId"):
                vpcs.setdefault(answer.region, set()).add(answer.body["VpcId"])
        return {region: sorted(ids) for region, ids in vpcs.items()}

    def _list(self, region: str, part: Part, vpc_ids: Iterable[str] = ()) -> list[dict]:
        """The summaries of a part; those read before an error are kept."""
        client = self._client(part.service, region)
        arguments: dict = {}
        if part.job:
            arguments["CreationTimeAfter"] = self.since
        if part.service == "ec2" and part.filter:
            arguments[part.filter_param] = [{"Name": part.filter, "Values": list(vpc_ids)}]
        page_size = part.page if part.service == "ec2" else _SAGEMAKER_PAGE
        items: list[dict] = []
        try:
            paginator = client.get_paginator(part.list_op)
            for page in paginator.paginate(**arguments, PaginationConfig={"PageSize": page_size}):
                items += page.get(part.items) or []
        except _AWS_ERRORS as err:
            self._unread(f"{part.type} in {region}", _reason(client, part.list_op, err))
        if part.describe_op is None:
            with self._lock:
                self.answers += [Answer(region, part.type, item) for item in items]
            return []
        return items

    def _describe(self, region: str, part: Part, summary: dict) -> None:
        client = self._client(part.service, region)
        params = {}
        for spec in part.ids:
            name, _, field = spec.partition("=")
            params[name] = summary.get(field or name)
        try:
            body = getattr(client, part.describe_op)(**params)
        except _AWS_ERRORS as err:
            where = address(part.type, {**summary, **params}, region)
            if _gone(err):
                with self._lock:
                    self.gone.append(where)
            else:
                self._unread(where, _reason(client, part.describe_op, err))
            return
        body.pop("ResponseMetadata", None)
        with self._lock:
            self.answers.append(Answer(region, part.type, body))

    def _unread(self, part: str, reason: str) -> None:
        with self._lock:
            self.unread.append(Unread(part, reason))


class CallCounter:
    """Counts API calls (`before-call`) and HTTP requests, retries included (`before-send`)."""

    def __init__(self, on_call: Callable[[int], None] | None = None):
        self.calls: Counter[str] = Counter()
        self.requests = 0
        self.on_call = on_call  # told the number of calls so far, after each
        self._lock = threading.Lock()

    def attach(self, client) -> None:
        client.meta.events.register("before-call", self._call)
        client.meta.events.register("before-send", self._send)

    def _call(self, event_name: str, **_) -> None:
        _, service, operation = event_name.split(".", 2)
        with self._lock:
            self.calls[f"{service}:{operation}"] += 1
            total = self.calls.total()
        if self.on_call:
            self.on_call(total)

    def _send(self, **_) -> None:
        with self._lock:
            self.requests += 1


def load(
    regions: tuple[str, ...] = (),
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    job_days: int = JOB_DAYS,
    session: boto3.Session | None = None,
    workers: int = MAX_POOL_CONNECTIONS,
    on_call: Callable[[int], None] | None = None,
) -> Document:
    """Audit the regions (default: the profile's or environment's region);
    on_call, if given, is told the number of API calls made after each."""
    started = time.monotonic()
    try:
        session = session or boto3.Session(profile_name=profile)
    except botocore.exceptions.BotoCoreError as err:
        raise InputError(f"AWS: {err}") from None
    regions = tuple(dict.fromkeys(regions)) or (
        (session.region_name,) if session.region_name else ()
    )
    if not regions:
        raise InputError("no AWS region: pass --region, or set AWS_REGION or a profile region")
    counter = CallCounter(on_call)
    clients: dict[tuple[str, str], object] = {}
    clients_lock = threading.Lock()

    def client(service: str, region: str):
        with clients_lock:
            if (service, region) not in clients:
                made = session.client(
                    service, region_name=region, endpoint_url=endpoint_url, config=CONFIG
                )
                counter.attach(made)
                clients[(service, region)] = made
            return clients[(service, region)]

    account = _account(client("sts", regions[0]))
    reader = Reader(client, regions, job_days=job_days, workers=min(workers, MAX_POOL_CONNECTIONS))
    reader.run()
    metadata = {
        "read_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "job_days": job_days,
        "endpoint_url": endpoint_url,
        "gone": sorted(reader.gone),
        "api_calls": dict(sorted(counter.calls.items())),
        "api_calls_total": sum(counter.calls.values()),
        "http_requests": counter.requests,
        "seconds": round(time.monotonic() - started, 2),
    }
    source = f"AWS account {account}, {', '.join(regions)}"
    if endpoint_url:
        source += f" at {endpoint_url}"
    return build(
        reader.answers,
        account=account,
        regions=regions,
        unread=sorted(reader.unread, key=lambda u: (u.part, u.reason)),
        metadata=metadata,
        source=source,
    )


def _account(sts) -> str:
    """The account the credentials belong to; bad credentials stop the audit here."""
    try:
        return sts.get_caller_identity()["Account"]
    except _AWS_ERRORS as err:
        raise InputError(
            f"AWS: cannot identify the account: {_reason(sts, 'get_caller_identity', err)}"
        ) from None
