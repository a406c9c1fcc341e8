package smguard.rules.domain.domain_vpc_endpoints_test

import data.smguard.rules.domain.domain_vpc_endpoints

# ---------------------------------------------------------------------------
# Fixtures: a VpcOnly domain in aws_vpc.main whose security group
# aws_security_group.studio reaches every required endpoint through
# aws_security_group.endpoints, all created in this plan (IDs unknown).

_res(address, type, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "before": null, "after": after, "after_unknown": after_unknown},
}

_cfg(address, type, expressions) := {"address": address, "mode": "managed", "type": type, "expressions": expressions}

_refs(target) := {"references": [concat("", [target, ".id"]), target]}

_role := "arn:aws:iam::123456789012:role/studio"

_domain(after, after_unknown) := _res(
	"aws_sagemaker_domain.d", "aws_sagemaker_domain",
	object.union(
		{
			"domain_name": "studio",
			"auth_mode": "IAM",
			"app_network_access_type": "VpcOnly",
			"default_space_settings": [],
			"default_user_settings": [{"execution_role": _role, "security_groups": [null]}],
		},
		after,
	),
	object.union(
		{"vpc_id": true, "subnet_ids": true, "default_user_settings": [{"security_groups": [true]}]},
		after_unknown,
	),
)

_domain_cfg_with(expressions) := _cfg("aws_sagemaker_domain.d", "aws_sagemaker_domain", object.union(
	{
		"vpc_id": _refs("aws_vpc.main"),
		"default_user_settings": [{"security_groups": _refs("aws_security_group.studio")}],
	},
	expressions,
))

_domain_cfg := _domain_cfg_with({})

_vpc := _res("aws_vpc.main", "aws_vpc", {"cidr_block": "10.0.0.0/16"}, {"id": true})

_studio_sg := _res("aws_security_group.studio", "aws_security_group", {"name": "studio"}, {"id": true, "ingress": true})

_https_block := {
	"cidr_blocks": [],
	"description": "HTTPS from Studio",
	"from_port": 443,
	"ipv6_cidr_blocks": [],
	"prefix_list_ids": [],
	"protocol": "tcp",
	"security_groups": [null],
	"self": false,
	"to_port": 443,
}

_endpoint_sg_with(blocks, unknown_blocks) := _res(
	"aws_security_group.endpoints", "aws_security_group",
	{"name": "vpce", "ingress": blocks},
	{"id": true, "vpc_id": true, "ingress": unknown_blocks},
)

_endpoint_sg := _endpoint_sg_with([_https_block], [{"security_groups": [true]}])

# aws_security_group.endpoints with one in-line ingress block of known values
_endpoint_sg_block(changes) := [
	_endpoint_sg_with([block], [{"security_groups": []}]),
	_sg_cfg("aws_security_group.endpoints", {"constant_value": [block]}),
] if {
	block := object.union(_https_block, object.union({"security_groups": []}, changes))
}

_sg_cfg(address, ingress_expression) := _cfg(address, "aws_security_group", {
	"vpc_id": _refs("aws_vpc.main"),
	"ingress": ingress_expression,
})

_endpoint_sg_cfg := _sg_cfg("aws_security_group.endpoints", _refs("aws_security_group.studio"))

_interface_services := ["sagemaker.api", "sagemaker.runtime", "sts", "logs", "ecr.api", "ecr.dkr"]

_endpoint_address(service) := concat(".", ["aws_vpc_endpoint", replace(service, ".", "_")])

_endpoint(service, type, dns) := _res(
	_endpoint_address(service), "aws_vpc_endpoint",
	{
		"service_name": concat(".", ["com.amazonaws.eu-west-1", service]),
		"vpc_endpoint_type": type,
		"private_dns_enabled": dns,
		"security_group_ids": [null],
	},
	{"id": true, "vpc_id": true, "security_group_ids": [true]},
)

