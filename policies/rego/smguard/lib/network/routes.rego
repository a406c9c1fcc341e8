# Network paths (see network.rego): route tables of subnets, their routes and where each route leads.
package smguard.lib.network

import data.smguard.lib.config
import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# VPCs: their CIDRs, and their main route table.

# regal ignore:prefer-set-or-object-rule
_vpc_cidrs := {vpc.address: cidrs |
	some vpc in plan.resources("aws_vpc")
	cidrs := {c | some key in ["cidr_block", "ipv6_cidr_block"]; c := plan.value(vpc, [key]); plan.nonempty(c)}
}

_created(rc) if "create" in rc.change.actions

# The main route table of a VPC, as a table key: an
# aws_main_route_table_association, else its aws_default_route_table, else,
# for a VPC created in this plan, the table AWS creates with it (only the
# local route, and aws_route resources added to it). An existing VPC's main
# table is not in the plan.
_main_rows := [[vpc, table] |
	some rc in plan.resources("aws_main_route_table_association")
	some vpc in resolve(rc, ["vpc_id"], {"aws_vpc"}).planned
	some table in _table_keys(rc, ["route_table_id"])
]

# regal ignore:prefer-set-or-object-rule
_main_associations := _group(_main_rows)

# aws_default_route_table by VPC: default_route_table_id refers to the VPC,
# or is the known ID of its default route table.
_default_rows := [[vpc, rc.address] |
	some rc in plan.resources("aws_default_route_table")
	some vpc in _default_table_vpcs(rc)
]

_default_table_vpcs(rc) := {t.address | some t in plan.referenced(rc, ["default_route_table_id"], "aws_vpc")} if {
	plan.unknown(rc, ["default_route_table_id"])
} else := {vpc.address |
	some vpc in plan.resources("aws_vpc")
	some key in ["default_route_table_id", "main_route_table_id"]
	plan.value(vpc, [key]) == plan.value(rc, ["default_route_table_id"])
}

# regal ignore:prefer-set-or-object-rule
_default_tables := _group(_default_rows)

# regal ignore:prefer-set-or-object-rule
_planned_vpcs := {vpc.address: vpc | some vpc in plan.resources("aws_vpc")}

# The VPC's original main table: its aws_default_route_table, else a key of its own.
_original_main(vpc) := t if {
	t := object.get(_default_tables, vpc, [])[0]
} else := concat("", [vpc, "#main"]) if _created(_planned_vpcs[vpc])

_main_table(vpc) := t if {
	t := object.get(_main_associations, vpc, [])[0]
} else := _original_main(vpc)

# ---------------------------------------------------------------------------
# Route tables. A key is the address of a planned aws_route_table or
# aws_default_route_table, "<vpc address>#main", or "unseen:<what>".

_table_types := {"aws_route_table", "aws_default_route_table"}

_table_keys(rc, path) := {key |
	found := resolve(rc, path, _table_types)
	some key in (found.planned | {concat("", ["unseen:", v]) | some v in found.unseen})
}

_association_rows := [[subnet, table] |
	some rc in plan.resources("aws_route_table_association")
	some subnet in resolve(rc, ["subnet_id"], {"aws_subnet"}).planned
	some table in _table_keys(rc, ["route_table_id"])
]

# regal ignore:prefer-set-or-object-rule
_associations := _group(_association_rows)

# regal ignore:prefer-set-or-object-rule
_planned_subnets := {s.address: s | some s in plan.resources("aws_subnet")}

# The route tables of a planned subnet, or why they cannot be seen.
_subnet_tables(subnet) := {"tables": tables, "unseen": set()} if {
	tables := {t | some t in object.get(_associations, subnet, [])}
	count(tables) > 0
} else := {"tables": tables, "unseen": set()} if {
	vpcs := resolve(_planned_subnets[subnet], ["vpc_id"], {"aws_vpc"}).planned
	count(vpcs) > 0
	tables := {t | some vpc in vpcs; t := _main_table(vpc)}
	count(tables) == count(vpcs)
} else := {"tables": set(), "unseen": {sprintf("the main route table of the VPC of %s is not in this plan", [subnet])}}

# ---------------------------------------------------------------------------
# Routes. Each is {"table", "source", "destination", "ipv6", "attribute",
# "found"}: the attribute naming its target and what it resolves to.

_target_types := {
	"nat_gateway_id": {"aws_nat_gateway"},
	"egress_only_gateway_id": {"aws_egress_only_internet_gateway"},
	"gateway_id": {"aws_internet_gateway", "aws_vpn_gateway"},
	"transit_gateway_id": {"aws_ec2_transit_gateway"},
	"vpc_peering_connection_id": {"aws_vpc_peering_connection"},
	"network_interface_id": {"aws_network_interface"},
	"instance_id": {"aws_instance"},
	"vpc_endpoint_id": {"aws_vpc_endpoint"},
	"core_network_arn": set(),
	"carrier_gateway_id": set(),
	"local_gateway_id": set(),
}

