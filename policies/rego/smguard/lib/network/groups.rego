# Network paths (see network.rego): security-group egress that closes a workload's path.
package smguard.lib.network

import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# Security groups: egress only to the VPC's CIDRs, prefix lists or security
# groups closes the path.

# regal ignore:prefer-set-or-object-rule
_planned_groups := {g.address: g | some g in plan.resources("aws_security_group")}

# Egress entries: {"cidrs": destination CIDRs, "unknown": some destination
# is unknown until apply}. Prefix lists and security groups are inside.
_inline_egress := [[g.address, entry] |
	some g in plan.resources("aws_security_group")
	some entry in _inline_entries(g)
]

# Without an `egress` argument Terraform removes the allow-all rule AWS
# creates, so the group has no inline egress.
_inline_entries(g) := [{"unknown": true, "cidrs": set()}] if {
	plan.unknown(g, ["egress"])
	object.get(plan.config_resource(g), ["expressions", "egress"], null) != null
	not is_array(plan.value(g, ["egress"]))
} else := [entry |
	some i, block in _list(plan.value(g, ["egress"]))
	entry := {
		"unknown": _unknown_destination(g, ["egress", i], ["cidr_blocks", "ipv6_cidr_blocks"]),
		"cidrs": (_known(g, ["egress", i, "cidr_blocks"]) | _known(g, ["egress", i, "ipv6_cidr_blocks"])),
	}
]

_unknown_destination(rc, base, keys) if {
	some key in keys
	plan.unknown(rc, array.concat(base, [key]))
} else := false

_rule_egress := [[g, entry] |
	some rc in plan.resources("aws_security_group_rule")
	plan.value(rc, ["type"]) == "egress"
	some g in resolve(rc, ["security_group_id"], {"aws_security_group"}).planned
	entry := {
		"unknown": _unknown_destination(rc, [], ["cidr_blocks", "ipv6_cidr_blocks"]),
		"cidrs": (_known(rc, ["cidr_blocks"]) | _known(rc, ["ipv6_cidr_blocks"])),
	}
]

_egress_rule_egress := [[g, entry] |
	some rc in plan.resources("aws_vpc_security_group_egress_rule")
	some g in resolve(rc, ["security_group_id"], {"aws_security_group"}).planned
	entry := {
		"unknown": _unknown_destination(rc, [], ["cidr_ipv4", "cidr_ipv6"]),
		"cidrs": (_known(rc, ["cidr_ipv4"]) | _known(rc, ["cidr_ipv6"])),
	}
]

_egress := array.concat(_inline_egress, array.concat(_rule_egress, _egress_rule_egress))

# regal ignore:prefer-set-or-object-rule
_workload_groups := {rc.address: _groups(rc, spec) | some [rc, spec] in _workloads}

# regal ignore:prefer-set-or-object-rule
_reached_groups := {g | some groups in _workload_groups; some g in groups.planned}

# regal ignore:prefer-set-or-object-rule
_egress_by_group := _group([row | some row in _egress; row[0] in _reached_groups])

_groups(rc, spec) := {"planned": planned, "unseen": unseen, "empty": empty} if {
	found := [[path, resolve(rc, path, {"aws_security_group"})] | some path in _group_paths(rc, spec)]
	planned := {g | some [_, f] in found; some g in f.planned}
	unseen := {_unseen_group(path, g) | some [path, f] in found; some g in f.unseen}
	empty := [path | some [path, f] in found; count(f.planned | f.unseen) == 0]
}

_unseen_group(path, "unknown") := sprintf("%s is unknown until apply and refers to no aws_security_group in this plan", [_dotted(path)]) # regal ignore:line-length

_unseen_group(_, g) := sprintf("security group %s is not in this plan", [g]) if g != "unknown"

_group_cidrs(g, workload_cidrs) := workload_cidrs | {c |
	some vpc in resolve(_planned_groups[g], ["vpc_id"], {"aws_vpc"}).planned
	some c in object.get(_vpc_cidrs, vpc, set())
}

_inside(cidr, cidrs) if {
	_cidr(cidr)
	some vpc_cidr in cidrs
	_cidr(vpc_cidr)
	net.cidr_contains(vpc_cidr, cidr)
}

_cidr(c) if regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$`, c)

_cidr(c) if regex.match(`^[0-9a-fA-F:]*:[0-9a-fA-F:]*/[0-9]{1,3}$`, c)

_open_group(g, _) if {
	some entry in object.get(_egress_by_group, g, [])
	entry.unknown
}

_open_group(g, cidrs) if {
	some entry in object.get(_egress_by_group, g, [])
	some c in entry.cidrs
	not _inside(c, _group_cidrs(g, cidrs))
}

# Why the security groups do not close the path ("" when they do).
_groups_problem(groups, cidrs) := "no security group is set (the VPC's default group allows all egress)" if {
	count(groups.planned | groups.unseen) == 0
} else := concat("; ", sort(groups.unseen)) if {
	count(groups.unseen) > 0
} else := "a settings block has no security group (the VPC's default group allows all egress)" if {
	count(groups.empty) > 0
} else := sprintf("its security groups allow egress beyond the VPC (%s)", [concat(", ", sort(open))]) if {
	open := {g | some g in groups.planned; _open_group(g, cidrs)}
	count(open) > 0
} else := ""
