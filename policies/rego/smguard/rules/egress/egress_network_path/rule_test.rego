package smguard.rules.egress.egress_network_path_test

import data.smguard.lib.network_test as build
import data.smguard.rules.egress.egress_network_path as rule

_nat_route := build._inline("cidr_block", "0.0.0.0/0", "nat_gateway_id", null)

_plan(routes, marks, refs, workloads) := build._plan(array.concat(
	[
		build._vpc("v", "10.0.0.0/16"),
		build._subnet("a", "aws_vpc.v"),
		build._table("t", "aws_vpc.v", routes, marks, refs),
		build._association("a", "aws_subnet.a", "aws_route_table.t"),
		build._nat("n", "public"),
		build._group("open", "aws_vpc.v", build._open_egress),
	],
	workloads,
))

_nat_plan(workloads) := _plan([_nat_route], [{"nat_gateway_id": true}], ["aws_nat_gateway.n.id", "aws_nat_gateway.n"], workloads) # regal ignore:line-length

_addresses(results) := {r.address | some r in results}

test_nat_path_denied if {
	workloads := [
		build._notebook("nb", "aws_subnet.a", "aws_security_group.open"),
		build._model("m", "aws_subnet.a", "aws_security_group.open", false),
		build._domain("d", "aws_subnet.a", "aws_security_group.open", "VpcOnly"),
	]
	denied := rule.deny with input as _nat_plan(workloads)
	_addresses(denied) == {
		"aws_sagemaker_notebook_instance.nb",
		"aws_sagemaker_model.m",
		"aws_sagemaker_domain.d",
	}
	count(rule.warn) == 0 with input as _nat_plan(workloads)
	every r in denied {
		contains(r.message, "reaches the internet")
	}
}

test_isolated_model_no_finding if {
	workloads := [build._model("m", "aws_subnet.a", "aws_security_group.open", true)]
	count(rule.deny) == 0 with input as _nat_plan(workloads)
	count(rule.warn) == 0 with input as _nat_plan(workloads)
}

test_transit_gateway_warned if {
	route := build._inline("cidr_block", "0.0.0.0/0", "transit_gateway_id", "tgw-1")
	input_plan := _plan([route], [{}], [], [build._notebook("nb", "aws_subnet.a", "aws_security_group.open")])
	warned := rule.warn with input as input_plan
	_addresses(warned) == {"aws_sagemaker_notebook_instance.nb"}
	count(rule.deny) == 0 with input as input_plan
}

test_no_route_out_passes if {
	input_plan := _plan([], [], [], [build._notebook("nb", "aws_subnet.a", "aws_security_group.open")])
	count(rule.deny) == 0 with input as input_plan
	count(rule.warn) == 0 with input as input_plan
}

test_deleted_workload_ignored if {
	nb := build._notebook("nb", "aws_subnet.a", "aws_security_group.open")
	gone := object.union(nb[0], {"change": {"actions": ["delete"], "after": null}})
	count(rule.deny) == 0 with input as _nat_plan([[gone, nb[1]]])
}
