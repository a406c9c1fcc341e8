package smguard.lib.network_test

import data.smguard.lib.network

# ---------------------------------------------------------------------------
# Route targets

test_public_nat_inline_fails if {
	pairs := array.concat(_base([_nat_route], [{"nat_gateway_id": true}], ["aws_nat_gateway.n.id", "aws_nat_gateway.n"]), [_nat("n", "public")]) # regal ignore:line-length
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "public NAT gateway aws_nat_gateway.n")
	contains(p.message, "aws_security_group.open")
}

test_private_nat_passes if {
	pairs := array.concat(_base([_nat_route], [{"nat_gateway_id": true}], ["aws_nat_gateway.n.id", "aws_nat_gateway.n"]), [_nat("n", "private")]) # regal ignore:line-length
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_nat_outside_plan_warns if {
	route := _inline("cidr_block", "0.0.0.0/0", "nat_gateway_id", "nat-0123")
	p := _path(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "NAT gateway not in this plan nat-0123")
	contains(p.message, "smguard audit")
}

test_internet_gateway_by_id_warns if {
	route := _inline("cidr_block", "0.0.0.0/0", "gateway_id", "igw-0123")
	p := _path(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "public subnet")
}

test_local_route_ignored if {
	route := _inline("cidr_block", "10.0.0.0/16", "gateway_id", "local")
	_verdict(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_gateway_endpoint_route_ignored if {
	route := _inline("destination_prefix_list_id", "pl-6da54004", "gateway_id", "vpce-0123")
	_verdict(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_vpn_gateway_leaves if {
	route := _inline("cidr_block", "10.0.0.0/8", "gateway_id", "vgw-0123")
	p := _path(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "leaves the VPC")
}

test_unknown_gateway_unverified if {
	route := _inline("cidr_block", "0.0.0.0/0", "gateway_id", null)
	p := _path(_base([route], [{"gateway_id": true}], ["var.gateway"]), "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "unknown until apply")
}

test_ipv6_internet_gateway_fails_from_ipv6_subnet if {
	route := _inline("ipv6_cidr_block", "::/0", "gateway_id", "igw-0123")
	pairs := [
		_vpc("v", "10.0.0.0/16"),
		_ipv6_subnet("a", "aws_vpc.v"),
		_table("t", "aws_vpc.v", [route], [{}], []),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_group("open", "aws_vpc.v", _open_egress),
		_notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "internet gateway igw-0123")
}

test_egress_only_gateway_from_ipv4_subnet_passes if {
	route := _inline("ipv6_cidr_block", "::/0", "egress_only_gateway_id", "eigw-0123")
	_verdict(_base([route], [{}], []), "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_egress_only_gateway_from_ipv6_native_subnet_fails if {
	route := _inline("ipv6_cidr_block", "::/0", "egress_only_gateway_id", "eigw-0123")
	native := _rc("aws_subnet.a", {"ipv6_native": true}, {"id": true, "vpc_id": true})
	pairs := [
		_vpc("v", "10.0.0.0/16"),
		[native, _cfg("aws_subnet.a", {"vpc_id": _ref("aws_vpc.v")})],
		_table("t", "aws_vpc.v", [route], [{}], []),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_group("open", "aws_vpc.v", _open_egress),
		_notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	contains(_path(pairs, "aws_sagemaker_notebook_instance.nb").message, "egress-only internet gateway")
}

test_egress_only_gateway_from_known_ipv6_subnet_fails if {
	route := _inline("ipv6_cidr_block", "::/0", "egress_only_gateway_id", "eigw-0123")
	known := _rc("aws_subnet.a", {"ipv6_cidr_block": "2600:1f18::/64"}, {"id": true, "vpc_id": true})
	pairs := [
		_vpc("v", "10.0.0.0/16"),
		[known, _cfg("aws_subnet.a", {"vpc_id": _ref("aws_vpc.v")})],
		_table("t", "aws_vpc.v", [route], [{}], []),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_group("open", "aws_vpc.v", _open_egress),
		_notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_transit_gateway_warns_unless_allowed if {
	route := _inline("cidr_block", "0.0.0.0/0", "transit_gateway_id", "tgw-0123")
	pairs := _base([route], [{}], [])
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "transit gateway tgw-0123")
	allowed := {"settings": {"egress": {"allowed_targets": [{"target": "tgw-0123", "reason": "inspected"}]}}}
	network.paths["aws_sagemaker_notebook_instance.nb"].verdict == "pass" with input as _plan(pairs)
		with data.smguard.config as allowed
}

test_allowed_by_address if {
	route := _inline("cidr_block", "0.0.0.0/0", "vpc_peering_connection_id", null)
	peering := [_rc("aws_vpc_peering_connection.p", {}, {"id": true}), _cfg("aws_vpc_peering_connection.p", {})]
	pairs := array.concat(_base([route], [{"vpc_peering_connection_id": true}], ["aws_vpc_peering_connection.p.id", "aws_vpc_peering_connection.p"]), [peering]) # regal ignore:line-length
	allowed := {"settings": {"egress": {"allowed_targets": [{"target": "aws_vpc_peering_connection.p", "reason": "x"}]}}}
	network.paths["aws_sagemaker_notebook_instance.nb"].verdict == "pass" with input as _plan(pairs)
		with data.smguard.config as allowed
	network.paths["aws_sagemaker_notebook_instance.nb"].verdict == "warn" with input as _plan(pairs)
}

test_route_unknown_as_a_whole_follows_references if {
	table := [
		_rc("aws_route_table.t", {}, {"id": true, "route": true}),
		_cfg("aws_route_table.t", {"route": {"references": ["aws_nat_gateway.n.id", "aws_nat_gateway.n"]}}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), table,
		_association("a", "aws_subnet.a", "aws_route_table.t"), _nat("n", "public"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_route_unknown_without_references_unverified if {
	table := [
		_rc("aws_route_table.t", {}, {"id": true, "route": true}),
		_cfg("aws_route_table.t", {"route": {"references": ["var.routes"]}}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), table,
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "a target not in this plan")
}

# ---------------------------------------------------------------------------
# aws_route, main route tables

test_aws_route_to_nat_fails if {
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _empty_table("t", "aws_vpc.v"),
		_association("a", "aws_subnet.a", "aws_route_table.t"), _nat("n", "public"),
		_route("r", "aws_route_table.t", "destination_cidr_block", "0.0.0.0/0", "nat_gateway_id", "aws_nat_gateway.n"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "aws_route.r")
}

test_aws_route_network_interface_target if {
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _empty_table("t", "aws_vpc.v"),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		[_rc("aws_network_interface.appliance", {}, {"id": true}), _cfg("aws_network_interface.appliance", {})],
		_route("r", "aws_route_table.t", "destination_cidr_block", "0.0.0.0/0", "network_interface_id", "aws_network_interface.appliance"), # regal ignore:line-length
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	contains(_path(pairs, "aws_sagemaker_notebook_instance.nb").message, "network interface aws_network_interface.appliance") # regal ignore:line-length
}

test_aws_route_without_configuration_counts_computed_attributes if {
	route := _rc("aws_route.r", {"destination_cidr_block": "0.0.0.0/0", "route_table_id": "rtb-1"}, {"id": true, "network_interface_id": true}) # regal ignore:line-length
	table := _existing(_rc("aws_route_table.t", {"id": "rtb-1"}, {}))
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), [table, null],
		_association("a", "aws_subnet.a", "aws_route_table.t"), [route, null],
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "warn"
}

test_literal_route_shadows_network_interface if {
	route := [
		_rc("aws_route.r", {"destination_cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-1", "network_interface_id": "eni-1", "instance_id": "i-1"}, {"id": true, "route_table_id": true}), # regal ignore:line-length
		_cfg("aws_route.r", {"route_table_id": _ref("aws_route_table.t")}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _empty_table("t", "aws_vpc.v"),
		_association("a", "aws_subnet.a", "aws_route_table.t"), route,
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	count(p.hops) == 1
	p.hops[0].target == "nat-1"
}

test_instance_shadows_network_interface if {
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _empty_table("t", "aws_vpc.v"),
		_association("a", "aws_subnet.a", "aws_route_table.t"),
		_literal_route("r", "aws_route_table.t", "instance_id", "i-1"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.hops[0].target == "i-1"
	contains(p.message, "instance i-1")
}

test_default_route_table_is_main if {
	default_table := [
		_rc("aws_default_route_table.main", {"route": [_nat_route]}, {"id": true, "default_route_table_id": true, "route": [{"nat_gateway_id": true}]}), # regal ignore:line-length
		_cfg("aws_default_route_table.main", {
			"default_route_table_id": {"references": ["aws_vpc.v.default_route_table_id", "aws_vpc.v"]},
			"route": {"references": ["aws_nat_gateway.n.id", "aws_nat_gateway.n"]},
		}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), default_table, _nat("n", "public"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	contains(_path(pairs, "aws_sagemaker_notebook_instance.nb").message, "aws_default_route_table.main")
}

test_default_route_table_by_known_id if {
	vpc := _existing(_rc("aws_vpc.v", {"id": "vpc-1", "cidr_block": "10.0.0.0/16", "default_route_table_id": "rtb-main"}, {})) # regal ignore:line-length
	default_table := _rc("aws_default_route_table.main", {"default_route_table_id": "rtb-main", "route": [object.union(_nat_route, {"nat_gateway_id": "nat-1"})]}, {}) # regal ignore:line-length
	nat := _existing(_rc("aws_nat_gateway.n", {"id": "nat-1", "connectivity_type": "public"}, {}))
	pairs := [
		[vpc, null], _subnet("a", "aws_vpc.v"), [default_table, null], [nat, null],
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "aws_nat_gateway.n")
}

test_main_association_and_route_to_vpc_main_table if {
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _empty_table("t", "aws_vpc.v"), _nat("n", "public"),
		[
			_rc("aws_main_route_table_association.m", {}, {"vpc_id": true, "route_table_id": true}),
			_cfg("aws_main_route_table_association.m", {"vpc_id": _ref("aws_vpc.v"), "route_table_id": _ref("aws_route_table.t")}), # regal ignore:line-length
		],
		_route("r", "aws_route_table.t", "destination_cidr_block", "0.0.0.0/0", "nat_gateway_id", "aws_nat_gateway.n"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "fail"
}

test_new_vpc_main_table_with_aws_route if {
	route := [
		_rc("aws_route.r", {"destination_cidr_block": "0.0.0.0/0"}, {"id": true, "route_table_id": true, "nat_gateway_id": true}), # regal ignore:line-length
		_cfg("aws_route.r", {
			"route_table_id": {"references": ["aws_vpc.v.main_route_table_id", "aws_vpc.v"]},
			"nat_gateway_id": _ref("aws_nat_gateway.n"),
		}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), _nat("n", "public"), route,
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "fail"
	contains(p.message, "the main route table of aws_vpc.v")
}

test_new_vpc_main_table_alone_passes if {
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	_verdict(pairs, "aws_sagemaker_notebook_instance.nb") == "pass"
}

test_existing_vpc_main_table_unverified if {
	vpc := _existing(_rc("aws_vpc.v", {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}, {}))
	pairs := [
		[vpc, null], _subnet("a", "aws_vpc.v"),
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	p := _path(pairs, "aws_sagemaker_notebook_instance.nb")
	p.verdict == "warn"
	contains(p.message, "the main route table of the VPC of aws_subnet.a is not in this plan")
}

test_route_table_outside_plan_unverified if {
	association := [
		_rc("aws_route_table_association.a", {"route_table_id": "rtb-elsewhere"}, {"subnet_id": true}),
		_cfg("aws_route_table_association.a", {"subnet_id": _ref("aws_subnet.a")}),
	]
	pairs := [
		_vpc("v", "10.0.0.0/16"), _subnet("a", "aws_vpc.v"), association,
		_group("open", "aws_vpc.v", _open_egress), _notebook("nb", "aws_subnet.a", "aws_security_group.open"),
	]
	contains(_path(pairs, "aws_sagemaker_notebook_instance.nb").message, "route table rtb-elsewhere is not in this plan")
}
