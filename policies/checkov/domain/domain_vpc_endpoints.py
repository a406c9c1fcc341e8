"""SMG-DOMAIN-006 domain-vpc-endpoints, as rules/domain/domain_vpc_endpoints/rule.rego.

A VpcOnly domain is judged by the aws_vpc_endpoint resources of this plan in
its VPC, and by the ingress rules of their security groups (inline `ingress`
blocks of aws_security_group, aws_security_group_rule and
aws_vpc_security_group_ingress_rule), all found in checkov's resource graph.
As in the Rego rule, a planned VPC or security group has several names, its
address and, when known, its ID, so that a known ID and a reference to the
resource match each other. What does not depend on the domain is computed
once per plan (_Network).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

USER = ("default_user_settings", 0, "security_groups")
SPACE = ("default_space_settings", 0, "security_groups")
VPC = "aws_vpc"
GROUP = "aws_security_group"
ENDPOINT = "aws_vpc_endpoint"

_IPV4_CIDR = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}")

Path = tuple[str | int, ...]


class DomainVpcEndpoints(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure VpcOnly Studio domains have the VPC endpoints Studio needs",
            id="SMG-DOMAIN-006",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        access = rc.get("app_network_access_type")
        if access.unknown:
            return smg.warn(
                "app_network_access_type is unknown until apply; the VPC endpoints a VpcOnly"
                " domain needs were not checked"
            )
        if access.value != "VpcOnly":
            return smg.PASS
        net = _network(rc)
        vpc = net.names(rc, ("vpc_id",), VPC)
        if not vpc:
            problem = (
                "vpc_id is unknown until apply and refers to no aws_vpc in this plan"
                if rc.get("vpc_id").unknown
                else "vpc_id is not set"
            )
            return smg.warn(f"{problem}; the VPC endpoints a VpcOnly domain needs cannot be found")
        context = _Context(
            endpoints=sorted({a for name in vpc for a in net.endpoints_in.get(name, ())}),
            groups=[net.names(rc, path, GROUP) for path in _group_paths(rc)],
            cidrs=net.cidrs(vpc),
        )
        required = smg.setting("vpc_endpoints", "required_services")
        services = required if isinstance(required, list) else []
        results = [(service, net.result(service, context)) for service in services]
        missing = [service for service, result in results if result == "missing"]
        broken = [f"{s} ({result})" for s, result in results if result not in ("missing", "ok")]
        if not missing and not broken:
            return smg.PASS
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"misconfigured {'; '.join(broken)}"] if broken else []
        )
        return smg.warn(
            "VpcOnly domain without working VPC endpoints in its VPC: "
            + "; ".join(parts)
            + net.unnamed(context)
            + ". Studio apps fail to start without them (a NAT gateway would route them,"
            " and the internet too: SMG-EGRESS-001)"
            " (endpoints created outside this plan are not visible here)"
        )


def _group_paths(rc: smg.Resource) -> list[Path]:
    return [USER, SPACE] if rc.get("default_space_settings").nonempty else [USER]


@dataclass(frozen=True)
class _Context:
    """The domain: the endpoints in its VPC, the names of its security groups
    (one set per settings block) and the IPv4 CIDR blocks of its planned VPC."""

    endpoints: list[str]
    groups: list[frozenset[str]]
    cidrs: frozenset[str]


@dataclass(frozen=True)
class _Grant:
    """An ingress rule: the names of the security groups it opens, whether it
    admits TCP 443, and from which security groups and IPv4 CIDR blocks."""

    targets: frozenset[str]
    https: bool
    sources: frozenset[str]
    cidrs: frozenset[str]


class _Network:
    """The plan's VPCs, security groups, endpoints and ingress rules."""

    def __init__(self, rc: smg.Resource) -> None:
        self.vpcs = rc.resources(VPC)
        named = [*self.vpcs, *rc.resources(GROUP)]
        self.own: dict[str, frozenset[str]] = {r.address: _own_names(r) for r in named}
        self.aliases: dict[str, set[str]] = {}
        for address, names in self.own.items():
            for name in names:
                self.aliases.setdefault(name, set()).add(address)
        grants = [
            *self._inline_grants(rc.resources(GROUP)),
            *self._rule_grants(rc.resources("aws_security_group_rule")),
            *self._ingress_rule_grants(rc.resources("aws_vpc_security_group_ingress_rule")),
        ]
        self.grants_to: dict[str, list[_Grant]] = {}
        for grant in grants:
            for name in grant.targets:
                self.grants_to.setdefault(name, []).append(grant)
        self.services: dict[str, str] = {}
        self.problems: dict[str, list[str]] = {}
        self.ingress: dict[str, str | list[_Grant]] = {}
        self.unknown_services: set[str] = set()
        self.endpoints_in: dict[str, set[str]] = {}
        for ep in rc.resources(ENDPOINT):
            for name in self.names(ep, ("vpc_id",), VPC):
                self.endpoints_in.setdefault(name, set()).add(ep.address)
            if ep.get("service_name").unknown:
                self.unknown_services.add(ep.address)
            self.ingress[ep.address] = self._endpoint_ingress(ep)
            service = _service(ep)
            if service is not None:
                self.services[ep.address] = service
                self.problems[ep.address] = _endpoint_problems(ep, service)

    # Names ----------------------------------------------------------------

    def expand(self, names: set[str]) -> frozenset[str]:
        """Every name of the resources the names stand for; a name of nothing
        in this plan (an existing resource's ID) stands for itself."""
        return frozenset(
            n
            for name in names
            for address in self.aliases.get(name, {name})
            for n in self.own.get(address, {address})
        )

    def names(self, rc: smg.Resource, path: Path, kind: str) -> frozenset[str]:
        """The names an attribute holds: its known strings and, when it is
        unknown, the resources of the kind it refers to."""
        known = {v for v in rc.elements(*path) if isinstance(v, str) and v}
        if rc.get(*path).unknown:
            known |= {t.address for t in dom.referenced(rc, path, kind)}
        return self.expand(known)

    def cidrs(self, vpc: frozenset[str]) -> frozenset[str]:
        return frozenset(
            cidr
            for r in self.vpcs
            if self.own[r.address] & vpc
            for cidr in [r.get("cidr_block").value]
            if _ipv4_cidr(cidr)
        )

    # Endpoints ------------------------------------------------------------

    def _endpoint_ingress(self, ep: smg.Resource) -> str | list[_Grant]:
        """The ingress rules of the endpoint's security groups, or why there are none to check."""
        groups = self.names(ep, ("security_group_ids",), GROUP)
        if not groups and not ep.get("security_group_ids").unknown:
            return (
                "security_group_ids is not set (the VPC's default security group, which this"
                " plan does not show, is used)"
            )
        if not groups:
            return (
                "security_group_ids is unknown until apply and refers to no aws_security_group"
                " in this plan"
            )
        grants = [grant for name in sorted(groups) for grant in self.grants_to.get(name, [])]
        return grants or "no ingress rule of its security groups is in this plan"

    def result(self, service: str, context: _Context) -> str:
        """The service's result: missing, ok, or what is wrong with each of its endpoints."""
        candidates = [a for a in context.endpoints if self.services.get(a) == service]
        if not candidates:
            return "missing"
        problems = {a: self._problems(service, a, context) for a in candidates}
        if any(not p for p in problems.values()):
            return "ok"
        return "; ".join(f"{a}: {', '.join(problems[a])}" for a in candidates)

    def _problems(self, service: str, address: str, context: _Context) -> list[str]:
        problems = list(self.problems.get(address, []))
        if service != "s3":
            ingress = self.ingress.get(address, [])
            if isinstance(ingress, str):
                problems.append(ingress)
            elif not _admitted(ingress, context):
                problems.append(
                    "no ingress rule of its security groups admits TCP 443"
                    " from the domain's security groups or the VPC's CIDR"
                )
        return problems

    def unnamed(self, context: _Context) -> str:
        n = sum(1 for a in context.endpoints if a in self.unknown_services)
        if n == 0:
            return ""
        return f" (and {n} aws_vpc_endpoint with a service_name unknown until apply)"

    # Ingress rules --------------------------------------------------------

    def _inline_grants(self, groups: list[smg.Resource]) -> list[_Grant]:
        """In-line `ingress` blocks of aws_security_group. A block whose
        security_groups are unknown until apply counts the security groups the
        `ingress` argument refers to (the plan's configuration does not say
        which block holds which reference)."""
        grants = []
        for rc in groups:
            targets = self.own[rc.address]
            for i, block in enumerate(rc.get("ingress").value or []):
                if not isinstance(block, dict):
                    continue
                path: Path = ("ingress", i, "security_groups")
                sources = {g for g in rc.elements(*path) if isinstance(g, str) and g}
                if rc.get(*path).unknown:
                    for refs in (("ingress",), path):
                        sources |= {t.address for t in dom.referenced(rc, refs, GROUP)}
                grants.append(
                    _Grant(
                        targets=targets,
                        https=_is_https(*(rc.get("ingress", i, k).value for k in _PORTS)),
                        sources=self.expand(sources) | _self(rc, ("ingress", i, "self"), targets),
                        cidrs=_cidrs(rc.elements("ingress", i, "cidr_blocks")),
                    )
                )
        return grants

    def _rule_grants(self, rules: list[smg.Resource]) -> list[_Grant]:
        grants = []
        for rc in rules:
            if rc.get("type").value != "ingress":
                continue
            targets = self.names(rc, ("security_group_id",), GROUP)
            sources = self.names(rc, ("source_security_group_id",), GROUP)
            grants.append(
                _Grant(
                    targets=targets,
                    https=_is_https(*(rc.get(k).value for k in _PORTS)),
                    sources=sources | _self(rc, ("self",), targets),
                    cidrs=_cidrs(rc.elements("cidr_blocks")),
                )
            )
        return grants

    def _ingress_rule_grants(self, rules: list[smg.Resource]) -> list[_Grant]:
        return [
            _Grant(
                targets=self.names(rc, ("security_group_id",), GROUP),
                https=_is_https(*(rc.get(k).value for k in ("ip_protocol", *_PORTS[1:]))),
                sources=self.names(rc, ("referenced_security_group_id",), GROUP),
                cidrs=_cidrs(rc.elements("cidr_ipv4")),
            )
            for rc in rules
        ]


