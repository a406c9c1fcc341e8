# METADATA
# title: VpcOnly Studio domains must have the VPC endpoints Studio needs
# description: |
#   With VpcOnly, Studio apps reach AWS services only through the domain's VPC.
#   Without a VPC endpoint for SageMaker API and runtime,
#   STS, CloudWatch Logs, ECR and S3, Studio apps never start or hang while
#   starting: users report exactly this when an endpoint is missing, has
#   private DNS disabled, or has a security group that does not admit HTTPS
#   from the domain's security groups. The plan may not show endpoints created
#   elsewhere, so this is a warning.
# custom:
#   id: SMG-DOMAIN-006
#   severity: medium
#   resources: [aws_sagemaker_domain]
#   reads:
#     - aws_vpc
#     - aws_vpc_endpoint
#     - aws_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#   remediation: >-
#     In the domain's VPC, add an `aws_vpc_endpoint` with `vpc_endpoint_type = "Gateway"` for
#     s3, and one with `vpc_endpoint_type = "Interface"`, `private_dns_enabled = true` and a
#     security group admitting TCP 443 from the domain's security groups for every other
#     service in `vpc_endpoints.required_services`.
#   aws_concept: AppNetworkAccessType VpcOnly (CreateDomain); interface and gateway VPC endpoints
package smguard.rules.domain.domain_vpc_endpoints

import data.smguard.lib.config
import data.smguard.lib.plan

# What the rule verifies, from the plan alone:
# - an aws_vpc_endpoint is in the domain's VPC when its vpc_id is the same known
#   ID, or both refer to the same aws_vpc of this plan (an aws_vpc with a known
#   id links the two forms);
# - its service is the part of service_name after "com.amazonaws.<region>.";
# - s3 needs vpc_endpoint_type Gateway (the provider's default); the others
#   Interface with private_dns_enabled = true;
# - a security group of the endpoint (security_group_ids, known or referring to
#   an aws_security_group of this plan) admits TCP 443 through an inline
#   `ingress` block, an aws_security_group_rule of type ingress or an
#   aws_vpc_security_group_ingress_rule of this plan, either from a security
#   group of the domain (default_user_settings and, when set,
#   default_space_settings: at least one of each), `self` when the endpoint
#   shares a group with the domain, or from an IPv4 CIDR containing the
#   cidr_block of the domain's aws_vpc.
# Not verified: route tables of the s3 gateway endpoint, subnets of interface
# endpoints, endpoint policies, NACLs, the domain's egress rules, security
# groups attached with aws_vpc_endpoint_security_group_association, and
# anything not in this plan (each shows up in the warning, never as a pass).

_user := ["default_user_settings", 0, "security_groups"]

_space := ["default_space_settings", 0, "security_groups"]

default _required := []

_required := v if {
	v := config.setting(["vpc_endpoints", "required_services"])
	is_array(v)
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_domain")
	plan.unknown(rc, ["app_network_access_type"])
	msg := "app_network_access_type is unknown until apply; the VPC endpoints a VpcOnly domain needs were not checked"
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_domain")
	plan.value(rc, ["app_network_access_type"]) == "VpcOnly"
	count(_vpc_names(rc)) == 0
	msg := concat("; ", [_vpc_problem(rc), "the VPC endpoints a VpcOnly domain needs cannot be found"])
}

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_domain")
	plan.value(rc, ["app_network_access_type"]) == "VpcOnly"
	vpc := _vpc_names(rc)
	count(vpc) > 0
	context := _context(rc, vpc)
	results := [[service, _service_result(service, context)] | some service in _required]
	missing := [service | some [service, result] in results; result == "missing"]
	broken := [sprintf("%s (%s)", [service, result]) | some [service, result] in results; not result in {"missing", "ok"}]
	count(missing) + count(broken) > 0
	msg := concat("", [
		"VpcOnly domain without working VPC endpoints in its VPC: ",
		concat("; ", array.concat(
			[concat(" ", ["missing", concat(", ", missing)]) | count(missing) > 0],
			[concat(" ", ["misconfigured", concat("; ", broken)]) | count(broken) > 0],
		)),
		_unnamed(context),
		". Studio apps fail to start without them (a NAT gateway would route them, and the internet too: SMG-EGRESS-001)",
		" (endpoints created outside this plan are not visible here)",
	])
}

_vpc_problem(rc) := "vpc_id is not set" if {
	not plan.unknown(rc, ["vpc_id"])
} else := "vpc_id is unknown until apply and refers to no aws_vpc in this plan"

# ---------------------------------------------------------------------------
# Names of planned VPCs and security groups: the address and, when known, the
# id. A value that refers to a resource is matched through either.

_named_types := ["aws_vpc", "aws_security_group"]

_own_names(rc) := {rc.address, id} if {
	id := plan.value(rc, ["id"])
	plan.nonempty(id)
} else := {rc.address}

_name_list := [[name, rc.address] |
	some type in _named_types
	some rc in plan.resources(type)
	some name in _own_names(rc)
]

_aliases[name] := {address | some [n, address] in _name_list; n == name} if some [name, _] in _name_list