_endpoint_cfg(service) := _cfg(_endpoint_address(service), "aws_vpc_endpoint", {
	"vpc_id": _refs("aws_vpc.main"),
	"security_group_ids": _refs("aws_security_group.endpoints"),
})

_s3 := _res(
	"aws_vpc_endpoint.s3", "aws_vpc_endpoint",
	{"service_name": "com.amazonaws.eu-west-1.s3", "vpc_endpoint_type": "Gateway", "private_dns_enabled": false},
	{"id": true, "vpc_id": true, "security_group_ids": true, "route_table_ids": true},
)

_s3_cfg := _cfg("aws_vpc_endpoint.s3", "aws_vpc_endpoint", {"vpc_id": _refs("aws_vpc.main")})

_changes := array.concat(
	[_domain({}, {}), _vpc, _studio_sg, _endpoint_sg, _s3],
	[_endpoint(service, "Interface", true) | some service in _interface_services],
)

_configs := array.concat(
	[_domain_cfg, _endpoint_sg_cfg, _s3_cfg],
	[_endpoint_cfg(service) | some service in _interface_services],
)

_plan(changes, configs) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": configs}},
}

# Replaces (or adds) resource changes and configuration blocks by address.
_with(items, replacements) := array.concat(
	[item | some item in items; not item.address in {r.address | some r in replacements}],
	replacements,
)

_p(replacements) := _plan(_with(_changes, replacements), _configs)

_pc(replacements, config_replacements) := _plan(_with(_changes, replacements), _with(_configs, config_replacements))

# A standalone rule resource of the given type opening aws_security_group.endpoints.
_rule(type, after, source_attribute) := [
	_res(concat(".", [type, "https"]), type, after, {"id": true, "security_group_id": true, source_attribute: true}),
	_cfg(concat(".", [type, "https"]), type, {
		"security_group_id": _refs("aws_security_group.endpoints"),
		source_attribute: _refs("aws_security_group.studio"),
	}),
]

# The compliant plan with aws_security_group.endpoints' ingress replaced by a standalone rule.
_p_rule(rule) := _plan(_with(_changes, [_endpoint_sg_with([], []), rule[0]]), array.concat(_configs, [rule[1]]))

_with_endpoints(change) := _with(_changes, [object.union(rc, {"change": change}) |
	some rc in _changes
	rc.type == "aws_vpc_endpoint"
])

_without(items, address) := [item | some item in items; item.address != address]

_message(findings) := f.message if {
	count(findings) == 1
	some f in findings
}

# ---------------------------------------------------------------------------
# Compliant

test_all_endpoints_reachable_passes if {
	count(domain_vpc_endpoints.warn) == 0 with input as _plan(_changes, _configs)
}

test_public_internet_only_domain_not_checked if {
	changes := _with(_changes, [_domain({"app_network_access_type": "PublicInternetOnly"}, {})])
	count(domain_vpc_endpoints.warn) == 0 with input as _plan(_without(changes, "aws_vpc_endpoint.sts"), _configs)
}

test_required_services_come_from_the_configuration if {
	count(domain_vpc_endpoints.warn) == 0 with input as _plan([_domain({}, {}), _vpc], [_domain_cfg])
		with data.smguard.config.settings as {"vpc_endpoints": {"required_services": []}}

	settings := {"vpc_endpoints": {"required_services": ["s3", "sts"]}}
	changes := [_domain({}, {}), _vpc, _studio_sg, _endpoint_sg, _s3, _endpoint("sts", "Interface", true)]
	configs := [_domain_cfg, _endpoint_sg_cfg, _s3_cfg, _endpoint_cfg("sts")]
	count(domain_vpc_endpoints.warn) == 0 with input as _plan(changes, configs)
		with data.smguard.config.settings as settings
	msg := _message(domain_vpc_endpoints.warn) with input as _plan(_without(changes, "aws_vpc_endpoint.sts"), configs)
		with data.smguard.config.settings as settings
	contains(msg, "missing sts.")
}