_PORTS = ("protocol", "from_port", "to_port")


def _own_names(rc: smg.Resource) -> frozenset[str]:
    """A planned VPC's or security group's address and, when known, its ID."""
    resource_id = rc.get("id")
    if resource_id.nonempty:
        return frozenset((rc.address, resource_id.value))
    return frozenset((rc.address,))


def _service(ep: smg.Resource) -> str | None:
    """The part of service_name after "com.amazonaws.<region>."."""
    name = ep.get("service_name").value
    if not isinstance(name, str):
        return None
    parts = name.split(".")
    if len(parts) > 3 and parts[0] == "com" and parts[1] == "amazonaws":
        return ".".join(parts[3:])
    return None


def _endpoint_problems(ep: smg.Resource, service: str) -> list[str]:
    """Problems of the endpoint itself: its type, and for interface services its private DNS."""
    wanted = "Gateway" if service == "s3" else "Interface"
    problems = []
    endpoint_type = ep.get("vpc_endpoint_type")
    # vpc_endpoint_type defaults to Gateway.
    actual = endpoint_type.value if isinstance(endpoint_type.value, str) else "Gateway"
    if endpoint_type.unknown:
        problems.append("vpc_endpoint_type is unknown until apply")
    elif actual != wanted:
        problems.append(f"vpc_endpoint_type is {actual}, not {wanted}")
    if service != "s3":
        dns = ep.get("private_dns_enabled")
        if dns.unknown:
            problems.append("private_dns_enabled is unknown until apply")
        elif dns.value is not True:
            problems.append("private_dns_enabled is not true (the default is false)")
    return problems