_addresses_names[address] := _own_names(rc) if {
	some type in _named_types
	some rc in plan.resources(type)
	address := rc.address
}

# Every name of the resources a name stands for; a name of nothing in this
# plan (an existing resource's ID) stands for itself.
_expand(names) := union({_all_names(name) | some name in names})

_all_names(name) := union({object.get(_addresses_names, address, {address}) |
	some address in object.get(_aliases, name, {name})
})

# The names an attribute holds: its known strings and, when it is unknown, the
# resources of the type it refers to.
_names(rc, path, type) := _expand(_known(rc, path) | _referenced(rc, path, type))

_known(rc, path) := {v | some v in _list(plan.value(rc, path)); plan.nonempty(v)}

_list(v) := [v] if is_string(v)

else := v if is_array(v)

else := []

_referenced(rc, path, type) := {t.address | some t in plan.referenced(rc, path, type)} if {
	plan.unknown(rc, path)
} else := set()

_vpc_names(rc) := _names(rc, ["vpc_id"], "aws_vpc")

# ---------------------------------------------------------------------------
# The domain

_context(rc, vpc) := {
	"endpoints": union({object.get(_endpoints_in, name, set()) | some name in vpc}),
	"groups": [_names(rc, path, "aws_security_group") | some path in _group_paths(rc)],
	"cidrs": {cidr |
		some vpc_rc in plan.resources("aws_vpc")
		count(_own_names(vpc_rc) & vpc) > 0
		cidr := plan.value(vpc_rc, ["cidr_block"])
		_ipv4_cidr(cidr)
	},
}

_group_paths(rc) := [_user, _space] if {
	plan.nonempty(plan.value(rc, ["default_space_settings"]))
} else := [_user]

# ---------------------------------------------------------------------------
# Endpoints. What does not depend on the domain is computed once per plan,
# indexed by address.

_service(ep) := concat(".", array.slice(parts, 3, count(parts))) if {
	name := plan.value(ep, ["service_name"])
	is_string(name)
	parts := split(name, ".")
	count(parts) > 3
	parts[0] == "com"
	parts[1] == "amazonaws"
}

_endpoint_services[ep.address] := _service(ep) if some ep in plan.resources("aws_vpc_endpoint")

# Endpoint addresses by the names of their VPC.
_endpoint_vpcs := [[name, ep.address] | some ep in plan.resources("aws_vpc_endpoint"); some name in _vpc_names(ep)]

_endpoints_in[name] := {address | some [n, address] in _endpoint_vpcs; n == name} if some [name, _] in _endpoint_vpcs

# Problems of the endpoint itself: its type, and for interface services its private DNS.
_endpoint_problems[ep.address] := array.concat(
	[p | p := _type_problem(ep, _wanted_type(service))],
	[p | service != "s3"; p := _dns_problem(ep)],
) if {
	some ep in plan.resources("aws_vpc_endpoint")
	service := _service(ep)
}

_endpoint_group_names[ep.address] := _names(ep, ["security_group_ids"], "aws_security_group") if {
	some ep in plan.resources("aws_vpc_endpoint")
}

# The ingress rules of the endpoint's security groups, or why there are none to check.
_endpoint_ingress[ep.address] := _ingress(ep, object.get(_endpoint_group_names, ep.address, set())) if {
	some ep in plan.resources("aws_vpc_endpoint")
}

_ingress(ep, groups) := concat(" ", [
	"security_group_ids is not set",
	"(the VPC's default security group, which this plan does not show, is used)",
]) if {
	not plan.unknown(ep, ["security_group_ids"])
	count(groups) == 0
} else := "security_group_ids is unknown until apply and refers to no aws_security_group in this plan" if {
	count(groups) == 0
} else := "no ingress rule of its security groups is in this plan" if {
	count(_grants_of(groups)) == 0
} else := _grants_of(groups)

_grants_of(groups) := [grant | some name in groups; some grant in object.get(_grants_to, name, [])]

_candidates(service, context) := [address |
	some address in context.endpoints
	object.get(_endpoint_services, address, null) == service
]

_unnamed(context) := sprintf(" (and %d aws_vpc_endpoint with a service_name unknown until apply)", [n]) if {
	n := count([address | some address in context.endpoints; address in _unknown_services])
	n > 0
} else := ""

_unknown_services contains ep.address if {
	some ep in plan.resources("aws_vpc_endpoint")
	plan.unknown(ep, ["service_name"])
}

# "missing", "ok", or what is wrong with each endpoint of the service.
_service_result(service, context) := "missing" if {
	count(_candidates(service, context)) == 0
} else := "ok" if {
	some address in _candidates(service, context)
	count(_problems(service, address, context)) == 0
} else := concat("; ", [sprintf("%s: %s", [address, concat(", ", _problems(service, address, context))]) |
	some address in _candidates(service, context)
])

_problems(service, address, context) := array.concat(
	object.get(_endpoint_problems, address, []),
	[p | service != "s3"; p := _group_problem(object.get(_endpoint_ingress, address, []), context)],
)

_wanted_type("s3") := "Gateway"