_present(rc, path) if plan.unknown(rc, path)

_present(rc, path) if {
	v := plan.value(rc, path)
	plan.nonempty(v)
	v != "local"
}

# The target attributes a route sets: known (not "local") or unknown until
# apply. values: the route's object in `after`; marks: its `after_unknown`.
# Read off the route's own keys: a plan has thousands of routes, and
# asking for each of the eleven attributes by path was most of the time.
_set_targets(values, marks) := {a |
	some a, v in _object(values)
	_target_types[a]
	plan.nonempty(v)
	v != "local"
} | {a |
	some a, mark in _object(marks)
	mark == true
	_target_types[a]
}

_object(x) := x if is_object(x)

else := {}

# AWS reports the network interface (and instance) behind a NAT gateway or
# NAT instance route too: they are the target only when nothing else is.
_computed := {"network_interface_id", "instance_id"}

_shadowed(set_targets, attribute) if {
	attribute in _computed
	count(set_targets - _computed) > 0
}

_shadowed(set_targets, "network_interface_id") if "instance_id" in set_targets

# aws_route's instance_id and network_interface_id are computed: unknown
# until apply on every new route. They name the target when the
# configuration sets them (or when the plan has no configuration to tell).
_configured(_, attribute) if not attribute in {"network_interface_id", "instance_id"}

_configured(rc, attribute) if {
	attribute in {"network_interface_id", "instance_id"}
	not plan.unknown(rc, [attribute])
}

_configured(rc, attribute) if {
	attribute in {"network_interface_id", "instance_id"}
	object.get(plan.config_resource(rc), ["expressions", attribute], null) != null
}

_configured(rc, attribute) if {
	attribute in {"network_interface_id", "instance_id"}
	plan.config_resource(rc) == {}
}

_destination(rc, base, keys) := d if {
	some key in keys
	d := plan.value(rc, array.concat(base, [key]))
	plan.nonempty(d)
} else := "a destination unknown until apply"

_ipv6_destination(rc, base, key) if {
	_present(rc, array.concat(base, [key]))
} else := false

_inline_keys := ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"]

_route_keys := ["destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"]

_inline_routes := [[table.address, route] |
	some type in _table_types
	some table in plan.resources(type)
	some i, values in _list(plan.value(table, ["route"]))
	set_targets := _set_targets(values, object.get(table.change, ["after_unknown", "route", i], {}))
	some attribute in set_targets
	not _shadowed(set_targets, attribute)
	types := _target_types[attribute]
	path := ["route", i, attribute]
	route := {
		"source": table.address,
		"destination": _destination(table, ["route", i], _inline_keys),
		"ipv6": _ipv6_destination(table, ["route", i], "ipv6_cidr_block"),
		"attribute": attribute,
		"found": _resolve(table, path, ["route"], types),
	}
]

# A `route` argument unknown as a whole: its references name the targets.
_unknown_inline_routes := [[table.address, route] |
	some type in _table_types
	some table in plan.resources(type)
	object.get(table.change, ["after_unknown", "route"], false) == true
	object.get(plan.config_resource(table), ["expressions", "route"], null) != null
	some route in _referenced_routes(table)
]

_referenced_routes(table) := [route |
	some attribute, types in _target_types
	found := {t.address | some type in types; some t in plan.referenced(table, ["route"], type)}
	count(found) > 0
	route := {
		"source": table.address, "destination": "a destination unknown until apply", "ipv6": false,
		"attribute": attribute, "found": {"planned": found, "unseen": set()},
	}
] if {
	some attribute, types in _target_types
	some type in types
	count(plan.referenced(table, ["route"], type)) > 0
} else := [{
	"source": table.address, "destination": "a destination unknown until apply", "ipv6": false,
	"attribute": "route", "found": {"planned": set(), "unseen": {"unknown"}},
}]

_route_resources := [[table, route] |
	some rc in plan.resources("aws_route")
	marks := object.get(rc.change, "after_unknown", {})
	set_targets := {a | some a in _set_targets(plan.after(rc), marks); _configured(rc, a)}
	some table in _route_tables(rc)
	some attribute in set_targets
	not _shadowed(set_targets, attribute)
	types := _target_types[attribute]
	route := {
		"source": rc.address,
		"destination": _destination(rc, [], _route_keys),
		"ipv6": _ipv6_destination(rc, [], "destination_ipv6_cidr_block"),
		"attribute": attribute,
		"found": resolve(rc, [attribute], types),
	}
]

