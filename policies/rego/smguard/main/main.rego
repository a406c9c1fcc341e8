# METADATA
# description: |
#   The entry point. Gathers `deny` and `warn` from every rule package under
#   data.smguard.rules.<family>.<rule>, adds the catalogue fields (id,
#   severity, remediation) and checks that every catalogued rule was loaded.
#   Adding a rule never means editing this file.
package smguard.main

import data.smguard.catalogue

# Rule packages by name. Test packages sit beside the rules and are skipped.
_rules[name] := rule if {
	some family, name
	rule := data.smguard.rules[family][name]
	not endswith(name, "_test")
}

loaded := object.keys(_rules)

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
	some name, rule in _rules
	some result in object.get(rule, "deny", set())
}

warn contains _finding(name, result) if {
	some name, rule in _rules
	some result in object.get(rule, "warn", set())
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
