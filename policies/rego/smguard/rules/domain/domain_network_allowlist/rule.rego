# METADATA
# title: Studio domains must use allowlisted VPCs and subnets
# description: |
#   A domain's `vpc_id` and `subnet_ids` decide which network every Studio app
#   joins, and with VpcOnly which routes, endpoints and firewalls its traffic
#   meets. When `allowlists.vpcs` or `allowlists.subnets` is configured, the
#   domain must use only those. IDs unknown until apply (such as those of a VPC
#   or subnet created in the same plan) cannot be checked and are warned about.
# custom:
#   id: SMG-DOMAIN-003
#   severity: high
#   resources: [aws_sagemaker_domain]
#   remediation: >-
#     Set `vpc_id` and `subnet_ids` on the `aws_sagemaker_domain` to a VPC and
#     subnets listed in `allowlists.vpcs` and `allowlists.subnets`, or add the
#     approved IDs to the allowlists.
#   aws_concept: VpcId and SubnetIds (CreateDomain)
package smguard.rules.domain.domain_network_allowlist

import data.smguard.lib.config
import data.smguard.lib.plan

deny contains plan.result(rc, concat("; ", array.concat(denials, _unverifiable(rc)))) if {
	some rc in plan.resources("aws_sagemaker_domain")
	denials := _denials(rc)
	count(denials) > 0
}

warn contains plan.result(rc, concat("; ", unverifiable)) if {
	some rc in plan.resources("aws_sagemaker_domain")
	count(_denials(rc)) == 0
	unverifiable := _unverifiable(rc)
	count(unverifiable) > 0
}

_vpcs := _list(config.setting(["allowlists", "vpcs"]))

_subnets := _list(config.setting(["allowlists", "subnets"]))

_denials(rc) := array.concat(_vpc_denials(rc), _subnet_denials(rc))

_unverifiable(rc) := array.concat(_vpc_unverifiable(rc), _subnet_unverifiable(rc))

# vpc_id ----------------------------------------------------------------------

_vpc_denials(rc) := [msg] if {
	count(_vpcs) > 0
	not plan.unknown(rc, ["vpc_id"])
	msg := _vpc_denial(plan.value(rc, ["vpc_id"]))
} else := []

_vpc_denial(vpc_id) := "vpc_id is not set, so it is not in allowlists.vpcs" if {
	not plan.nonempty(vpc_id)
} else := sprintf("vpc_id %q is not in allowlists.vpcs", [vpc_id]) if {
	not vpc_id in _vpcs
}

_vpc_unverifiable(rc) := ["vpc_id is unknown until apply; it cannot be checked against allowlists.vpcs"] if {
	count(_vpcs) > 0
	plan.unknown(rc, ["vpc_id"])
} else := []

# subnet_ids ------------------------------------------------------------------

_known_subnets(rc) := [s | some s in _list(plan.value(rc, ["subnet_ids"])); is_string(s)]

_list(v) := v if is_array(v)

else := []

_subnet_denials(rc) := ["subnet_ids is not set, so none is in allowlists.subnets"] if {
	count(_subnets) > 0
	not plan.unknown(rc, ["subnet_ids"])
	count(_known_subnets(rc)) == 0
} else := [msg] if {
	count(_subnets) > 0
	outside := sort({sprintf("%q", [s]) | some s in _known_subnets(rc); not s in _subnets})
	count(outside) > 0
	msg := sprintf("subnet_ids %s not in allowlists.subnets", [_are(outside)])
} else := []

_are(quoted) := sprintf("%s is", [quoted[0]]) if count(quoted) == 1

else := sprintf("%s are", [concat(", ", quoted)])

_subnet_unverifiable(rc) := [msg] if {
	count(_subnets) > 0
	plan.unknown(rc, ["subnet_ids"])
	msg := "subnet_ids (or some of them) are unknown until apply; they cannot be checked against allowlists.subnets"
} else := []
