"""Network paths, as policies/rego/smguard/lib/network: where the traffic of a
SageMaker workload that runs in subnets can go.

Subnet -> route table (its aws_route_table_association, else the VPC's main
table) -> routes (inline `route` blocks and aws_route, IPv4 and IPv6) ->
target, and the security groups' egress that can close the path. The Rego
library is the reference; this is the same computation, step for step, so
that SMG-EGRESS-001 gives the same verdicts and messages.

It reads a plan through the plan file checkov is scanning (the resource's
`__file__`), as plan.rego reads `resource_changes` and `configuration`:
checkov's own attributes drop which inline block an unknown value is in. In
Terraform source there is no plan file; there the resources come from
checkov's graph through smguard_checkov.Resource, whose values, unknowns and
references are what the source loader makes of the same expressions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import smguard_checkov as smg

Path = tuple[str | int, ...]

_USER: Path = ("default_user_settings", 0, "security_groups")
_SPACE: Path = ("default_space_settings", 0, "security_groups")
_JOB_VPC: Path = ("network_config", 0, "vpc_config", 0)

_JOB_SPEC = {
    "isolation": ("network_config", 0, "enable_network_isolation"),
    "subnets": (*_JOB_VPC, "subnets"),
    "groups": [(*_JOB_VPC, "security_group_ids")],
}
_MODEL_SPEC = {
    "isolation": ("enable_network_isolation",),
    "subnets": ("vpc_config", 0, "subnets"),
    "groups": [("vpc_config", 0, "security_group_ids")],
}
SPECS: dict[str, dict[str, Any]] = {
    "aws_sagemaker_domain": {"subnets": ("subnet_ids",), "groups": [_USER, _SPACE]},
    "aws_sagemaker_notebook_instance": {
        "subnets": ("subnet_id",),
        "groups": [("security_groups",)],
    },
    "aws_sagemaker_model": _MODEL_SPEC,
    "aws_sagemaker_training_job": _MODEL_SPEC,
    "aws_sagemaker_processing_job": _JOB_SPEC,
    "aws_sagemaker_data_quality_job_definition": _JOB_SPEC,
    "aws_sagemaker_model_quality_job_definition": _JOB_SPEC,
    "aws_sagemaker_model_bias_job_definition": _JOB_SPEC,
    "aws_sagemaker_model_explainability_job_definition": _JOB_SPEC,
}

_NAMED_TYPES = (
    "aws_vpc",
    "aws_subnet",
    "aws_route_table",
    "aws_default_route_table",
    "aws_security_group",
    "aws_nat_gateway",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_vpn_gateway",
    "aws_ec2_transit_gateway",
    "aws_vpc_peering_connection",
    "aws_network_interface",
    "aws_instance",
    "aws_vpc_endpoint",
)
_TABLE_TYPES = ("aws_route_table", "aws_default_route_table")
TARGET_TYPES: dict[str, tuple[str, ...]] = {
    "nat_gateway_id": ("aws_nat_gateway",),
    "egress_only_gateway_id": ("aws_egress_only_internet_gateway",),
    "gateway_id": ("aws_internet_gateway", "aws_vpn_gateway"),
    "transit_gateway_id": ("aws_ec2_transit_gateway",),
    "vpc_peering_connection_id": ("aws_vpc_peering_connection",),
    "network_interface_id": ("aws_network_interface",),
    "instance_id": ("aws_instance",),
    "vpc_endpoint_id": ("aws_vpc_endpoint",),
    "core_network_arn": (),
    "carrier_gateway_id": (),
    "local_gateway_id": (),
}
_COMPUTED = ("network_interface_id", "instance_id")
_INLINE_KEYS = ("cidr_block", "ipv6_cidr_block", "destination_prefix_list_id")
_ROUTE_KEYS = (
    "destination_cidr_block",
    "destination_ipv6_cidr_block",
    "destination_prefix_list_id",
)
_LABELS = {
    "nat_gateway_id": "NAT gateway",
    "egress_only_gateway_id": "egress-only internet gateway",
    "gateway_id": "gateway",
    "transit_gateway_id": "transit gateway",
    "vpc_peering_connection_id": "VPC peering connection",
    "network_interface_id": "network interface",
    "instance_id": "instance",
    "vpc_endpoint_id": "Gateway Load Balancer endpoint",
    "core_network_arn": "Cloud WAN core network",
    "carrier_gateway_id": "carrier gateway",
    "local_gateway_id": "local gateway",
    "route": "a target",
}
_UNKNOWN_DESTINATION = "a destination unknown until apply"
_IPV4 = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$")
_IPV6 = re.compile(r"^[0-9a-fA-F:]*:[0-9a-fA-F:]*/[0-9]{1,3}$")


# ---------------------------------------------------------------------------
# Resources, as plan.rego reads them


def nonempty(v: Any) -> bool:
    """plan.rego's `nonempty`: a non-empty string or list."""
    return isinstance(v, str | list) and len(v) > 0


