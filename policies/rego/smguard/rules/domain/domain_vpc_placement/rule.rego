# METADATA
# title: Studio domains must name their VPC and subnets
# description: |
#   A domain's `vpc_id` and `subnet_ids` decide where Studio apps run and,
#   with VpcOnly, where all their traffic goes. Both must be set; values that
#   are unknown until apply and refer to nothing in this plan cannot be verified.
# custom:
#   id: SMG-DOMAIN-002
#   severity: medium
#   resources: [aws_sagemaker_domain]
#   reads: [aws_vpc, aws_subnet]
#   remediation: Set `vpc_id` and `subnet_ids` on the `aws_sagemaker_domain` to the VPC and private subnets it must use.
#   aws_concept: VpcId and SubnetIds (CreateDomain)
package smguard.rules.domain.domain_vpc_placement

import data.smguard.lib.plan

_attributes := [[["vpc_id"], "aws_vpc"], [["subnet_ids"], "aws_subnet"]]

deny contains plan.result(rc, sprintf("%s is not set", [concat(" and ", missing)])) if {
	some rc in plan.resources("aws_sagemaker_domain")
	missing := [path[0] | some [path, _] in _attributes; _missing(rc, path)]
	count(missing) > 0
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_domain")
	count([path | some [path, _] in _attributes; _missing(rc, path)]) == 0
	unresolved := [path[0] | some [path, type] in _attributes; _unresolved(rc, path, type)]
	count(unresolved) > 0
	msg := sprintf(
		"%s is unknown until apply and does not refer to a resource in this plan; it cannot be verified",
		[concat(" and ", unresolved)],
	)
}

_missing(rc, path) if {
	not plan.unknown(rc, path)
	not plan.nonempty(plan.value(rc, path))
}

_unresolved(rc, path, type) if {
	plan.unknown(rc, path)
	count(plan.referenced(rc, path, type)) == 0
}
