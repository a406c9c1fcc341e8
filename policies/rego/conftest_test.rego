# conftest.rego is `package main` at the root of the policy folder, so its test
# package cannot mirror the directory structure either.
package main_test

import data.main

_plan := {"resource_changes": [{
	"address": "aws_sagemaker_model.m",
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {"actions": ["create"], "after": {"name": "m", "enable_network_isolation": false}, "after_unknown": {}},
}]}

# Each evaluation replaces the rules' test packages with {}: the entry package
# reads every package under data.smguard.rules, and would otherwise run all the
# rules' tests inside it.

test_deny_and_warn_are_the_entry_package_results if {
	shim := {"deny": main.deny, "warn": main.warn} with input as _plan
		with data.smguard.rules.domain.domain_vpc_only_test as {}
		with data.smguard.rules.domain.domain_vpc_placement_test as {}
		with data.smguard.rules.endpoint.endpoint_config_compliant_test as {}
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	entry := {"deny": data.smguard.main.deny, "warn": data.smguard.main.warn} with input as _plan
		with data.smguard.rules.domain.domain_vpc_only_test as {}
		with data.smguard.rules.domain.domain_vpc_placement_test as {}
		with data.smguard.rules.endpoint.endpoint_config_compliant_test as {}
		with data.smguard.rules.endpoint_config.endpoint_config_variant_models_test as {}
		with data.smguard.rules.model.model_network_isolation_test as {}
		with data.smguard.rules.model.model_vpc_config_test as {}
	shim == entry
	some f in shim.deny
	startswith(f.msg, "SMG-MODEL-001 aws_sagemaker_model.m: ")
}

test_missing_entry_package_fails_closed if {
	shim := {"deny": main.deny, "warn": main.warn} with input as _plan with data.smguard.main as {}
	count(shim.warn) == 0
	count(shim.deny) == 1
	some f in shim.deny
	contains(f.msg, "smguard.main did not load")
}
