# METADATA
# description: |
#   Network paths: where the traffic of a SageMaker workload that runs in
#   subnets can go. Subnet -> route table (its aws_route_table_association,
#   else the VPC's main table) -> routes (inline `route` blocks and aws_route,
#   IPv4 and IPv6) -> target (NAT gateway, internet gateway, egress-only
#   gateway, transit gateway, peering, ...), and the security groups' egress
#   that can close the path. What cannot be followed in the plan is reported
#   as unverified, never as a pass.
package smguard.lib.network

import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# Workloads: what sends traffic from subnets, and where it keeps them.

_user := ["default_user_settings", 0, "security_groups"]

_space := ["default_space_settings", 0, "security_groups"]

_job_vpc := ["network_config", 0, "vpc_config", 0]

_specs := {
	"aws_sagemaker_domain": {"subnets": ["subnet_ids"], "groups": [_user, _space]},
	"aws_sagemaker_notebook_instance": {"subnets": ["subnet_id"], "groups": [["security_groups"]]},
	"aws_sagemaker_model": {
		"isolation": ["enable_network_isolation"],
		"subnets": ["vpc_config", 0, "subnets"], "groups": [["vpc_config", 0, "security_group_ids"]],
	},
	"aws_sagemaker_training_job": {
		"isolation": ["enable_network_isolation"],
		"subnets": ["vpc_config", 0, "subnets"], "groups": [["vpc_config", 0, "security_group_ids"]],
	},
	"aws_sagemaker_processing_job": _job_spec,
	"aws_sagemaker_data_quality_job_definition": _job_spec,
	"aws_sagemaker_model_quality_job_definition": _job_spec,
	"aws_sagemaker_model_bias_job_definition": _job_spec,
	"aws_sagemaker_model_explainability_job_definition": _job_spec,
}

_job_spec := {
	"isolation": ["network_config", 0, "enable_network_isolation"],
	"subnets": array.concat(_job_vpc, ["subnets"]),
	"groups": [array.concat(_job_vpc, ["security_group_ids"])],
}

# The workload types (the egress rules report on these).
workload_types := object.keys(_specs)

_workloads := [[rc, spec] |
	some type, spec in _specs
	some rc in plan.resources(type)
	_sends(rc, spec)
	_has_subnets(rc, spec.subnets)
]

# Isolated containers have no network at all.
_sends(rc, spec) if {
	spec.isolation
	plan.value(rc, spec.isolation) != true
}

# A domain's apps use its subnets only with VpcOnly (the default is
# PublicInternetOnly); unknown until apply is followed as if VpcOnly.
_sends(rc, spec) if {
	not spec.isolation
	rc.type == "aws_sagemaker_domain"
	_vpc_only(rc)
}

_sends(rc, spec) if {
	not spec.isolation
	rc.type != "aws_sagemaker_domain"
}

_vpc_only(rc) if plan.value(rc, ["app_network_access_type"]) == "VpcOnly"

_vpc_only(rc) if plan.unknown(rc, ["app_network_access_type"])

_has_subnets(rc, path) if plan.unknown(rc, path)

_has_subnets(rc, path) if plan.nonempty(plan.value(rc, path))

_group_paths(rc, spec) := [path |
	some path in spec.groups
	_group_block_present(rc, path)
]

# default_space_settings is optional: its groups count when the block is set.
_group_block_present(_, path) if path != _space

_group_block_present(rc, path) if {
	path == _space
	plan.nonempty(plan.value(rc, ["default_space_settings"]))
}

# ---------------------------------------------------------------------------
# Names. A planned resource has its address and, when known, its ID; a known
# value names the planned resource with that ID, a reference names the
# resource it refers to.

_named_types := [
	"aws_vpc", "aws_subnet", "aws_route_table", "aws_default_route_table",
	"aws_security_group", "aws_nat_gateway", "aws_internet_gateway",
	"aws_egress_only_internet_gateway", "aws_vpn_gateway", "aws_ec2_transit_gateway",
	"aws_vpc_peering_connection", "aws_network_interface", "aws_instance", "aws_vpc_endpoint",
]

