# METADATA
# description: |
#   conftest reads `package main` by default, so `conftest test PLAN -p
#   policies/rego` runs every smguard rule with no --namespace flag.
package main

default deny := {{"msg": "smguard: the entry package smguard.main did not load"}}

deny := data.smguard.main.deny

default warn := set()

# Warnings, and exemptions that expired or matched nothing.
warn := data.smguard.main.warn | data.smguard.main.exemption_problems
