# METADATA
# description: |
#   The entry point. Gathers `deny` and `warn` from every rule package under
#   data.smguard.rules.<family>.<rule>, adds the catalogue fields (id,
#   severity, remediation) and checks that every catalogued rule was loaded.
#   Adding a rule never means editing this file.
package smguard.main

import data.smguard.catalogue

# Rule packages are read through their `deny` and `warn` rules only, never
# whole: a whole package would include the test packages beside the rules,
# and evaluating those on every query multiplied evaluation time.
_results[name].deny := results if {
	some family, name
	results := data.smguard.rules[family][name].deny # regal ignore:prefer-some-in-iteration
	not endswith(name, "_test") # regal ignore:non-loop-expression
}

_results[name].warn := results if {
	some family, name
	results := data.smguard.rules[family][name].warn # regal ignore:prefer-some-in-iteration
	not endswith(name, "_test") # regal ignore:non-loop-expression
}

loaded := object.keys(_results)

# Catalogued rules that did not load, and loaded rules missing from the
# catalogue: either means the bundle is not what it should be.
missing := object.keys(catalogue.rules) - loaded

uncatalogued := loaded - object.keys(catalogue.rules)

# A broken bundle fails closed for conftest users too.
deny contains {"msg": "smguard: the rule catalogue did not load"} if not catalogue.rules

deny contains {"msg": sprintf("smguard: rule %s is in the catalogue but was not loaded", [name])} if {
	some name in missing
}

deny contains {"msg": sprintf("smguard: rule %s was loaded but is not in the catalogue", [name])} if {
	some name in uncatalogued
}

deny contains _finding(name, result) if {
	some name, kinds in _results
	some result in object.get(kinds, "deny", set())
}

warn contains _finding(name, result) if {
	some name, kinds in _results
	some result in object.get(kinds, "warn", set())
}

report := {
	"deny": deny,
	"warn": warn,
	"loaded": loaded,
	"missing": missing,
	"uncatalogued": uncatalogued,
}

_finding(name, result) := object.union(result, {
	"msg": sprintf("%s %s: %s", [entry.id, result.address, result.message]),
	"rule_id": entry.id,
	"rule": entry.name,
	"title": entry.title,
	"severity": entry.severity,
	"remediation": entry.remediation,
}) if {
	entry := catalogue.rules[name]
}
