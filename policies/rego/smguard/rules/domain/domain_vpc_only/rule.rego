# METADATA
# title: Studio domains must use VpcOnly network access
# description: |
#   With `PublicInternetOnly`, the default when the attribute is absent, Studio
#   apps reach the internet through a SageMaker-managed network. `VpcOnly`
#   sends all Studio traffic through the domain's subnets, where your security
#   groups, VPC endpoints and route tables decide what it can reach.
# custom:
#   id: SMG-DOMAIN-001
#   severity: high
#   resources: [aws_sagemaker_domain]
#   remediation: >-
#     Set `app_network_access_type = "VpcOnly"` on the `aws_sagemaker_domain`, and
#     provide `aws_vpc_endpoint`s in its VPC (SMG-DOMAIN-006), with no route from its
#     `subnet_ids` to a public NAT gateway or internet gateway (SMG-EGRESS-001); egress that
#     must leave the VPC goes to a target listed in `egress.allowed_targets`.
#   aws_concept: AppNetworkAccessType (CreateDomain)
package smguard.rules.domain.domain_vpc_only

import data.smguard.lib.plan

deny contains plan.result(rc, _problem(rc)) if {
	some rc in plan.resources("aws_sagemaker_domain")
	plan.value(rc, ["app_network_access_type"]) != "VpcOnly"
}

_problem(rc) := "app_network_access_type is unknown until apply; it must be VpcOnly" if {
	plan.unknown(rc, ["app_network_access_type"])
} else := "app_network_access_type is not set (the default is PublicInternetOnly)" if {
	plan.value(rc, ["app_network_access_type"]) == null
} else := sprintf("app_network_access_type is %v; it must be VpcOnly", [plan.value(rc, ["app_network_access_type"])])