def _admitted(grants: list[_Grant], context: _Context) -> bool:
    """TCP 443 from an IPv4 CIDR containing the VPC's, or from a security
    group of every settings block of the domain."""
    if any(
        grant.https and smg.cidr_contains(cidr, vpc_cidr)
        for grant in grants
        for cidr in grant.cidrs
        for vpc_cidr in context.cidrs
    ):
        return True
    return all(
        any(grant.https and grant.sources & group for grant in grants) for group in context.groups
    )


def _is_https(protocol: Any, from_port: Any, to_port: Any) -> bool:
    if not isinstance(protocol, str):
        return False
    if protocol.lower() in ("-1", "all"):
        return True
    return (
        protocol.lower() in ("tcp", "6")
        and _is_number(from_port)
        and _is_number(to_port)
        and from_port <= 443 <= to_port
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _self(rc: smg.Resource, path: Path, targets: frozenset[str]) -> frozenset[str]:
    return targets if rc.get(*path).value is True else frozenset()


def _cidrs(values: list[Any]) -> frozenset[str]:
    return frozenset(c for c in values if _ipv4_cidr(c))


def _ipv4_cidr(value: Any) -> bool:
    return isinstance(value, str) and _IPV4_CIDR.fullmatch(value) is not None


_networks: dict[str | None, _Network] = {}
_graph: list[Any] = [None]


def _network(rc: smg.Resource) -> _Network:
    """The plan's _Network, computed once per plan file (or source directory)."""
    if _graph[0] is not rc.graph:
        _networks.clear()
        _graph[0] = rc.graph
    if rc.scope not in _networks:
        _networks[rc.scope] = _Network(rc)
    return _networks[rc.scope]


check = DomainVpcEndpoints()
