package smguard.main_test

import data.smguard.main

# A plan with one model that fails SMG-MODEL-001 (isolation false) and passes
# SMG-MODEL-002, in a module instance.
_model_address := `module.team["a"].aws_sagemaker_model.m`

_one_failure := {"resource_changes": [{
	"address": _model_address,
	"module_address": `module.team["a"]`,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {
		"actions": ["create"],
		"after": {
			"name": "m",
			"enable_network_isolation": false,
			"vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
		},
		"after_unknown": {},
	},
}]}

_exemption(address, expires) := {
	"rule": "SMG-MODEL-001",
	"address": address,
	"reason": "being rebuilt",
	"expires": expires,
}

_ids(findings) := {f.rule_id | some f in findings}

test_exemption_moves_a_failure_to_exempt if {
	report := main.report with input as _one_failure
		with data.smguard.config.exemptions as [_exemption(_model_address, "2027-01-31")]
		with data.smguard.now as "2026-11-23"
	not "SMG-MODEL-001" in _ids(report.deny)
	count(report.exemption_problems) == 0
	some exempted in report.exempt
	exempted.rule_id == "SMG-MODEL-001"
	exempted.exemption == 0
	exempted.reason == "being rebuilt"
}

test_instance_key_wildcard_and_module_wildcard_match if {
	some pattern in [`module.team[*].aws_sagemaker_model.m`, "module.team*", "*"]
	report := main.report with input as _one_failure
		with data.smguard.config.exemptions as [_exemption(pattern, "2027-01-31")]
		with data.smguard.now as "2026-11-23"
	count(report.exempt) == 1
}

test_pattern_characters_are_literal if {
	# `.` and `[` are not regex syntax in a pattern: these must not match
	some pattern in [`module.team["b"].aws_sagemaker_model.m`, `module-team["a"].aws_sagemaker_model.m`]
	report := main.report with input as _one_failure
		with data.smguard.config.exemptions as [_exemption(pattern, "2027-01-31")]
		with data.smguard.now as "2026-11-23"
	count(report.exempt) == 0
	some problem in report.exemption_problems
	problem.problem == "unused"
}

test_exemption_applies_through_its_last_day_only if {
	on_day := main.report with input as _one_failure
		with data.smguard.config.exemptions as [_exemption(_model_address, "2026-11-23")]
		with data.smguard.now as "2026-11-23"
	count(on_day.exempt) == 1
	after := main.report with input as _one_failure
		with data.smguard.config.exemptions as [_exemption(_model_address, "2026-11-22")]
		with data.smguard.now as "2026-11-23"
	count(after.exempt) == 0
	"SMG-MODEL-001" in _ids(after.deny)
	some problem in after.exemption_problems
	problem.problem == "expired"
	contains(problem.msg, "expired on 2026-11-22")
}

test_first_matching_exemption_is_named if {
	report := main.report with input as _one_failure
		with data.smguard.config.exemptions as [
			_exemption("module.other.*", "2027-01-31"),
			_exemption("*", "2027-01-31"),
			_exemption(_model_address, "2027-01-31"),
		]
		with data.smguard.now as "2026-11-23"
	{p.exemption | some p in report.exemption_problems} == {0}
	some exempted in report.exempt
	exempted.exemption == 1
}

test_disabled_rule_reports_nothing if {
	report := main.report with input as _one_failure
		with data.smguard.config.rules as {"SMG-MODEL-001": {"enabled": false}}
	not "SMG-MODEL-001" in _ids(report.deny)
	count(report.exempt) == 0
}

test_severity_override if {
	report := main.report with input as _one_failure
		with data.smguard.config.rules as {"SMG-MODEL-001": {"severity": "low"}}
	some finding in report.deny
	finding.rule_id == "SMG-MODEL-001"
	finding.severity == "low"
}

test_exemption_problems_are_conftest_warnings if {
	warnings := data.main.warn with input as _one_failure
		with data.smguard.config.exemptions as [_exemption("module.nowhere.*", "2027-01-31")]
		with data.smguard.now as "2026-11-23"
	some warning in warnings
	contains(warning.msg, "exemptions[0] (SMG-MODEL-001 module.nowhere.*) matched no failure or warning")
}