test_required_services_that_are_not_a_list_require_nothing if {
	count(domain_vpc_endpoints.warn) == 0 with input as _plan([_domain({}, {}), _vpc], [_domain_cfg])
		with data.smguard.config.settings as {"vpc_endpoints": {"required_services": null}}
}

test_known_vpc_ids_match if {
	# the VPC exists outside this plan: no CIDR to compare, but the security groups match
	endpoints := _with_endpoints({"after": {"vpc_id": "vpc-0a1"}, "after_unknown": {"vpc_id": false}})
	changes := _with(endpoints, [_domain({"vpc_id": "vpc-0a1"}, {"vpc_id": false})])
	count(domain_vpc_endpoints.warn) == 0 with input as _plan(_without(changes, "aws_vpc.main"), _configs)
}

test_known_vpc_id_matches_a_reference_to_the_same_planned_vpc if {
	# an existing VPC, updated in this plan: its id is known
	vpc := object.union(_vpc, {"change": {"actions": ["update"], "after": {"id": "vpc-0a1"}}})
	count(domain_vpc_endpoints.warn) == 0 with input as _p([vpc, _domain({"vpc_id": "vpc-0a1"}, {"vpc_id": false})])
}

test_https_from_a_cidr_covering_the_vpc_passes if {
	[sg, sg_cfg] := _endpoint_sg_block({"cidr_blocks": ["10.0.0.0/8"]})
	count(domain_vpc_endpoints.warn) == 0 with input as _pc([sg], [sg_cfg])
}

test_any_rule_admitting_443_passes if {
	every block in [{"protocol": "-1", "from_port": 0, "to_port": 0}, {"from_port": 0, "to_port": 65535}] {
		sg := _endpoint_sg_with([object.union(_https_block, block)], [{"security_groups": [true]}])
		count(domain_vpc_endpoints.warn) == 0 with input as _p([sg])
	}
}

test_standalone_ingress_rule_passes if {
	rule := _rule(
		"aws_vpc_security_group_ingress_rule",
		{"ip_protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_ipv4": null},
		"referenced_security_group_id",
	)
	count(domain_vpc_endpoints.warn) == 0 with input as _p_rule(rule)
}

