# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.domain.domain_vpc_placement_test

import data.smguard.rules.domain.domain_vpc_placement

# ---------------------------------------------------------------------------
# Fixtures

_domain(after, after_unknown) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": object.union({"domain_name": "studio", "app_network_access_type": "VpcOnly"}, after),
		"after_unknown": object.union({"arn": true, "id": true}, after_unknown),
	},
}

_placed := _domain({"vpc_id": "vpc-1", "subnet_ids": ["subnet-1", "subnet-2"]}, {})

# vpc_id and subnet_ids both unknown until apply.
_unknown := _domain({}, {"vpc_id": true, "subnet_ids": true})

_resource(address, type) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}},
}

# Configuration of the domain, with the references of vpc_id and subnet_ids.
_config(vpc_refs, subnet_refs) := {
	"address": "aws_sagemaker_domain.d",
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"expressions": {
		"vpc_id": {"references": vpc_refs},
		"subnet_ids": {"references": subnet_refs},
	},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# ---------------------------------------------------------------------------
# Compliant

test_known_vpc_and_subnets_pass if {
	count(domain_vpc_placement.deny) == 0 with input as _plan([_placed], [])
	count(domain_vpc_placement.warn) == 0 with input as _plan([_placed], [])
}

test_unknown_values_referring_to_planned_vpc_and_subnets_pass if {
	changes := [
		_unknown,
		_resource("aws_vpc.main", "aws_vpc"),
		_resource("aws_subnet.private[0]", "aws_subnet"),
		_resource("aws_subnet.private[1]", "aws_subnet"),
	]
	config := [_config(["aws_vpc.main.id", "aws_vpc.main"], ["aws_subnet.private"])]
	count(domain_vpc_placement.deny) == 0 with input as _plan(changes, config)
	count(domain_vpc_placement.warn) == 0 with input as _plan(changes, config)
}

# ---------------------------------------------------------------------------
# Failing conditions

test_missing_vpc_id_denied if {
	every vpc_id in [null, ""] {
		rc := _domain({"vpc_id": vpc_id, "subnet_ids": ["subnet-1"]}, {})
		findings := domain_vpc_placement.deny with input as _plan([rc], [])
		_addresses(findings) == {"aws_sagemaker_domain.d"}
		_message(findings, "aws_sagemaker_domain.d") == "vpc_id is not set"
	}
}

test_missing_subnet_ids_denied if {
	every subnet_ids in [null, []] {
		rc := _domain({"vpc_id": "vpc-1", "subnet_ids": subnet_ids}, {})
		findings := domain_vpc_placement.deny with input as _plan([rc], [])
		_addresses(findings) == {"aws_sagemaker_domain.d"}
		contains(_message(findings, "aws_sagemaker_domain.d"), "subnet_ids")
		not contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id")
	}
}

test_both_absent_denied_in_one_finding if {
	findings := domain_vpc_placement.deny with input as _plan([_domain({}, {})], [])
	count(findings) == 1
	contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id and subnet_ids")
}

test_missing_attribute_is_a_failure_not_a_warning if {
	rc := _domain({"subnet_ids": []}, {"vpc_id": true})
	input_plan := _plan([rc], [_config(["var.vpc_id"], [])])
	findings := domain_vpc_placement.deny with input as input_plan
	_message(findings, "aws_sagemaker_domain.d") == "subnet_ids is not set"
	count(domain_vpc_placement.warn) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Warnings: unknown until apply and not created in this plan

test_unknown_vpc_id_from_variable_warned if {
	rc := _domain({"subnet_ids": ["subnet-1"]}, {"vpc_id": true})
	input_plan := _plan([rc], [_config(["var.vpc_id"], [])])
	findings := domain_vpc_placement.warn with input as input_plan
	_addresses(findings) == {"aws_sagemaker_domain.d"}
	contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id is unknown")
	count(domain_vpc_placement.deny) == 0 with input as input_plan
}

test_unknown_subnets_from_data_source_warned if {
	rc := _domain({"vpc_id": "vpc-1"}, {"subnet_ids": true})
	input_plan := _plan([rc], [_config([], ["data.aws_subnets.private.ids", "data.aws_subnets.private"])])
	findings := domain_vpc_placement.warn with input as input_plan
	contains(_message(findings, "aws_sagemaker_domain.d"), "subnet_ids is unknown")
}

test_both_unresolved_warned_in_one_finding if {
	input_plan := _plan([_unknown], [_config(["module.network.vpc_id"], ["module.network.private_subnets"])])
	findings := domain_vpc_placement.warn with input as input_plan
	count(findings) == 1
	contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id and subnet_ids")
}

test_unknown_without_configuration_warned if {
	_addresses(domain_vpc_placement.warn) == {"aws_sagemaker_domain.d"} with input as {"resource_changes": [_unknown]}
}

test_reference_to_wrong_type_warned if {
	changes := [_unknown, _resource("aws_vpc.main", "aws_vpc"), _resource("aws_security_group.g", "aws_security_group")]
	config := [_config(["aws_vpc.main.id"], ["aws_security_group.g.id"])]
	findings := domain_vpc_placement.warn with input as _plan(changes, config)
	startswith(_message(findings, "aws_sagemaker_domain.d"), "subnet_ids is unknown until apply")
	not contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id")
}

test_reference_to_deleted_vpc_warned if {
	changes := [
		_unknown,
		_with_actions(_resource("aws_vpc.old", "aws_vpc"), ["delete"]),
		_resource("aws_subnet.a", "aws_subnet"),
	]
	config := [_config(["aws_vpc.old.id"], ["aws_subnet.a.id"])]
	findings := domain_vpc_placement.warn with input as _plan(changes, config)
	contains(_message(findings, "aws_sagemaker_domain.d"), "vpc_id is unknown")
}

test_unknown_list_elements_from_module_output_warned if {
	# a known list of unknown elements: `[null]` in after, `[true]` in after_unknown
	rc := _domain({"vpc_id": "vpc-1", "subnet_ids": [null]}, {"subnet_ids": [true]})
	input_plan := _plan([rc], [_config([], ["module.network.private_subnet_id"])])
	findings := domain_vpc_placement.warn with input as input_plan
	contains(_message(findings, "aws_sagemaker_domain.d"), "subnet_ids is unknown")
	count(domain_vpc_placement.deny) == 0 with input as input_plan
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_domain_ignored if {
	rc := _with_actions(_domain({}, {}), ["delete"])
	count(domain_vpc_placement.deny) == 0 with input as _plan([rc], [])
	count(domain_vpc_placement.warn) == 0 with input as _plan([_with_actions(_unknown, ["delete"])], [])
}

test_replaced_updated_and_unchanged_domains_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["update"], ["no-op"]] {
		rc := _with_actions(_domain({}, {}), actions)
		_addresses(domain_vpc_placement.deny) == {"aws_sagemaker_domain.d"} with input as _plan([rc], [])
	}
}

# ---------------------------------------------------------------------------
# Child modules

_module_plan(changes) := {
	"resource_changes": changes,
	"configuration": {"root_module": {"module_calls": {"studio": {
		"source": "./studio",
		"module": {"resources": [_config(["aws_vpc.main.id"], ["aws_subnet.private"])]},
	}}}},
}

test_child_module_references_resolved_in_the_same_module if {
	changes := [
		_in_module(_unknown, "module.studio"),
		_in_module(_resource("aws_vpc.main", "aws_vpc"), "module.studio"),
		_in_module(_resource("aws_subnet.private[0]", "aws_subnet"), "module.studio"),
	]
	count(domain_vpc_placement.warn) == 0 with input as _module_plan(changes)
	count(domain_vpc_placement.deny) == 0 with input as _module_plan(changes)
}

test_child_module_references_do_not_resolve_to_root_resources if {
	changes := [
		_in_module(_unknown, "module.studio"),
		_resource("aws_vpc.main", "aws_vpc"),
		_resource("aws_subnet.private[0]", "aws_subnet"),
	]
	findings := domain_vpc_placement.warn with input as _module_plan(changes)
	_addresses(findings) == {"module.studio.aws_sagemaker_domain.d"}
	contains(_message(findings, "module.studio.aws_sagemaker_domain.d"), "vpc_id and subnet_ids")
}

test_child_module_domain_denied_with_full_address if {
	rc := _in_module(_domain({}, {}), `module.studio["dev"]`)
	_addresses(domain_vpc_placement.deny) == {`module.studio["dev"].aws_sagemaker_domain.d`} with input as _plan([rc], [])
}