_wanted_type(service) := "Interface" if service != "s3"

# vpc_endpoint_type defaults to Gateway.
_endpoint_type(ep) := t if {
	t := plan.value(ep, ["vpc_endpoint_type"])
	is_string(t)
} else := "Gateway"

_type_problem(ep, wanted) := "vpc_endpoint_type is unknown until apply" if {
	plan.unknown(ep, ["vpc_endpoint_type"])
} else := sprintf("vpc_endpoint_type is %s, not %s", [_endpoint_type(ep), wanted]) if {
	_endpoint_type(ep) != wanted
}

_dns_problem(ep) := "private_dns_enabled is unknown until apply" if {
	plan.unknown(ep, ["private_dns_enabled"])
} else := "private_dns_enabled is not true (the default is false)" if {
	plan.value(ep, ["private_dns_enabled"]) != true
}

_group_problem(ingress, context) := ingress if {
	is_string(ingress)
} else := concat(" ", [
	"no ingress rule of its security groups admits TCP 443",
	"from the domain's security groups or the VPC's CIDR",
]) if {
	not _admitted(ingress, context)
}

# ---------------------------------------------------------------------------
# Ingress rules, by the names of the security group they open: {"targets":
# names, "https": whether TCP 443 is admitted, "sources": names of source
# security groups, "cidrs": source IPv4 CIDRs}

_grants := array.concat(array.concat(_inline_grants, _rule_grants), _ingress_rule_grants)

_grant_targets contains name if {
	some grant in _grants
	some name in grant.targets
}

_grants_to[name] := [grant | some grant in _grants; name in grant.targets] if some name in _grant_targets

_admitted(grants, context) if {
	some grant in grants
	grant.https
	some cidr in grant.cidrs
	some vpc_cidr in context.cidrs
	net.cidr_contains(cidr, vpc_cidr)
}

_admitted(grants, context) if {
	every group in context.groups {
		some grant in grants
		grant.https
		count(grant.sources & group) > 0
	}
}

_is_https(protocol, from, to) if {
	_https(protocol, from, to)
} else := false

_https(protocol, _, _) if _lower(protocol) in {"-1", "all"}

_https(protocol, from, to) if {
	_lower(protocol) in {"tcp", "6"}
	is_number(from)
	is_number(to)
	from <= 443
	to >= 443
}

_lower(s) := lower(s) if is_string(s)

_cidrs(v) := {c | some c in _list(v); _ipv4_cidr(c)}

_ipv4_cidr(c) if {
	is_string(c)
	regex.match(`^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$`, c)
}

_self(rc, path, targets) := targets if {
	object.get(plan.after(rc), path, false) == true
} else := set()

# In-line `ingress` blocks of aws_security_group. A block whose
# security_groups are unknown until apply counts the security groups the
# `ingress` argument refers to (the plan's configuration does not say which
# block holds which reference).
_inline_grants := [grant |
	some rc in plan.resources("aws_security_group")
	some i, block in _list(plan.value(rc, ["ingress"]))
	targets := _own_names(rc)
	grant := {
		"targets": targets,
		"https": _is_https(object.get(block, "protocol", null), object.get(block, "from_port", null), object.get(block, "to_port", null)), # regal ignore:line-length
		"sources": (_inline_sources(rc, i, block) | _self(rc, ["ingress", i, "self"], targets)),
		"cidrs": _cidrs(object.get(block, "cidr_blocks", [])),
	}
]

_inline_sources(rc, i, block) := _expand(_inline_known(block) | _inline_referenced(rc, i))

_inline_known(block) := {g | some g in _list(object.get(block, "security_groups", [])); plan.nonempty(g)}

_inline_referenced(rc, i) := {t.address |
	some path in [["ingress"], ["ingress", i, "security_groups"]]
	some t in plan.referenced(rc, path, "aws_security_group")
} if {
	plan.unknown(rc, ["ingress", i, "security_groups"])
} else := set()

_rule_grants := [grant |
	some rc in plan.resources("aws_security_group_rule")
	plan.value(rc, ["type"]) == "ingress"
	targets := _names(rc, ["security_group_id"], "aws_security_group")
	grant := {
		"targets": targets,
		"https": _is_https(plan.value(rc, ["protocol"]), plan.value(rc, ["from_port"]), plan.value(rc, ["to_port"])),
		"sources": (_names(rc, ["source_security_group_id"], "aws_security_group") | _self(rc, ["self"], targets)),
		"cidrs": _cidrs(plan.value(rc, ["cidr_blocks"])),
	}
]

_ingress_rule_grants := [grant |
	some rc in plan.resources("aws_vpc_security_group_ingress_rule")
	grant := {
		"targets": _names(rc, ["security_group_id"], "aws_security_group"),
		"https": _is_https(plan.value(rc, ["ip_protocol"]), plan.value(rc, ["from_port"]), plan.value(rc, ["to_port"])),
		"sources": _names(rc, ["referenced_security_group_id"], "aws_security_group"),
		"cidrs": _cidrs(plan.value(rc, ["cidr_ipv4"])),
	}
]
