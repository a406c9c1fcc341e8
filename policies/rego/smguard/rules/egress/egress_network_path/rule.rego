# METADATA
# title: SageMaker workloads in a VPC must have no network path to the internet or out of the VPC
# description: |
#   Network isolation flags say nothing about the VPC a workload runs in: a
#   VpcOnly Studio domain, a notebook instance with direct internet access
#   disabled, or a model or monitoring job that is not network-isolated reaches
#   the internet through any NAT gateway its subnets route to. This rule follows
#   each subnet to its route table (its association, else the VPC's main table),
#   its routes (inline and aws_route, IPv4 and IPv6) and their targets: a public
#   NAT gateway, an egress-only gateway from an IPv6 subnet, or ::/0 to an
#   internet gateway from an IPv6 subnet fails; a default route to an internet
#   gateway (a public subnet), or to a transit gateway, peering connection,
#   network interface, instance, Gateway Load Balancer endpoint, VPN, local or
#   carrier gateway or Cloud WAN core network not listed in
#   `egress.allowed_targets` warns. Security groups that allow egress only to
#   the VPC's own CIDRs, prefix lists or security groups close the path. What
#   the plan cannot show (subnets, route tables or NAT gateways from data
#   sources, variables or other states) warns: `smguard audit` can verify it.
#   NACLs, Network Firewall rules, DNS and proxies are not evaluated.
# custom:
#   id: SMG-EGRESS-001
#   severity: high
#   resources:
#     - aws_sagemaker_domain
#     - aws_sagemaker_notebook_instance
#     - aws_sagemaker_model
#     - aws_sagemaker_data_quality_job_definition
#     - aws_sagemaker_model_quality_job_definition
#     - aws_sagemaker_model_bias_job_definition
#     - aws_sagemaker_model_explainability_job_definition
#     - aws_sagemaker_training_job
#     - aws_sagemaker_processing_job
#   reads:
#     - aws_vpc
#     - aws_subnet
#     - aws_route_table
#     - aws_default_route_table
#     - aws_route_table_association
#     - aws_main_route_table_association
#     - aws_route
#     - aws_nat_gateway
#     - aws_internet_gateway
#     - aws_egress_only_internet_gateway
#     - aws_vpn_gateway
#     - aws_ec2_transit_gateway
#     - aws_vpc_peering_connection
#     - aws_network_interface
#     - aws_instance
#     - aws_vpc_endpoint
#     - aws_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_egress_rule
#   remediation: >-
#     Give the workload's subnets (`subnet_ids`, `subnet_id`, `vpc_config.subnets`) a route
#     table without a `0.0.0.0/0` or `::/0` route to a public `nat_gateway_id`,
#     `egress_only_gateway_id` or internet `gateway_id`, and reach AWS services through
#     `aws_vpc_endpoint`s instead; send egress that must leave the VPC to an inspected target
#     listed in `egress.allowed_targets`; or restrict every security group of the workload to
#     egress to the VPC's CIDR, prefix lists or security groups (`egress` blocks,
#     `aws_vpc_security_group_egress_rule`).
#   aws_concept: VPC route tables, NAT gateways and security-group egress of SageMaker ENIs
#   limits: >-
#     Followed in a plan or source scan: the subnets, route tables, route table associations,
#     main route tables (aws_main_route_table_association, aws_default_route_table, the table
#     of a VPC created in the plan), routes (inline `route` blocks and aws_route), NAT gateways
#     and security groups (inline `egress`, aws_security_group_rule,
#     aws_vpc_security_group_egress_rule) of the plan, by known ID or by reference. Only
#     `smguard audit` can see what the plan does not hold: subnets, route tables, NAT gateways
#     and security groups from data sources, variables, other states or created by hand, the
#     main route table of an existing VPC, and whether a NAT gateway outside the plan is
#     public; these warn. Out of reach everywhere: network ACLs, AWS Network Firewall and
#     Gateway Load Balancer appliance rules, what lies beyond a transit gateway, peering
#     connection or VPN, DNS (Route 53 Resolver DNS Firewall, exfiltration over DNS),
#     proxies, prefix-list contents, user profiles' and spaces' own security groups, and
#     pipeline steps. A workload with no subnets (no `vpc_config`, a PublicInternetOnly
#     domain) is the other rules' concern and passes here.
package smguard.rules.egress.egress_network_path

import data.smguard.lib.network
import data.smguard.lib.plan

# The path of every workload is worked out once, in lib/network.
deny contains plan.result(rc, path.message) if {
	some type in network.workload_types
	some rc in plan.resources(type)
	path := object.get(network.paths, rc.address, null)
	path.verdict == "fail"
}

warn contains plan.result(rc, path.message) if {
	some type in network.workload_types
	some rc in plan.resources(type)
	path := object.get(network.paths, rc.address, null)
	path.verdict == "warn"
}