own_names(rc) := {rc.address, id} if {
	id := plan.value(rc, ["id"])
	plan.nonempty(id)
} else := {rc.address}

_name_rows := [[name, [rc.address, rc.type]] |
	some type in _named_types
	some rc in plan.resources(type)
	some name in own_names(rc)
]

# regal ignore:prefer-set-or-object-rule
_by_name := _group(_name_rows)

# Rows [key, value] grouped by key, values in sorted order. Keys are nearly
# always unique (one association per subnet, one ID per resource): then it is
# a plain object comprehension. Otherwise the rows are sorted and each key's
# run sliced out: linear on every engine. (A comprehension that filters the
# rows for each key is quadratic in OPA's wasm target, which has no
# comprehension index and never frees memory while it evaluates: 2,000
# workloads' route tables took it past 2 GiB.)
_group(rows) := {k: [v] | some [k, v] in rows} if {
	count({k | some [k, _] in rows}) == count(rows)
} else := _sorted_group(sort(rows))

_sorted_group(s) := {k: [row[1] | some row in array.slice(s, i, ends[k] + 1)] | some k, i in starts} if {
	last := count(s) - 1
	starts := {s[i][0]: i | some i in numbers.range(0, last); _run_starts(s, i)}
	ends := {s[i][0]: i | some i in numbers.range(0, last); _run_ends(s, i, last)}
}

_run_starts(_, 0)

_run_starts(s, i) if {
	i > 0
	s[i - 1][0] != s[i][0]
}

_run_ends(_, i, last) if i == last

_run_ends(s, i, last) if {
	i < last
	s[i + 1][0] != s[i][0]
}

_list(v) := [v] if is_string(v)

else := v if is_array(v)

else := []

_unknown(rc, path) if {
	plan.unknown(rc, path)
} else := false

_known(rc, path) := {v | some v in _list(plan.value(rc, path)); plan.nonempty(v)}

# The planned resources of the given types an attribute names, and what it
# names that is not in this plan: known values no planned resource has, or
# "unknown" when it is unknown until apply and refers to none.
resolve(rc, path, types) := _resolve(rc, path, path, types)

# refs_path: where the configuration keeps the attribute's references (an
# inline block's are on the whole argument).
_resolve(rc, path, refs_path, types) := {"planned": planned, "unseen": unseen} if {
	unknown := _unknown(rc, path)
	by_value := {v: {a | some [a, t] in object.get(_by_name, v, []); t in types} | some v in _known(rc, path)}
	referred := {t.address |
		unknown
		some type in types
		some t in plan.referenced(rc, refs_path, type)
	}
	planned := {a | some found in by_value; some a in found} | referred
	unseen := {v | some v, found in by_value; count(found) == 0} | {"unknown" |
		unknown
		count(referred) == 0
	}
}

# ---------------------------------------------------------------------------
# A workload's path.

# The planned subnets of the workload and their route tables; what cannot be seen.
_reach(rc, spec) := {"subnets": found.planned, "tables": tables, "unseen": unseen} if {
	found := resolve(rc, spec.subnets, {"aws_subnet"})
	per := {s: _subnet_tables(s) | some s in found.planned}
	tables := {[s, t] | some s, r in per; some t in r.tables}
	unseen := {_unseen_subnet(v, spec.subnets) | some v in found.unseen} | {u |
		some r in per
		some u in r.unseen
	}
}

_unseen_subnet("unknown", path) := sprintf(
	"%s is unknown until apply and refers to no aws_subnet in this plan",
	[_dotted(path)],
)

_unseen_subnet(v, _) := sprintf("subnet %s is not in this plan", [v]) if v != "unknown"

_dotted(path) := concat(".", [p | some p in path; is_string(p)])

_ipv6_subnet(address) if {
	plan.known_nonempty(_planned_subnets[address], ["ipv6_cidr_block"])
} else if {
	plan.value(_planned_subnets[address], ["ipv6_native"]) == true
} else if {
	s := _planned_subnets[address]
	plan.unknown(s, ["ipv6_cidr_block"])
	object.get(plan.config_resource(s), ["expressions", "ipv6_cidr_block"], null) != null
} else := false