# route_table_id: a route table, or aws_vpc.x.main_route_table_id (the VPC's
# original main table).
_route_tables(rc) := _table_keys(rc, ["route_table_id"]) | {key |
	some vpc in resolve(rc, ["route_table_id"], {"aws_vpc"}).planned
	key := _original_main(vpc)
}

_routes := array.concat(array.concat(_inline_routes, _unknown_inline_routes), _route_resources)

# Routes of the tables some workload uses: the grouping is kept to those.
# regal ignore:prefer-set-or-object-rule
_reaches := {rc.address: _reach(rc, spec) | some [rc, spec] in _workloads}

# regal ignore:prefer-set-or-object-rule
_reached_tables := {t | some reach in _reaches; some [_, t] in reach.tables}

# regal ignore:prefer-set-or-object-rule
_routes_by_table := _group([row | some row in _routes; row[0] in _reached_tables])

# ---------------------------------------------------------------------------
# Where a route leads: "internet" (fail), "public-subnet" (warn), "leaves"
# (warn unless allowed), "unseen" (warn), or "none".

# regal ignore:prefer-set-or-object-rule
_planned_nats := {n.address: n | some n in plan.resources("aws_nat_gateway")}

_public_nat(address) if plan.value(_planned_nats[address], ["connectivity_type"]) != "private"

# A gateway endpoint's route (S3, DynamoDB: gateway_id vpce-…, as an audit
# reads it) stays in AWS's network. A NAT gateway or gateway not in this plan
# cannot be told apart (public or private, internet or VPN); every other
# attribute names its kind of target.
_kind(route, ipv6) := "none" if {
	route.attribute == "gateway_id"
	count(route.found.planned) == 0
	count(route.found.unseen) > 0
	count({v | some v in route.found.unseen; not startswith(v, "vpce-")}) == 0
} else := "unseen" if {
	route.attribute in {"nat_gateway_id", "gateway_id", "route"}
	count(route.found.planned) == 0
	not _known_prefix(route)
} else := _attribute_kind(route.attribute, route, ipv6)

_known_prefix(route) if {
	route.attribute == "gateway_id"
	some v in route.found.unseen
	_gateway_prefix(v)
}

_gateway_prefix(v) if startswith(v, "igw-")

_gateway_prefix(v) if startswith(v, "vgw-")

_attribute_kind("nat_gateway_id", route, _) := "internet" if {
	some a in route.found.planned
	_public_nat(a)
} else := "none"

_attribute_kind("egress_only_gateway_id", _, ipv6) := "internet" if ipv6 == true

else := "none"

_attribute_kind("gateway_id", route, ipv6) := kind if {
	_internet_gateway(route)
	kind := _igw_kind(route, ipv6)
} else := "leaves"

_attribute_kind(attribute, _, _) := "leaves" if {
	not attribute in {"nat_gateway_id", "egress_only_gateway_id", "gateway_id"}
}

_internet_gateway(route) if {
	some a in route.found.planned
	startswith(a, "aws_internet_gateway.")
}

_internet_gateway(route) if {
	some a in route.found.planned
	contains(a, ".aws_internet_gateway.")
}

_internet_gateway(route) if {
	some v in route.found.unseen
	startswith(v, "igw-")
}

# IPv6 addresses are public: ::/0 to an internet gateway from an IPv6 subnet
# reaches the internet without a public IPv4 address.
_igw_kind(route, true) := "internet" if route.ipv6

else := "public-subnet"

_igw_kind(_, false) := "public-subnet"

_labels := {
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

_target_label(route) := concat(", ", sort(names)) if {
	names := route.found.planned | (route.found.unseen - {"unknown"})
	count(names) > 0
} else := "(unknown until apply)"

# ---------------------------------------------------------------------------
# egress.allowed_targets: inspected egress, by ID or address.

# regal ignore:prefer-set-or-object-rule
_allowed := {t |
	some entry in _list_of(config.setting(["egress", "allowed_targets"]))
	t := object.get(entry, "target", "")
	plan.nonempty(t)
}

_list_of(v) := v if is_array(v)

else := []

_target_names(route) := (ids | route.found.planned) | route.found.unseen if {
	ids := {object.get(_ids, a, a) | some a in route.found.planned}
}

# regal ignore:prefer-set-or-object-rule
_ids := {rc.address: id |
	some type in _named_types
	some rc in plan.resources(type)
	id := plan.value(rc, ["id"])
	plan.nonempty(id)
}

_is_allowed(route) if count(_target_names(route) & _allowed) > 0