test_security_group_rule_passes if {
	rule := _rule(
		"aws_security_group_rule",
		{"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "self": false},
		"source_security_group_id",
	)
	count(domain_vpc_endpoints.warn) == 0 with input as _p_rule(rule)
}

test_existing_security_groups_by_known_id_pass if {
	rule := _res(
		"aws_security_group_rule.https", "aws_security_group_rule",
		{
			"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443,
			"security_group_id": "sg-0e", "source_security_group_id": "sg-0s",
		},
		{"id": true},
	)
	domain := _domain(
		{"default_user_settings": [{"execution_role": _role, "security_groups": ["sg-0s"]}]},
		{"default_user_settings": [{"security_groups": [false]}]},
	)
	known_groups := {"after": {"security_group_ids": ["sg-0e"]}, "after_unknown": {"security_group_ids": [false]}}
	endpoints := _with_endpoints(known_groups)
	changes := _with(_without(endpoints, "aws_security_group.endpoints"), [domain, rule])
	count(domain_vpc_endpoints.warn) == 0 with input as _plan(changes, _configs)
}

test_self_referencing_shared_group_passes if {
	[sg, sg_cfg] := _endpoint_sg_block({"self": true})
	domain_cfg := _domain_cfg_with({"default_user_settings": [{"security_groups": _refs("aws_security_group.endpoints")}]})
	count(domain_vpc_endpoints.warn) == 0 with input as _pc([sg], [sg_cfg, domain_cfg])
}

test_shared_spaces_admitted_too_passes if {
	domain := _domain(
		{"default_space_settings": [{"execution_role": _role, "security_groups": [null]}]},
		{"default_space_settings": [{"security_groups": [true]}]},
	)
	domain_cfg := _domain_cfg_with({"default_space_settings": [{"security_groups": _refs("aws_security_group.studio")}]})
	count(domain_vpc_endpoints.warn) == 0 with input as _pc([domain], [domain_cfg])
}

# ---------------------------------------------------------------------------
# Warnings

test_missing_endpoints_listed_in_one_warning if {
	changes := _without(_without(_changes, "aws_vpc_endpoint.sts"), "aws_vpc_endpoint.s3")
	findings := domain_vpc_endpoints.warn with input as _plan(changes, _configs)
	{f.address | some f in findings} == {"aws_sagemaker_domain.d"}
	msg := _message(findings)
	contains(msg, "missing s3, sts")
	contains(msg, "fail to start")
	not contains(msg, "misconfigured")
}

test_no_endpoints_at_all_warned if {
	msg := _message(domain_vpc_endpoints.warn) with input as _plan([_domain({}, {}), _vpc, _studio_sg], [_domain_cfg])
	contains(msg, "missing s3, sagemaker.api, sagemaker.runtime, sts, logs, ecr.api, ecr.dkr")
}

test_endpoints_in_another_vpc_do_not_count if {
	endpoint_cfgs := [object.union(c, {"expressions": {"vpc_id": _refs("aws_vpc.other")}}) |
		some c in _configs
		c.type == "aws_vpc_endpoint"
	]
	changes := array.concat(_changes, [_res("aws_vpc.other", "aws_vpc", {"cidr_block": "10.9.0.0/16"}, {"id": true})])
	msg := _message(domain_vpc_endpoints.warn) with input as _plan(changes, _with(_configs, endpoint_cfgs))
	contains(msg, "missing s3, sagemaker.api")
}

test_s3_interface_endpoint_warned if {
	s3 := object.union(_s3, {"change": {"after": {"vpc_endpoint_type": "Interface"}}})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([s3])
	contains(msg, "misconfigured s3 (aws_vpc_endpoint.s3: vpc_endpoint_type is Interface, not Gateway)")
}

test_s3_default_type_is_gateway if {
	s3 := object.union(_s3, {"change": {"after": {"vpc_endpoint_type": null}}})
	count(domain_vpc_endpoints.warn) == 0 with input as _p([s3])
}

test_gateway_interface_service_warned if {
	msg := _message(domain_vpc_endpoints.warn) with input as _p([_endpoint("sts", "Gateway", true)])
	contains(msg, "misconfigured sts (aws_vpc_endpoint.sts: vpc_endpoint_type is Gateway, not Interface)")
}

test_private_dns_disabled_warned if {
	every dns in [false, null] {
		msg := _message(domain_vpc_endpoints.warn) with input as _p([_endpoint("logs", "Interface", dns)])
		contains(msg, "logs (aws_vpc_endpoint.logs: private_dns_enabled is not true")
	}
}

test_unknown_endpoint_values_warned if {
	ep := _res(
		"aws_vpc_endpoint.logs", "aws_vpc_endpoint",
		{"service_name": "com.amazonaws.eu-west-1.logs", "security_group_ids": [null]},
		{"id": true, "vpc_id": true, "vpc_endpoint_type": true, "private_dns_enabled": true, "security_group_ids": [true]},
	)
	msg := _message(domain_vpc_endpoints.warn) with input as _p([ep])
	contains(msg, "vpc_endpoint_type is unknown until apply")
	contains(msg, "private_dns_enabled is unknown until apply")
}

test_security_group_without_https_from_domain_warned if {
	sg := _endpoint_sg_with([object.union(_https_block, {"from_port": 22, "to_port": 22})], [{"security_groups": [true]}])
	msg := _message(domain_vpc_endpoints.warn) with input as _p([sg])
	contains(msg, "ecr.dkr (aws_vpc_endpoint.ecr_dkr: no ingress rule of its security groups admits TCP 443")
	not contains(msg, "s3 (")
}

test_https_from_another_group_warned if {
	other := _res("aws_security_group.other", "aws_security_group", {"name": "other"}, {"id": true})
	configs := _with(_configs, [_sg_cfg("aws_security_group.endpoints", _refs("aws_security_group.other"))])
	msg := _message(domain_vpc_endpoints.warn) with input as _plan(array.concat(_changes, [other]), configs)
	contains(msg, "no ingress rule of its security groups admits TCP 443")
}

test_cidr_not_covering_the_vpc_warned if {
	[sg, sg_cfg] := _endpoint_sg_block({"cidr_blocks": ["10.0.1.0/24"]})
	msg := _message(domain_vpc_endpoints.warn) with input as _pc([sg], [sg_cfg])
	contains(msg, "no ingress rule of its security groups admits TCP 443")
}

test_udp_443_warned if {
	rule := _rule(
		"aws_vpc_security_group_ingress_rule",
		{"ip_protocol": "udp", "from_port": 443, "to_port": 443, "cidr_ipv4": "0.0.0.0/0"},
		"referenced_security_group_id",
	)
	msg := _message(domain_vpc_endpoints.warn) with input as _p_rule(rule)
	contains(msg, "no ingress rule of its security groups admits TCP 443")
}

test_egress_security_group_rule_does_not_count if {
	rule := _rule(
		"aws_security_group_rule",
		{"type": "egress", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]},
		"source_security_group_id",
	)
	msg := _message(domain_vpc_endpoints.warn) with input as _p_rule(rule)
	contains(msg, "no ingress rule of its security groups is in this plan")
}