_table_label(t) := sprintf("the main route table of %s", [trim_suffix(t, "#main")]) if endswith(t, "#main")

else := sprintf("route table %s", [t])

_hops(reach) := [hop |
	some [subnet, table] in reach.tables
	not startswith(table, "unseen:")
	some route in object.get(_routes_by_table, table, [])
	kind := _kind(route, _ipv6_subnet(subnet))
	kind != "none"
	hop := {
		"subnet": subnet,
		"table": table,
		"route": route.source,
		"destination": route.destination,
		"target": _target_label(route),
		"kind": _allowed_kind(kind, route),
		"text": sprintf("%s (%s%s) sends %s to %s %s", [
			subnet, _table_label(table), _via(route, table), route.destination,
			_kind_label(kind, route), _target_label(route),
		]),
	}
]

_via(route, table) := "" if route.source == table

else := concat("", [", ", route.source])

_allowed_kind(kind, route) := "allowed" if {
	kind == "leaves"
	_is_allowed(route)
} else := kind

_kind_label("internet", route) := "public NAT gateway" if route.attribute == "nat_gateway_id"

else := "internet gateway" if route.attribute == "gateway_id"

else := _labels[route.attribute]

_kind_label("public-subnet", _) := "internet gateway"

_kind_label("unseen", route) := concat(" ", [_labels[route.attribute], "not in this plan"])

_kind_label("leaves", route) := _labels[route.attribute]

_unseen_tables(reach) := {sprintf("%s: route table %s is not in this plan", [s, trim_prefix(t, "unseen:")]) |
	some [s, t] in reach.tables
	startswith(t, "unseen:")
}

# ---------------------------------------------------------------------------
# The verdict of every workload, by address: {"verdict": "fail" | "warn" |
# "pass", "message", "closed", "hops", "unverified"}.

# regal ignore:prefer-set-or-object-rule
paths := {rc.address: _path(rc) | some [rc, _] in _workloads}

_path(rc) := {
	"verdict": _verdict(fails, warns, unverified, problem),
	"message": _message(fails, warns, unverified, problem),
	"closed": problem == "",
	"hops": hops,
	"unverified": unverified,
} if {
	reach := _reaches[rc.address]
	hops := _hops(reach)
	unverified := sort(((reach.unseen | _unseen_tables(reach)) | {h.text | some h in hops; h.kind == "unseen"}))
	fails := sort({h.text | some h in hops; h.kind == "internet"})
	publics := sort({h.text | some h in hops; h.kind == "public-subnet"})
	leaves := sort({h.text | some h in hops; h.kind == "leaves"})
	warns := array.concat(
		[concat("", ["in a public subnet, the wrong home for it (SageMaker gives it no public IP): ", concat("; ", publics)]) | count(publics) > 0], # regal ignore:line-length
		[concat("", ["leaves the VPC to a target not in egress.allowed_targets: ", concat("; ", leaves)]) | count(leaves) > 0], # regal ignore:line-length
	)
	cidrs := {c | some s in reach.subnets; some vpc in _subnet_vpcs(s); some c in object.get(_vpc_cidrs, vpc, set())}
	problem := _groups_problem(_workload_groups[rc.address], cidrs)
}

_subnet_vpcs(s) := resolve(_planned_subnets[s], ["vpc_id"], {"aws_vpc"}).planned

_verdict(_, _, _, "") := "pass"

_verdict(fails, warns, unverified, problem) := v if {
	problem != ""
	v := _open_verdict(fails, warns, unverified)
}

_open_verdict(fails, warns, unverified) := "fail" if {
	count(fails) > 0
} else := "warn" if {
	count(warns) + count(unverified) > 0
} else := "pass"

_message(_, _, _, "") := "its security groups allow egress only inside the VPC: no path out"

_message(fails, warns, unverified, problem) := concat("; ", array.concat(
	array.concat(
		[concat("", ["reaches the internet: ", concat("; ", fails)]) | count(fails) > 0],
		warns,
	),
	array.concat(
		[concat("", [
			"path unverified (`smguard audit` can verify it): ",
			concat("; ", unverified),
		]) |
			count(unverified) > 0
		],
		[problem],
	),
)) if {
	problem != ""
}
