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

deny contains plan.result(rc, sprintf("%s %s not set", [concat(" and ", missing), _are(missing)])) if {
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
		"%s %s unknown until apply and %s not refer to a resource in this plan; %s cannot be verified",
		array.concat([concat(" and ", unresolved)], _verbs[count(unresolved) == 1]),
	)
}

_are(names) := "is" if count(names) == 1

else := "are"

_verbs := {true: ["is", "does", "it"], false: ["are", "do", "they"]}

_missing(rc, path) if {
	not plan.unknown(rc, path)
	not plan.nonempty(plan.value(rc, path))
}

_unresolved(rc, path, type) if {
	plan.unknown(rc, path)
	count(plan.referenced(rc, path, type)) == 0
}