def _get(node: Any, path: Iterable[str | int]) -> Any:
    """Rego's object.get(node, path, null)."""
    for step in path:
        if isinstance(step, int) and not isinstance(step, bool):
            if isinstance(node, list) and 0 <= step < len(node):
                node = node[step]
                continue
            return None
        if isinstance(node, dict) and step in node:
            node = node[step]
            continue
        return None
    return node


def _as_list(v: Any) -> list[Any]:
    """lib/network's `_list`."""
    if isinstance(v, str):
        return [v]
    return v if isinstance(v, list) else []


class Res:
    """A resource change: what lib/network asks of plan.rego."""

    address: str
    type: str
    created: bool

    def value(self, path: Path) -> Any:
        raise NotImplementedError

    def unknown(self, path: Path) -> bool:
        raise NotImplementedError

    def configured(self, path: Path) -> bool | None:
        """The configuration has an expression at path; None: there is no configuration."""
        raise NotImplementedError

    def referenced(self, path: Path, kind: str) -> list[str]:
        """Addresses of the resources of a type the expression at path refers to."""
        raise NotImplementedError

    def known_nonempty(self, path: Path) -> bool:
        return not self.unknown(path) and nonempty(self.value(path))

    def set_targets(self, base: Path) -> set[str]:
        """The target attributes the route at base sets, known (not "local") or unknown."""
        return {a for a in TARGET_TYPES if _present(self, (*base, a))}

    def route_unknown(self) -> bool:
        """The `route` argument is unknown until apply as a whole."""
        return self.unknown(("route",)) and not isinstance(self.value(("route",)), list)