test_shared_space_group_not_admitted_warned if {
	domain := _domain({"default_space_settings": [{"execution_role": _role, "security_groups": ["sg-0space"]}]}, {})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([domain])
	contains(msg, "sagemaker.api (aws_vpc_endpoint.sagemaker_api: no ingress rule")
}

test_endpoint_without_security_groups_warned if {
	ep := object.union(_endpoint("sts", "Interface", true), {"change": {
		"after": {"security_group_ids": []},
		"after_unknown": {"security_group_ids": []},
	}})
	ep_cfg := _cfg("aws_vpc_endpoint.sts", "aws_vpc_endpoint", {"vpc_id": _refs("aws_vpc.main")})
	msg := _message(domain_vpc_endpoints.warn) with input as _pc([ep], [ep_cfg])
	contains(msg, "sts (aws_vpc_endpoint.sts: security_group_ids is not set (the VPC's default security group")
}

test_unresolved_endpoint_security_groups_warned if {
	ep := object.union(_endpoint("sts", "Interface", true), {"change": {"after_unknown": {"security_group_ids": true}}})
	ep_cfg := _cfg("aws_vpc_endpoint.sts", "aws_vpc_endpoint", {"vpc_id": _refs("aws_vpc.main")})
	msg := _message(domain_vpc_endpoints.warn) with input as _pc([ep], [ep_cfg])
	contains(msg, "sts (aws_vpc_endpoint.sts: security_group_ids is unknown until apply and refers to no")
}

test_existing_security_groups_without_rules_warned if {
	ep := object.union(_endpoint("sts", "Interface", true), {"change": {
		"after": {"security_group_ids": ["sg-0e"]},
		"after_unknown": {"security_group_ids": [false]},
	}})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([ep])
	contains(msg, "sts (aws_vpc_endpoint.sts: no ingress rule of its security groups is in this plan)")
}

test_several_problems_of_one_endpoint_combined if {
	ep := object.union(_endpoint("sts", "Gateway", false), {"change": {
		"after": {"security_group_ids": []},
		"after_unknown": {"security_group_ids": []},
	}})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([ep])
	contains(msg, "vpc_endpoint_type is Gateway, not Interface, private_dns_enabled is not true")
}

