# METADATA
# description: |
#   Rules in smguard.lib build indexes over every resource of a plan. OPA's
#   topdown checks each new key of an object rule (`p[k] := v`,
#   `p[k] contains v`) against every key before it, which is quadratic in the
#   number of keys: 12 s of a 50,000-resource plan once. Write the index as a
#   comprehension (`p := {k: v | ...}`) instead; see policies/rego/smguard/lib/plan.
# related_resources:
#   - description: docs/benchmarks.md
#     ref: https://github.com/open-policy-agent/opa/blob/v1.22.2/v1/topdown/eval.go
# schemas:
#   - input: schema.regal.ast
package custom.regal.rules.performance["lib-object-rule"]

import data.regal.result

report contains violation if {
	_in_lib
	some rule in input.rules
	some term in array.slice(rule.head.ref, 1, count(rule.head.ref))
	term.type != "string"
	violation := result.fail(rego.metadata.chain(), result.location(rule))
}

_in_lib if {
	input["package"].path[1].value == "smguard"
	input["package"].path[2].value == "lib"
}
