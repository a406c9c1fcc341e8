# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.domain.domain_vpc_only_test

import data.smguard.rules.domain.domain_vpc_only

# ---------------------------------------------------------------------------
# Fixtures

_domain(address, after, after_unknown) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_domain",
	"change": {
		"actions": ["create"],
		"after": object.union({"domain_name": "studio", "auth_mode": "IAM", "vpc_id": "vpc-1"}, after),
		"after_unknown": object.union({"arn": true, "id": true, "url": true}, after_unknown),
	},
}

_vpc_only := _domain("aws_sagemaker_domain.d", {"app_network_access_type": "VpcOnly"}, {})

_public := _domain("aws_sagemaker_domain.d", {"app_network_access_type": "PublicInternetOnly"}, {})

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_in_module(rc, module_address) := object.union(rc, {
	"address": concat(".", [module_address, rc.address]),
	"module_address": module_address,
})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

# ---------------------------------------------------------------------------
# Compliant

test_vpc_only_domain_passes if {
	count(domain_vpc_only.deny) == 0 with input as _plan([_vpc_only])
}

test_other_resource_types_ignored if {
	rc := object.union(_public, {"address": "aws_sagemaker_space.s", "type": "aws_sagemaker_space"})
	count(domain_vpc_only.deny) == 0 with input as _plan([rc])
}

# ---------------------------------------------------------------------------
# Failing conditions

test_public_internet_only_denied if {
	findings := domain_vpc_only.deny with input as _plan([_public])
	_addresses(findings) == {"aws_sagemaker_domain.d"}
	contains(_message(findings, "aws_sagemaker_domain.d"), "PublicInternetOnly")
	contains(_message(findings, "aws_sagemaker_domain.d"), "must be VpcOnly")
}

test_unset_access_type_denied if {
	every after in [{}, {"app_network_access_type": null}] {
		findings := domain_vpc_only.deny with input as _plan([_domain("aws_sagemaker_domain.d", after, {})])
		_addresses(findings) == {"aws_sagemaker_domain.d"}
		contains(_message(findings, "aws_sagemaker_domain.d"), "not set")
	}
}

test_unknown_access_type_denied if {
	rc := _domain("aws_sagemaker_domain.d", {}, {"app_network_access_type": true})
	findings := domain_vpc_only.deny with input as _plan([rc])
	_addresses(findings) == {"aws_sagemaker_domain.d"}
	contains(_message(findings, "aws_sagemaker_domain.d"), "unknown")
}

test_other_spelling_denied if {
	rc := _domain("aws_sagemaker_domain.d", {"app_network_access_type": "vpconly"}, {})
	_addresses(domain_vpc_only.deny) == {"aws_sagemaker_domain.d"} with input as _plan([rc])
}

# ---------------------------------------------------------------------------
# Actions

test_deleted_domain_ignored if {
	count(domain_vpc_only.deny) == 0 with input as _plan([_with_actions(_public, ["delete"])])
}

test_replaced_updated_and_unchanged_domains_checked if {
	every actions in [["delete", "create"], ["create", "delete"], ["update"], ["no-op"]] {
		findings := domain_vpc_only.deny with input as _plan([_with_actions(_public, actions)])
		_addresses(findings) == {"aws_sagemaker_domain.d"}
	}
}

# ---------------------------------------------------------------------------
# Addresses

test_child_module_domain_reported_with_full_address if {
	changes := [_in_module(_public, "module.studio.module.domain"), _in_module(_vpc_only, "module.other")]
	findings := domain_vpc_only.deny with input as _plan(changes)
	_addresses(findings) == {"module.studio.module.domain.aws_sagemaker_domain.d"}
}

test_instances_reported_separately if {
	changes := [
		object.union(_public, {"address": `aws_sagemaker_domain.d["team-a"]`}),
		object.union(_vpc_only, {"address": `aws_sagemaker_domain.d["team-b"]`}),
	]
	_addresses(domain_vpc_only.deny) == {`aws_sagemaker_domain.d["team-a"]`} with input as _plan(changes)
}
