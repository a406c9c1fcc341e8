package custom.regal.rules.performance["lib-object-rule_test"]

import data.custom.regal.rules.performance["lib-object-rule"] as rule

_report(policy) := report if {
	report := rule.report with input as regal.parse_module("p.rego", policy)
}

test_object_and_grouping_rules_in_lib_reported if {
	count(_report("package smguard.lib.x\np[k] := 1 if some k in input")) == 1
	count(_report("package smguard.lib.x\np[k] contains 1 if some k in input")) == 1
	count(_report("package smguard.lib.x.y\np.q[k] := 1 if some k in input")) == 1
}

test_comprehensions_sets_and_constant_keys_in_lib_not_reported if {
	count(_report("package smguard.lib.x\np := {k: 1 | some k in input}")) == 0
	count(_report("package smguard.lib.x\np contains k if some k in input")) == 0
	count(_report("package smguard.lib.x\np.q := 1")) == 0
}

test_rules_outside_lib_not_reported if {
	count(_report("package smguard.rules.x.y\np[k] := 1 if some k in input")) == 0
}
