# METADATA
# description: |
#   conftest reads `package main` by default, so `conftest test PLAN -p
#   policies/rego` runs every smguard rule with no --namespace flag.
package main

deny := data.smguard.main.deny if {
	data.smguard.main.report
} else := {{"msg": "smguard: the entry package smguard.main did not load"}}

warn := data.smguard.main.warn if data.smguard.main.report