class _PlanRes(Res):
    def __init__(self, doc: _PlanDoc, rc: dict[str, Any]) -> None:
        self.doc = doc
        self.rc = rc
        self.address = rc["address"]
        self.type = rc.get("type", "")
        change = rc.get("change") or {}
        self.created = "create" in (change.get("actions") or [])
        after = change.get("after")
        self.after = after if isinstance(after, dict) else {}
        marks = change.get("after_unknown")
        self.marks = marks if isinstance(marks, dict) else {}
        module = rc.get("module_address")
        self.prefix = f"{module}." if module else ""

    def value(self, path: Path) -> Any:
        return _get(self.after, path)

    def set_targets(self, base: Path) -> set[str]:
        # lib/network reads the route's own keys, as here.
        values, marks = _get(self.after, base), _get(self.marks, base)
        found = {
            a
            for a, v in (values.items() if isinstance(values, dict) else ())
            if a in TARGET_TYPES and nonempty(v) and v != "local"
        }
        return found | {
            a
            for a, m in (marks.items() if isinstance(marks, dict) else ())
            if m is True and a in TARGET_TYPES
        }

    def route_unknown(self) -> bool:
        return self.marks.get("route") is True

    def unknown(self, path: Path) -> bool:
        if self.marks.get(path[0], False) is False:
            return False
        if any(_get(self.marks, path[:n]) is True for n in range(1, len(path) + 1)):
            return True
        elements = _get(self.marks, path)
        return isinstance(elements, list) and any(e is True for e in elements)

    def _config(self) -> dict[str, Any]:
        return self.doc.config.get(_base_address(self.address), {})

    def configured(self, path: Path) -> bool | None:
        config = self._config()
        if config == {}:
            return None
        return _get(config, ("expressions", *path)) is not None

    def references(self, path: Path) -> list[str]:
        expression = _get(self._config().get("expressions", {}), path)
        if not isinstance(expression, dict):
            return []
        refs = expression.get("references", [])
        return [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []

    def referenced(self, path: Path, kind: str) -> list[str]:
        found = []
        for ref in self.references(path):
            address = self.prefix + ".".join(ref.split(".")[:2])
            for target in self.doc.targets(address):
                if self.doc.by_address[target].type == kind:
                    found.append(target)
        return found


class _PlanDoc:
    """A plan's checked resource changes and configuration (plan.rego)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.by_address: dict[str, _PlanRes] = {}
        self.by_type: dict[str, list[Res]] = {}
        self.instances: dict[str, list[str]] = {}
        for rc in document.get("resource_changes") or []:
            if not isinstance(rc, dict) or not isinstance(rc.get("address"), str):
                continue
            if rc.get("mode", "managed") != "managed":
                continue
            actions = (rc.get("change") or {}).get("actions")
            if actions in (["delete"], ["forget"]):
                continue
            res = _PlanRes(self, rc)
            self.by_address[res.address] = res
            self.by_type.setdefault(res.type, []).append(res)
            if res.address.endswith("]"):
                self.instances.setdefault(_without_key(res.address), []).append(res.address)
        self.config = smg.config_blocks(document)

    def targets(self, address: str) -> list[str]:
        if address in self.by_address:
            return [address]
        return self.instances.get(address, [])

    def resources(self, kind: str) -> list[Res]:
        return self.by_type.get(kind, [])


def _base_address(address: str) -> str:
    first, *rest = address.split("[")
    return first + "".join(part[part.find("]") + 1 :] for part in rest)


def _without_key(address: str) -> str:
    return address[: address.rfind("[")] if address.endswith("]") else address


class _SourceRes(Res):
    """A resource of Terraform source, from checkov's graph."""

    def __init__(self, rc: smg.Resource) -> None:
        self.rc = rc
        self.address = rc.address
        self.type = rc.type
        self.created = True

    def value(self, path: Path) -> Any:
        v = self.rc.get(*path)
        return None if self._unknown(path, v) else v.value

    def unknown(self, path: Path) -> bool:
        return self._unknown(path, self.rc.get(*path))

    @staticmethod
    def _unknown(path: Path, v: smg.Value) -> bool:
        # Checkov reads a list variable with no value, at the top level of a
        # resource, as an empty list; the source loader reads it as unknown.
        return v.unknown or (len(path) == 1 and v.value == [])

    def configured(self, path: Path) -> bool | None:
        v = self.rc.get(*path)
        return v.unknown or v.value is not None

    def referenced(self, path: Path, kind: str) -> list[str]:
        v = self.rc.get(*path)
        return [
            t.address
            for t in self.rc.referenced(smg.Value(unknown=True, references=v.references), kind)
        ]


class _SourceDoc:
    def __init__(self, rc: smg.Resource) -> None:
        self.rc = rc
        self.cache: dict[str, list[Res]] = {}

    def resources(self, kind: str) -> list[Res]:
        if kind not in self.cache:
            self.cache[kind] = [_SourceRes(r) for r in self.rc.resources(kind)]
        return self.cache[kind]


# ---------------------------------------------------------------------------
# The network


def _group(rows: list[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for key, value in rows:
        grouped.setdefault(key, []).append(value)
    return grouped


def _dotted(path: Path) -> str:
    return ".".join(p for p in path if isinstance(p, str))


def _cidr(c: Any) -> bool:
    return isinstance(c, str) and bool(_IPV4.match(c) or _IPV6.match(c))


class Network:
    """lib/network over one plan (or one source directory)."""

    def __init__(self, doc: Any, allowed: set[str]) -> None:
        self.doc = doc
        self.allowed = allowed
        self.by_name: dict[str, list[tuple[str, str]]] = {}
        self.ids: dict[str, str] = {}
        for kind in _NAMED_TYPES:
            for rc in doc.resources(kind):
                names = self.own_names(rc)
                for name in names:
                    self.by_name.setdefault(name, []).append((rc.address, rc.type))
                rid = rc.value(("id",))
                if nonempty(rid):
                    self.ids[rc.address] = rid
        self.vpcs = {v.address: v for v in doc.resources("aws_vpc")}
        self.subnets = {s.address: s for s in doc.resources("aws_subnet")}
        self.groups = {g.address: g for g in doc.resources("aws_security_group")}
        self.nats = {n.address: n for n in doc.resources("aws_nat_gateway")}
        self.vpc_cidrs = {
            v.address: {
                c for k in ("cidr_block", "ipv6_cidr_block") if nonempty(c := v.value((k,)))
            }
            for v in doc.resources("aws_vpc")
        }
        self.main_associations = _group(
            [
                (vpc, table)
                for rc in doc.resources("aws_main_route_table_association")
                for vpc in self.resolve(rc, ("vpc_id",), ("aws_vpc",))[0]
                for table in self.table_keys(rc, ("route_table_id",))
            ]
        )
        self.default_tables = _group(
            [
                (vpc, rc.address)
                for rc in doc.resources("aws_default_route_table")
                for vpc in self._default_table_vpcs(rc)
            ]
        )
        self.associations = _group(
            [
                (subnet, table)
                for rc in doc.resources("aws_route_table_association")
                for subnet in self.resolve(rc, ("subnet_id",), ("aws_subnet",))[0]
                for table in self.table_keys(rc, ("route_table_id",))
            ]
        )
        self.workloads = [
            (rc, spec)
            for kind, spec in SPECS.items()
            for rc in doc.resources(kind)
            if _sends(rc, spec) and _has_subnets(rc, spec["subnets"])
        ]
        self.reaches = {rc.address: self.reach(rc, spec) for rc, spec in self.workloads}
        reached = {t for r in self.reaches.values() for _, t in r["tables"]}
        self.routes_by_table = _group([(t, r) for t, r in self._routes() if t in reached])
        self.workload_groups = {rc.address: self.groups_of(rc, spec) for rc, spec in self.workloads}
        reached_groups = {g for gs in self.workload_groups.values() for g in gs["planned"]}
        self.egress_by_group = _group([(g, e) for g, e in self._egress() if g in reached_groups])
        self.paths = {rc.address: self.path(rc) for rc, _ in self.workloads}

    # Names ------------------------------------------------------------------

    @staticmethod
    def own_names(rc: Res) -> set[str]:
        rid = rc.value(("id",))
        return {rc.address, rid} if nonempty(rid) else {rc.address}

    def resolve(
        self, rc: Res, path: Path, kinds: tuple[str, ...], refs_path: Path | None = None
    ) -> tuple[set[str], set[str]]:
        """The planned resources of the types an attribute names, and what it
        names that is not in this plan."""
        known = {v for v in _as_list(rc.value(path)) if isinstance(v, str) and v}
        by_value = {v: {a for a, t in self.by_name.get(v, []) if t in kinds} for v in known}
        referred: set[str] = set()
        unknown = rc.unknown(path)
        if unknown:
            referred = {a for kind in kinds for a in rc.referenced(refs_path or path, kind)}
        planned = {a for found in by_value.values() for a in found} | referred
        unseen = {v for v, found in by_value.items() if not found}
        if unknown and not referred:
            unseen.add("unknown")
        return planned, unseen

    # Route tables -------------------------------------------------------------

    def table_keys(self, rc: Res, path: Path) -> set[str]:
        planned, unseen = self.resolve(rc, path, _TABLE_TYPES)
        return planned | {f"unseen:{v}" for v in unseen}

    def _default_table_vpcs(self, rc: Res) -> set[str]:
        if rc.unknown(("default_route_table_id",)):
            return set(rc.referenced(("default_route_table_id",), "aws_vpc"))
        wanted = rc.value(("default_route_table_id",))
        return {
            vpc.address
            for vpc in self.doc.resources("aws_vpc")
            for key in ("default_route_table_id", "main_route_table_id")
            if vpc.value((key,)) == wanted
        }

    def original_main(self, vpc: str) -> str | None:
        tables = self.default_tables.get(vpc, [])
        if tables:
            return min(tables)  # lib/network's groups are sorted
        return f"{vpc}#main" if self.vpcs[vpc].created else None

    def main_table(self, vpc: str) -> str | None:
        tables = self.main_associations.get(vpc, [])
        return min(tables) if tables else self.original_main(vpc)

    def subnet_tables(self, subnet: str) -> tuple[set[str], set[str]]:
        tables = set(self.associations.get(subnet, []))
        if tables:
            return tables, set()
        vpcs = self.resolve(self.subnets[subnet], ("vpc_id",), ("aws_vpc",))[0]
        mains = {t for vpc in vpcs if (t := self.main_table(vpc)) is not None}
        if vpcs and len(mains) == len(vpcs):
            return mains, set()
        return set(), {f"the main route table of the VPC of {subnet} is not in this plan"}

    # Routes -----------------------------------------------------------------

    def _routes(self) -> list[tuple[str, dict[str, Any]]]:
        rows = []
        for kind in _TABLE_TYPES:
            for table in self.doc.resources(kind):
                for i, _ in enumerate(_as_list(table.value(("route",)))):
                    targets = table.set_targets(("route", i))
                    for attribute in targets:
                        types = TARGET_TYPES[attribute]
                        path: Path = ("route", i, attribute)
                        if _shadowed(targets, attribute):
                            continue
                        rows.append(
                            (
                                table.address,
                                {
                                    "source": table.address,
                                    "destination": _destination(table, ("route", i), _INLINE_KEYS),
                                    "ipv6": _present(table, ("route", i, "ipv6_cidr_block")),
                                    "attribute": attribute,
                                    "found": self.resolve(table, path, types, ("route",)),
                                },
                            )
                        )
                if table.route_unknown() and table.configured(("route",)):
                    rows += [(table.address, r) for r in self._referenced_routes(table)]
        for rc in self.doc.resources("aws_route"):
            targets = {a for a in rc.set_targets(()) if _configured(rc, a)}
            for table in self._route_tables(rc):
                for attribute in targets:
                    types = TARGET_TYPES[attribute]
                    if _shadowed(targets, attribute):
                        continue
                    rows.append(
                        (
                            table,
                            {
                                "source": rc.address,
                                "destination": _destination(rc, (), _ROUTE_KEYS),
                                "ipv6": _present(rc, ("destination_ipv6_cidr_block",)),
                                "attribute": attribute,
                                "found": self.resolve(rc, (attribute,), types),
                            },
                        )
                    )
        return rows

    def _referenced_routes(self, table: Res) -> list[dict[str, Any]]:
        routes = []
        for attribute, types in TARGET_TYPES.items():
            found = {a for kind in types for a in table.referenced(("route",), kind)}
            if found:
                routes.append(
                    {
                        "source": table.address,
                        "destination": _UNKNOWN_DESTINATION,
                        "ipv6": False,
                        "attribute": attribute,
                        "found": (found, set()),
                    }
                )
        if routes:
            return routes
        return [
            {
                "source": table.address,
                "destination": _UNKNOWN_DESTINATION,
                "ipv6": False,
                "attribute": "route",
                "found": (set(), {"unknown"}),
            }
        ]

    def _route_tables(self, rc: Res) -> set[str]:
        tables = self.table_keys(rc, ("route_table_id",))
        for vpc in self.resolve(rc, ("route_table_id",), ("aws_vpc",))[0]:
            main = self.original_main(vpc)
            if main is not None:
                tables.add(main)
        return tables

    # Where a route leads ----------------------------------------------------

    def kind(self, route: dict[str, Any], ipv6: bool) -> str:
        planned, unseen = route["found"]
        attribute = route["attribute"]
        # A gateway endpoint's route stays in AWS's network. A NAT gateway or
        # gateway not in this plan cannot be told apart (public
        # or private, internet or VPN); every other attribute names its kind.
        endpoint = bool(unseen) and all(v.startswith("vpce-") for v in unseen)
        if attribute == "gateway_id" and not planned and endpoint:
            return "none"
        prefixed = attribute == "gateway_id" and any(v.startswith(("igw-", "vgw-")) for v in unseen)
        if attribute in ("nat_gateway_id", "gateway_id", "route") and not planned and not prefixed:
            return "unseen"
        if attribute == "nat_gateway_id":
            public = any(self.nats[a].value(("connectivity_type",)) != "private" for a in planned)
            return "internet" if public else "none"
        if attribute == "egress_only_gateway_id":
            return "internet" if ipv6 else "none"
        if attribute == "gateway_id":
            internet = any(
                a.startswith("aws_internet_gateway.") or ".aws_internet_gateway." in a
                for a in planned
            ) or any(v.startswith("igw-") for v in unseen)
            if not internet:
                return "leaves"
            return "internet" if ipv6 and route["ipv6"] else "public-subnet"
        return "leaves"

    def allowed_route(self, route: dict[str, Any]) -> bool:
        planned, unseen = route["found"]
        names = {self.ids.get(a, a) for a in planned} | planned | unseen
        return bool(names & self.allowed)

    def hops(self, reach: dict[str, Any]) -> list[dict[str, str]]:
        hops = []
        for subnet, table in reach["tables"]:
            if table.startswith("unseen:"):
                continue
            for route in self.routes_by_table.get(table, []):
                kind = self.kind(route, self.ipv6_subnet(subnet))
                if kind == "none":
                    continue
                hop_kind = "allowed" if kind == "leaves" and self.allowed_route(route) else kind
                via = "" if route["source"] == table else f", {route['source']}"
                text = (
                    f"{subnet} ({_table_label(table)}{via}) sends {route['destination']} to"
                    f" {_kind_label(kind, route)} {_target_label(route)}"
                )
                hops.append({"kind": hop_kind, "text": text})
        return hops

    def ipv6_subnet(self, address: str) -> bool:
        s = self.subnets[address]
        if s.known_nonempty(("ipv6_cidr_block",)):
            return True
        if s.value(("ipv6_native",)) is True:
            return True
        return s.unknown(("ipv6_cidr_block",)) and bool(s.configured(("ipv6_cidr_block",)))

    # A workload's path ------------------------------------------------------

    def reach(self, rc: Res, spec: dict[str, Any]) -> dict[str, Any]:
        planned, unseen = self.resolve(rc, spec["subnets"], ("aws_subnet",))
        tables: set[tuple[str, str]] = set()
        texts = {_unseen_subnet(v, spec["subnets"]) for v in unseen}
        for s in planned:
            found, missing = self.subnet_tables(s)
            tables |= {(s, t) for t in found}
            texts |= missing
        return {"subnets": planned, "tables": tables, "unseen": texts}

    def groups_of(self, rc: Res, spec: dict[str, Any]) -> dict[str, Any]:
        found = [
            (path, self.resolve(rc, path, ("aws_security_group",)))
            for path in spec["groups"]
            if path != _SPACE or nonempty(rc.value(("default_space_settings",)))
        ]
        return {
            "planned": {g for _, (planned, _) in found for g in planned},
            "unseen": {_unseen_group(path, g) for path, (_, unseen) in found for g in unseen},
            "empty": [path for path, (planned, unseen) in found if not planned | unseen],
        }

    def _egress(self) -> list[tuple[str, dict[str, Any]]]:
        rows = []
        for g in self.doc.resources("aws_security_group"):
            if (
                g.unknown(("egress",))
                and g.configured(("egress",))
                and not isinstance(g.value(("egress",)), list)
            ):
                rows.append((g.address, {"unknown": True, "cidrs": set()}))
                continue
            for i, _ in enumerate(_as_list(g.value(("egress",)))):
                base: Path = ("egress", i)
                rows.append(
                    (
                        g.address,
                        {
                            "unknown": _unknown_destination(
                                g, base, ("cidr_blocks", "ipv6_cidr_blocks")
                            ),
                            "cidrs": _known(g, (*base, "cidr_blocks"))
                            | _known(g, (*base, "ipv6_cidr_blocks")),
                        },
                    )
                )
        for kind, keys in (
            ("aws_security_group_rule", ("cidr_blocks", "ipv6_cidr_blocks")),
            ("aws_vpc_security_group_egress_rule", ("cidr_ipv4", "cidr_ipv6")),
        ):
            for rc in self.doc.resources(kind):
                if kind == "aws_security_group_rule" and rc.value(("type",)) != "egress":
                    continue
                entry = {
                    "unknown": _unknown_destination(rc, (), keys),
                    "cidrs": _known(rc, (keys[0],)) | _known(rc, (keys[1],)),
                }
                for g in self.resolve(rc, ("security_group_id",), ("aws_security_group",))[0]:
                    rows.append((g, entry))
        return rows

    def open_group(self, g: str, cidrs: set[str]) -> bool:
        entries = self.egress_by_group.get(g, [])
        if any(e["unknown"] for e in entries):
            return True
        inside = cidrs | {
            c
            for vpc in self.resolve(self.groups[g], ("vpc_id",), ("aws_vpc",))[0]
            for c in self.vpc_cidrs.get(vpc, set())
        }
        return any(
            not (_cidr(c) and any(_cidr(v) and smg.cidr_contains(v, c) for v in inside))
            for e in entries
            for c in e["cidrs"]
        )

    def groups_problem(self, groups: dict[str, Any], cidrs: set[str]) -> str:
        if not groups["planned"] | groups["unseen"]:
            return "no security group is set (the VPC's default group allows all egress)"
        if groups["unseen"]:
            return "; ".join(sorted(groups["unseen"]))
        if groups["empty"]:
            return (
                "a settings block has no security group (the VPC's default group allows all egress)"
            )
        open_groups = {g for g in groups["planned"] if self.open_group(g, cidrs)}
        if open_groups:
            return (
                "its security groups allow egress beyond the VPC"
                f" ({', '.join(sorted(open_groups))})"
            )
        return ""

    def path(self, rc: Res) -> dict[str, str]:
        reach = self.reaches[rc.address]
        hops = self.hops(reach)
        unseen_tables = {
            f"{s}: route table {t.removeprefix('unseen:')} is not in this plan"
            for s, t in reach["tables"]
            if t.startswith("unseen:")
        }
        unverified = sorted(
            reach["unseen"] | unseen_tables | {h["text"] for h in hops if h["kind"] == "unseen"}
        )
        fails = sorted({h["text"] for h in hops if h["kind"] == "internet"})
        publics = sorted({h["text"] for h in hops if h["kind"] == "public-subnet"})
        leaves = sorted({h["text"] for h in hops if h["kind"] == "leaves"})
        cidrs = {
            c
            for s in reach["subnets"]
            for vpc in self.resolve(self.subnets[s], ("vpc_id",), ("aws_vpc",))[0]
            for c in self.vpc_cidrs.get(vpc, set())
        }
        problem = self.groups_problem(self.workload_groups[rc.address], cidrs)
        if problem == "":
            return {
                "verdict": "pass",
                "message": "its security groups allow egress only inside the VPC: no path out",
            }
        parts = []
        if fails:
            parts.append("reaches the internet: " + "; ".join(fails))
        if publics:
            parts.append(
                "in a public subnet, the wrong home for it (SageMaker gives it no public IP): "
                + "; ".join(publics)
            )
        if leaves:
            parts.append(
                "leaves the VPC to a target not in egress.allowed_targets: " + "; ".join(leaves)
            )
        if unverified:
            parts.append(
                "path unverified (`smguard audit` can verify it): " + "; ".join(unverified)
            )
        parts.append(problem)
        if fails:
            verdict = "fail"
        elif publics or leaves or unverified:
            verdict = "warn"
        else:
            verdict = "pass"
        return {"verdict": verdict, "message": "; ".join(parts)}


def _sends(rc: Res, spec: dict[str, Any]) -> bool:
    if "isolation" in spec:
        return rc.value(spec["isolation"]) is not True
    if rc.type == "aws_sagemaker_domain":
        return rc.value(("app_network_access_type",)) == "VpcOnly" or rc.unknown(
            ("app_network_access_type",)
        )
    return True


def _has_subnets(rc: Res, path: Path) -> bool:
    return rc.unknown(path) or nonempty(rc.value(path))


def _known(rc: Res, path: Path) -> set[str]:
    return {v for v in _as_list(rc.value(path)) if isinstance(v, str) and v}


def _present(rc: Res, path: Path) -> bool:
    if rc.unknown(path):
        return True
    v = rc.value(path)
    return nonempty(v) and v != "local"


def _configured(rc: Res, attribute: str) -> bool:
    """aws_route's instance_id and network_interface_id are computed."""
    if attribute not in _COMPUTED or not rc.unknown((attribute,)):
        return True
    return rc.configured((attribute,)) is not False


def _shadowed(targets: set[str], attribute: str) -> bool:
    """AWS reports the network interface (and instance) behind a NAT gateway
    or NAT instance route too: they are the target only when nothing else is."""
    if attribute in _COMPUTED and targets - set(_COMPUTED):
        return True
    return attribute == "network_interface_id" and "instance_id" in targets


def _destination(rc: Res, base: Path, keys: tuple[str, ...]) -> str:
    for key in keys:
        d = rc.value((*base, key))
        if nonempty(d):
            return d
    return _UNKNOWN_DESTINATION


def _unknown_destination(rc: Res, base: Path, keys: tuple[str, ...]) -> bool:
    return any(rc.unknown((*base, key)) for key in keys)


def _unseen_subnet(v: str, path: Path) -> str:
    if v == "unknown":
        return f"{_dotted(path)} is unknown until apply and refers to no aws_subnet in this plan"
    return f"subnet {v} is not in this plan"


def _unseen_group(path: Path, g: str) -> str:
    if g == "unknown":
        return (
            f"{_dotted(path)} is unknown until apply and refers to no aws_security_group"
            " in this plan"
        )
    return f"security group {g} is not in this plan"


def _table_label(table: str) -> str:
    if table.endswith("#main"):
        return f"the main route table of {table.removesuffix('#main')}"
    return f"route table {table}"


def _kind_label(kind: str, route: dict[str, Any]) -> str:
    attribute = route["attribute"]
    if kind == "internet":
        if attribute == "nat_gateway_id":
            return "public NAT gateway"
        if attribute == "gateway_id":
            return "internet gateway"
        return _LABELS[attribute]
    if kind == "public-subnet":
        return "internet gateway"
    if kind == "unseen":
        return f"{_LABELS[attribute]} not in this plan"
    return _LABELS[attribute]


def _target_label(route: dict[str, Any]) -> str:
    planned, unseen = route["found"]
    names = planned | (unseen - {"unknown"})
    return ", ".join(sorted(names)) if names else "(unknown until apply)"


def _allowed() -> set[str]:
    targets = smg.setting("egress", "allowed_targets")
    return {
        t
        for entry in (targets if isinstance(targets, list) else [])
        if isinstance(entry, dict) and nonempty(t := entry.get("target", ""))
    }


@lru_cache(maxsize=4)
def _plan_network(path: str) -> Network | None:
    try:
        with open(path, encoding="utf-8") as file:
            document = smg.plan_document(json.load(file))
    except (OSError, ValueError):
        return None
    return Network(_PlanDoc(document), _allowed())


_source: list[Any] = [None, None]


def network(rc: smg.Resource) -> Network | None:
    """The Network of the plan file (or source directory) the resource is in."""
    if rc.planned:
        return _plan_network(rc.scope) if isinstance(rc.scope, str) else None
    if _source[0] is not rc.graph:
        _source[:] = [rc.graph, Network(_SourceDoc(rc), _allowed())]
    return _source[1]


def verdict(rc: smg.Resource) -> smg.Verdict:
    """SMG-EGRESS-001's verdict on a workload."""
    net = network(rc)
    if net is None:
        return smg.warn("the plan file could not be read; the network path was not followed")
    path = net.paths.get(rc.address)
    if path is None or path["verdict"] == "pass":
        return smg.PASS
    if path["verdict"] == "fail":
        return smg.fail(path["message"])
    return smg.warn(path["message"])