test_endpoint_with_unknown_service_name_mentioned if {
	ep := object.union(_endpoint("sts", "Interface", true), {"change": {
		"after": {"service_name": null},
		"after_unknown": {"service_name": true},
	}})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([ep])
	contains(msg, "missing sts (and 1 aws_vpc_endpoint with a service_name unknown until apply)")
}

test_other_service_names_neither_match_nor_count_as_unknown if {
	renamed := {"change": {"after": {"service_name": "aws.sagemaker.eu-west-1.studio"}}}
	studio := object.union(_endpoint("sts", "Interface", true), renamed)
	msg := _message(domain_vpc_endpoints.warn) with input as _p([studio])
	endswith(substring(msg, 0, indexof(msg, ".")), "missing sts")
}

test_unknown_access_type_warned if {
	domain := _domain({"app_network_access_type": null}, {"app_network_access_type": true})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([domain])
	contains(msg, "app_network_access_type is unknown until apply")
}

test_unresolved_or_missing_vpc_warned if {
	domain_cfg := _domain_cfg_with({"vpc_id": {"references": ["var.vpc_id"]}})
	msg := _message(domain_vpc_endpoints.warn) with input as _pc([], [domain_cfg])
	contains(msg, "vpc_id is unknown until apply and refers to no aws_vpc in this plan")

	domain := _domain({"vpc_id": null}, {"vpc_id": false})
	startswith(_message(domain_vpc_endpoints.warn), "vpc_id is not set") with input as _p([domain])
}

test_unresolved_domain_security_groups_only_pass_by_cidr if {
	domain_cfg := _domain_cfg_with({"default_user_settings": [{"security_groups": {"references": ["var.studio_sg"]}}]})
	msg := _message(domain_vpc_endpoints.warn) with input as _pc([], [domain_cfg])
	contains(msg, "no ingress rule of its security groups admits TCP 443")

	[sg, sg_cfg] := _endpoint_sg_block({"cidr_blocks": ["10.0.0.0/16"]})
	count(domain_vpc_endpoints.warn) == 0 with input as _pc([sg], [domain_cfg, sg_cfg])
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_domain_ignored if {
	domain := object.union(_domain({}, {}), {"change": {"actions": ["delete"]}})
	count(domain_vpc_endpoints.warn) == 0 with input as _plan([domain, _vpc], [_domain_cfg])
}

test_deleted_endpoint_does_not_count if {
	sts := object.union(_endpoint("sts", "Interface", true), {"change": {"actions": ["delete"]}})
	msg := _message(domain_vpc_endpoints.warn) with input as _p([sts])
	contains(msg, "missing sts")
}

_in_module(rc) := object.union(rc, {
	"address": concat(".", ["module.studio", rc.address]),
	"module_address": "module.studio",
})

test_child_module_resolved_in_its_module if {
	configuration := {"root_module": {"module_calls": {"studio": {"module": {"resources": _configs}}}}}
	input_plan := {"resource_changes": [_in_module(rc) | some rc in _changes], "configuration": configuration}
	count(domain_vpc_endpoints.warn) == 0 with input as input_plan

	broken := {
		"resource_changes": [_in_module(rc) | some rc in _without(_changes, "aws_vpc_endpoint.logs")],
		"configuration": configuration,
	}
	findings := domain_vpc_endpoints.warn with input as broken
	{f.address | some f in findings} == {"module.studio.aws_sagemaker_domain.d"}
}

test_each_domain_judged_on_its_own if {
	other := object.union(_domain({}, {}), {"address": "aws_sagemaker_domain.e"})
	unresolved := _domain_cfg_with({"vpc_id": {"references": ["var.vpc_id"]}})
	other_cfg := object.union(unresolved, {"address": "aws_sagemaker_domain.e"})
	input_plan := _plan(array.concat(_changes, [other]), array.concat(_configs, [other_cfg]))
	findings := domain_vpc_endpoints.warn with input as input_plan
	{f.address | some f in findings} == {"aws_sagemaker_domain.e"}
}
