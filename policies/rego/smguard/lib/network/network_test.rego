package smguard.lib.network_test

import data.smguard.lib.network

# ---------------------------------------------------------------------------
# Builders: resource changes and their configuration, in the plan's shape.

_rc(address, after, unknown) := {
	"address": address,
	"mode": "managed",
	"type": split(address, ".")[0],
	"name": split(address, ".")[1],
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_existing(rc) := object.union(rc, {"change": {"actions": ["no-op"]}})

_cfg(address, expressions) := {
	"address": address,
	"mode": "managed",
	"type": split(address, ".")[0],
	"name": split(address, ".")[1],
	"expressions": expressions,
}

_ref(address) := {"references": [concat("", [address, ".id"]), address]}

_plan(pairs) := {
	"format_version": "1.2",
	"resource_changes": [rc | some [rc, _] in pairs],
	"configuration": {"root_module": {"resources": [c | some [_, c] in pairs; c != null]}},
}

_vpc(name, cidr) := [
	_rc(concat(".", ["aws_vpc", name]), {"cidr_block": cidr}, {"id": true, "main_route_table_id": true}),
	_cfg(concat(".", ["aws_vpc", name]), {"cidr_block": {"constant_value": cidr}}),
]

_subnet(name, vpc) := [
	_rc(concat(".", ["aws_subnet", name]), {"cidr_block": "10.0.1.0/24", "ipv6_cidr_block": null}, {"id": true, "vpc_id": true}), # regal ignore:line-length
	_cfg(concat(".", ["aws_subnet", name]), {"vpc_id": _ref(vpc)}),
]

_ipv6_subnet(name, vpc) := [
	_rc(concat(".", ["aws_subnet", name]), {"cidr_block": "10.0.2.0/24"}, {"id": true, "vpc_id": true, "ipv6_cidr_block": true}), # regal ignore:line-length
	_cfg(concat(".", ["aws_subnet", name]), {"vpc_id": _ref(vpc), "ipv6_cidr_block": {"references": [vpc]}}),
]

_route_keys := [
	"carrier_gateway_id", "cidr_block", "core_network_arn", "destination_prefix_list_id",
	"egress_only_gateway_id", "gateway_id", "ipv6_cidr_block", "local_gateway_id", "nat_gateway_id",
	"network_interface_id", "transit_gateway_id", "vpc_endpoint_id", "vpc_peering_connection_id",
]

# regal ignore:prefer-set-or-object-rule
_blank := {k: "" | some k in _route_keys}

# An inline route: [destination key, destination, attribute, literal value or
# null with the reference in refs].
_inline(dest_key, dest, attribute, value) := object.union(_blank, {dest_key: dest, attribute: value})

_table(name, vpc, routes, marks, refs) := [
	_rc(concat(".", ["aws_route_table", name]), {"route": routes}, {"id": true, "route": marks}),
	_cfg(concat(".", ["aws_route_table", name]), {"vpc_id": _ref(vpc), "route": {"references": refs}}),
]

_empty_table(name, vpc) := [
	_rc(concat(".", ["aws_route_table", name]), {}, {"id": true, "route": true}),
	_cfg(concat(".", ["aws_route_table", name]), {"vpc_id": _ref(vpc)}),
]

_association(name, subnet, table) := [
	_rc(concat(".", ["aws_route_table_association", name]), {}, {"subnet_id": true, "route_table_id": true}),
	_cfg(concat(".", ["aws_route_table_association", name]), {"subnet_id": _ref(subnet), "route_table_id": _ref(table)}),
]

_nat(name, connectivity) := [
	_rc(concat(".", ["aws_nat_gateway", name]), {"connectivity_type": connectivity}, {"id": true}),
	_cfg(concat(".", ["aws_nat_gateway", name]), {}),
]

_route(name, table, dest_key, dest, attribute, target) := [
	_rc(concat(".", ["aws_route", name]), {dest_key: dest}, {"id": true, "route_table_id": true, attribute: true, "network_interface_id": true, "instance_id": true}), # regal ignore:line-length
	_cfg(concat(".", ["aws_route", name]), {"route_table_id": _ref(table), attribute: _ref(target)}),
]

_literal_route(name, table, attribute, value) := [
	_rc(concat(".", ["aws_route", name]), {"destination_cidr_block": "0.0.0.0/0", attribute: value}, {"id": true, "route_table_id": true}), # regal ignore:line-length
	_cfg(concat(".", ["aws_route", name]), {"route_table_id": _ref(table)}),
]

_open_egress := [{"cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": [], "prefix_list_ids": []}]

_group(name, vpc, egress) := [
	_rc(concat(".", ["aws_security_group", name]), {"egress": egress}, {"id": true, "vpc_id": true}),
	_cfg(concat(".", ["aws_security_group", name]), {"vpc_id": _ref(vpc), "egress": {"constant_value": egress}}),
]

# A group without an `egress` argument: Terraform leaves it no inline egress.
_bare_group(name, vpc) := [
	_rc(concat(".", ["aws_security_group", name]), {}, {"id": true, "vpc_id": true, "egress": true}),
	_cfg(concat(".", ["aws_security_group", name]), {"vpc_id": _ref(vpc)}),
]

_notebook(name, subnet, group) := [
	_rc(concat(".", ["aws_sagemaker_notebook_instance", name]), {"direct_internet_access": "Disabled"}, {"id": true, "subnet_id": true, "security_groups": true}), # regal ignore:line-length
	_cfg(concat(".", ["aws_sagemaker_notebook_instance", name]), {"subnet_id": _ref(subnet), "security_groups": _ref(group)}), # regal ignore:line-length
]

_model(name, subnet, group, isolated) := [
	_rc(concat(".", ["aws_sagemaker_model", name]), {"enable_network_isolation": isolated, "vpc_config": [{}]}, {"id": true, "vpc_config": [{"subnets": true, "security_group_ids": true}]}), # regal ignore:line-length
	_cfg(concat(".", ["aws_sagemaker_model", name]), {"vpc_config": [{"subnets": _ref(subnet), "security_group_ids": _ref(group)}]}), # regal ignore:line-length
]

_domain(name, subnet, group, access) := [
	_rc(concat(".", ["aws_sagemaker_domain", name]), {"app_network_access_type": access, "default_user_settings": [{"security_groups": [null]}]}, {"id": true, "subnet_ids": true, "default_user_settings": [{"security_groups": [true]}]}), # regal ignore:line-length
	_cfg(concat(".", ["aws_sagemaker_domain", name]), {"subnet_ids": _ref(subnet), "default_user_settings": [{"security_groups": _ref(group)}]}), # regal ignore:line-length
]

# A VPC, a subnet with its own route table, an open security group, and a notebook.
_base(routes, marks, refs) := [
	_vpc("v", "10.0.0.0/16"),
	_subnet("a", "aws_vpc.v"),
	_table("t", "aws_vpc.v", routes, marks, refs),
	_association("a", "aws_subnet.a", "aws_route_table.t"),
	_group("open", "aws_vpc.v", _open_egress),
	_notebook("nb", "aws_subnet.a", "aws_security_group.open"),
]

_nat_route := _inline("cidr_block", "0.0.0.0/0", "nat_gateway_id", null)

_path(pairs, address) := p if {
	# regal ignore:with-outside-test-context
	p := network.paths[address] with input as _plan(pairs)
}

_verdict(pairs, address) := _path(pairs, address).verdict

# ---------------------------------------------------------------------------
# Subnets

test_subnet_from_variable_unverified if {
	nb := [
		_rc("aws_sagemaker_notebook_instance.nb", {}, {"subnet_id": true, "security_groups": true}),
		_cfg("aws_sagemaker_notebook_instance.nb", {"subnet_id": {"references": ["var.subnet"]}, "security_groups": _ref("aws_security_group.open")}), # regal ignore:line-length
	]
	p := _path([_vpc("v", "10.0.0.0/16"), _group("open", "aws_vpc.v", _open_egress), nb], "aws_sagemaker_notebook_instance.nb") # regal ignore:line-length
	p.verdict == "warn"
	contains(p.message, "subnet_id is unknown until apply and refers to no aws_subnet in this plan")
}

test_known_subnet_id_outside_plan_unverified if {
	nb := [_rc("aws_sagemaker_notebook_instance.nb", {"subnet_id": "subnet-1", "security_groups": ["sg-1"]}, {}), null]
	p := _path([nb], "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "subnet subnet-1 is not in this plan")
	contains(p.message, "security group sg-1 is not in this plan")
}

test_known_subnet_id_of_planned_subnet if {
	subnet := _existing(_rc("aws_subnet.a", {"id": "subnet-1", "vpc_id": "vpc-1"}, {}))
	vpc := _existing(_rc("aws_vpc.v", {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}, {}))
	table := _existing(_rc("aws_route_table.t", {"id": "rtb-1", "route": [object.union(_blank, {"cidr_block": "0.0.0.0/0", "transit_gateway_id": "tgw-1"})]}, {})) # regal ignore:line-length
	association := _existing(_rc("aws_route_table_association.a", {"subnet_id": "subnet-1", "route_table_id": "rtb-1"}, {})) # regal ignore:line-length
	nb := _rc("aws_sagemaker_notebook_instance.nb", {"subnet_id": "subnet-1", "security_groups": ["sg-1"]}, {})
	p := _path([[subnet, null], [vpc, null], [table, null], [association, null], [nb, null]], "aws_sagemaker_notebook_instance.nb") # regal ignore:line-length
	p.verdict == "warn"
	contains(p.message, "transit gateway tgw-1")
}

# ---------------------------------------------------------------------------
# Security groups

_nat_pairs(groups, workload) := array.concat(
	[
		_vpc("v", "10.0.0.0/16"),
		_subnet("a", "aws_vpc.v"),
		_table("t", "aws_vpc.v", [_nat_route], [{"nat_gateway_id": true}], ["aws_nat_gateway.n.id", "aws_nat_gateway.n"]),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_nat("n", "public"),
		workload,
	],
	groups,
)

test_group_locked_to_vpc_passes if {
	locked := [{"cidr_blocks": ["10.0.0.0/16"], "ipv6_cidr_blocks": [], "prefix_list_ids": ["pl-1"]}]
	pairs := _nat_pairs([_group("g", "aws_vpc.v", locked)], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "pass"
	p.closed
	contains(p.message, "no path out")
}

test_group_without_egress_passes if {
	pairs := _nat_pairs([_bare_group("g", "aws_vpc.v")], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_security_group_rule_opens if {
	rule := [
		_rc("aws_security_group_rule.out", {"type": "egress", "cidr_blocks": ["0.0.0.0/0"]}, {"security_group_id": true}),
		_cfg("aws_security_group_rule.out", {"security_group_id": _ref("aws_security_group.g")}),
	]
	pairs := _nat_pairs([_bare_group("g", "aws_vpc.v"), rule], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "aws_security_group.g")
}

test_security_group_rule_unknown_cidr_opens if {
	rule := [
		_rc("aws_security_group_rule.out", {"type": "egress"}, {"security_group_id": true, "cidr_blocks": true}),
		_cfg("aws_security_group_rule.out", {"security_group_id": _ref("aws_security_group.g")}),
	]
	pairs := _nat_pairs([_bare_group("g", "aws_vpc.v"), rule], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_egress_rule_inside_vpc_passes if {
	rule := [
		_rc("aws_vpc_security_group_egress_rule.vpc", {"cidr_ipv4": "10.0.4.0/24"}, {"security_group_id": true}),
		_cfg("aws_vpc_security_group_egress_rule.vpc", {"security_group_id": _ref("aws_security_group.g")}),
	]
	pairs := _nat_pairs([_bare_group("g", "aws_vpc.v"), rule], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_ipv6_egress_opens if {
	rule := [
		_rc("aws_vpc_security_group_egress_rule.six", {"cidr_ipv6": "::/0"}, {"security_group_id": true}),
		_cfg("aws_vpc_security_group_egress_rule.six", {"security_group_id": _ref("aws_security_group.g")}),
	]
	pairs := _nat_pairs([_bare_group("g", "aws_vpc.v"), rule], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_inline_egress_unknown_opens if {
	group := [
		_rc("aws_security_group.g", {}, {"id": true, "vpc_id": true, "egress": true}),
		_cfg("aws_security_group.g", {"vpc_id": _ref("aws_vpc.v"), "egress": {"references": ["var.cidrs"]}}),
	]
	pairs := _nat_pairs([group], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_inline_egress_unknown_cidr_opens if {
	group := [
		_rc("aws_security_group.g", {"egress": [{"cidr_blocks": [null]}]}, {"id": true, "egress": [{"cidr_blocks": [true]}]}), # regal ignore:line-length
		_cfg("aws_security_group.g", {"egress": {"references": ["var.cidr"]}}),
	]
	pairs := _nat_pairs([group], _notebook("nb", "aws_subnet.a", "aws_security_group.g"))
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_unresolved_group_keeps_route_verdict if {
	nb := [
		_rc("aws_sagemaker_notebook_instance.nb", {}, {"subnet_id": true, "security_groups": true}),
		_cfg("aws_sagemaker_notebook_instance.nb", {"subnet_id": _ref("aws_subnet.a")}),
	]
	p := _path(_nat_pairs([], nb), "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "security_groups is unknown until apply")
}

test_no_group_keeps_route_verdict if {
	nb := [_rc("aws_sagemaker_notebook_instance.nb", {"security_groups": []}, {"subnet_id": true}), _cfg("aws_sagemaker_notebook_instance.nb", {"subnet_id": _ref("aws_subnet.a")})] # regal ignore:line-length
	contains(_path(_nat_pairs([], nb), "aws_sagemaker_notebook_instance.nb").message, "no security group is set")
}

test_domain_space_settings_without_group if {
	domain := [
		_rc("aws_sagemaker_domain.d", {"app_network_access_type": "VpcOnly", "default_user_settings": [{"security_groups": [null]}], "default_space_settings": [{"security_groups": []}]}, {"subnet_ids": true, "default_user_settings": [{"security_groups": [true]}]}), # regal ignore:line-length
		_cfg("aws_sagemaker_domain.d", {"subnet_ids": _ref("aws_subnet.a"), "default_user_settings": [{"security_groups": _ref("aws_security_group.g")}]}), # regal ignore:line-length
	]
	p := _path(_nat_pairs([_bare_group("g", "aws_vpc.v")], domain), "aws_sagemaker_domain.d")
	p.verdict == "fail"
	contains(p.message, "a settings block has no security group")
}

# ---------------------------------------------------------------------------
# Workloads

test_isolated_model_has_no_path if {
	pairs := _nat_pairs([_group("open", "aws_vpc.v", _open_egress)], _model("m", "aws_subnet.a", "aws_security_group.open", true)) # regal ignore:line-length
	not network.paths["aws_sagemaker_model.m"] with input as _plan(pairs)
}

test_model_not_isolated_fails if {
	pairs := _nat_pairs([_group("open", "aws_vpc.v", _open_egress)], _model("m", "aws_subnet.a", "aws_security_group.open", false)) # regal ignore:line-length
	_verdict(pairs, "aws_sagemaker_model.m") == "fail"
}

test_domain_vpc_only_or_unknown_followed if {
	pairs := _nat_pairs([_group("open", "aws_vpc.v", _open_egress)], _domain("d", "aws_subnet.a", "aws_security_group.open", "VpcOnly")) # regal ignore:line-length
	_verdict(pairs, "aws_sagemaker_domain.d") == "fail"
	unknown := [
		_rc("aws_sagemaker_domain.d", {"default_user_settings": [{"security_groups": [null]}]}, {"app_network_access_type": true, "subnet_ids": true, "default_user_settings": [{"security_groups": [true]}]}), # regal ignore:line-length
		_cfg("aws_sagemaker_domain.d", {"subnet_ids": _ref("aws_subnet.a"), "default_user_settings": [{"security_groups": _ref("aws_security_group.open")}]}), # regal ignore:line-length
	]
	_verdict(_nat_pairs([_group("open", "aws_vpc.v", _open_egress)], unknown), "aws_sagemaker_domain.d") == "fail"
}

test_public_internet_domain_not_followed if {
	pairs := _nat_pairs([_group("open", "aws_vpc.v", _open_egress)], _domain("d", "aws_subnet.a", "aws_security_group.open", "PublicInternetOnly")) # regal ignore:line-length
	not network.paths["aws_sagemaker_domain.d"] with input as _plan(pairs)
}

test_workload_without_subnets_not_followed if {
	model := [_rc("aws_sagemaker_model.m", {"enable_network_isolation": false, "vpc_config": []}, {}), null]
	not network.paths["aws_sagemaker_model.m"] with input as _plan([model])
}

test_job_definition_followed if {
	job := [
		_rc("aws_sagemaker_data_quality_job_definition.j", {"network_config": [{"enable_network_isolation": false, "vpc_config": [{}]}]}, {"network_config": [{"vpc_config": [{"subnets": true, "security_group_ids": true}]}]}), # regal ignore:line-length
		_cfg("aws_sagemaker_data_quality_job_definition.j", {"network_config": [{"vpc_config": [{"subnets": _ref("aws_subnet.a"), "security_group_ids": _ref("aws_security_group.open")}]}]}), # regal ignore:line-length
	]
	_verdict(_nat_pairs([_group("open", "aws_vpc.v", _open_egress)], job), "aws_sagemaker_data_quality_job_definition.j") == "fail" # regal ignore:line-length
}

test_workload_types if {
	"aws_sagemaker_training_job" in network.workload_types
	"aws_sagemaker_notebook_instance" in network.workload_types
}

test_repeated_names_are_grouped if {
	a := _existing(_rc("aws_subnet.a", {"id": "subnet-1"}, {}))
	b := _existing(_rc("aws_subnet.b", {"id": "subnet-1"}, {}))
	nb := _rc("aws_sagemaker_notebook_instance.nb", {"subnet_id": "subnet-1", "security_groups": ["sg-1"]}, {})
	p := _path([[a, null], [b, null], [nb, null]], "aws_sagemaker_notebook_instance.nb")
	count(p.unverified) == 2
}

test_group_sorts_repeated_keys if {
	network._group([["b", 2], ["a", 1], ["b", 1], ["c", 3]]) == {"a": [1], "b": [1, 2], "c": [3]}
	network._group([["a", 1]]) == {"a": [1]}
	network._group([]) == {}
}
