# METADATA
# description: |
#   The entry point. Gathers `deny` and `warn` from every rule package under
#   data.smguard.rules.<family>.<rule>, adds the catalogue fields (id,
#   severity, remediation), applies the configuration (rules turned off,
#   severity overrides, exemptions) and checks that every catalogued rule was
#   loaded. Adding a rule never means editing this file.
package smguard.main

import data.smguard.catalogue
import data.smguard.lib.config
import data.smguard.lib.hcl2
import data.smguard.lib.plan

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

# Every result of every rule, with the catalogue fields; rules turned off in
# the configuration are left out.
_found contains [kind, _finding(name, result)] if {
	some name, kinds in _results
	some kind, results in kinds
	some result in results
	not _disabled(catalogue.rules[name].id)
}

_disabled(id) if config.rules[id].enabled == false

deny contains finding if {
	some ["deny", finding] in _found
	not _exemption_for(finding)
}

# Input that is neither a plan nor conftest's parse of Terraform source (a
# state file, any other JSON or YAML) has no resources to check: it must not
# read as a pass. The harness only evaluates plans, so this never reaches it.
deny contains {"msg": concat(" ", [
	"smguard: this input is not a Terraform plan, so nothing in it was checked.",
	"The policies read the JSON plan (`terraform plan -out tfplan && terraform show -json tfplan > plan.json`)",
	"or Terraform source (`conftest test main.tf`, or `smguard scan DIR`).",
])} if {
	not plan.is_plan
}

# A broken bundle fails closed for conftest users too.
deny contains {"msg": "smguard: the rule catalogue did not load"} if not catalogue.rules

deny contains {"msg": sprintf("smguard: rule %s is in the catalogue but was not loaded", [name])} if {
	some name in missing
}

deny contains {"msg": sprintf("smguard: rule %s was loaded but is not in the catalogue", [name])} if {
	some name in uncatalogued
}

warn contains finding if {
	some ["warn", finding] in _found
	not _exemption_for(finding)
}

# Terraform source read through conftest: what its verdicts cannot see.
warn contains {"msg": hcl2.note} if hcl2.note

warn contains {"msg": msg} if some msg in hcl2.unread_modules

# AWSCC resources are checked in the AWS provider's shape, which smguard's
# loaders make (harness/smguard/loaders/awscc.py, before any engine runs). On
# a raw plan the rules do not see them: they are named, never passed.
warn contains {"msg": concat("", [
	"smguard: ", rc.address, " is not checked here: the policies read the AWS provider's types;",
	" `smguard scan PLAN` maps AWSCC resources to them",
])} if {
	some type in _awscc_types
	some rc in plan.resources(type)
}

_awscc_types := {
	"awscc_sagemaker_data_quality_job_definition",
	"awscc_sagemaker_domain",
	"awscc_sagemaker_endpoint",
	"awscc_sagemaker_model",
	"awscc_sagemaker_model_bias_job_definition",
	"awscc_sagemaker_model_explainability_job_definition",
	"awscc_sagemaker_model_quality_job_definition",
	"awscc_sagemaker_pipeline",
	"awscc_sagemaker_user_profile",
}

# Failures and warnings an exemption covers; the first matching exemption
# (by position in the configuration) is named.
exempt contains object.union(finding, {"exemption": i, "reason": reason}) if {
	some [_, finding] in _found
	i := _exemption_for(finding)
	reason := config.exemptions[i].reason
}

_exemption_for(finding) := min({i |
	some i, exemption in config.exemptions
	_covers(exemption, finding)
	not _expired(exemption)
})

_covers(exemption, finding) if {
	exemption.rule == finding.rule_id
	regex.match(_address_pattern(exemption.address), finding.address)
}

# Valid through its `expires` date (YYYY-MM-DD, compared as text).
_expired(exemption) if exemption.expires < config.today

# An address pattern is an address where `*` matches anything, so
# `module.a.aws_sagemaker_model.m[*]` matches every instance of m and
# `module.legacy.*` everything in module.legacy.
_address_pattern(address) := concat("", ["^", strings.replace_n(_escapes, address), "$"])

_escapes := {
	".": "\\.",
	"[": "\\[",
	"]": "\\]",
	"(": "\\(",
	")": "\\)",
	"+": "\\+",
	"?": "\\?",
	"^": "\\^",
	"$": "\\$",
	"|": "\\|",
	"{": "\\{",
	"}": "\\}",
	"\\": "\\\\",
	"*": ".*",
}

# Exemptions that no longer apply, or never applied: reported so that the
# configuration does not rot.
exemption_problems contains _problem(i, exemption, "expired", text) if {
	some i, exemption in config.exemptions
	_expired(exemption)
	text := sprintf("expired on %s and no longer applies", [exemption.expires])
}

exemption_problems contains _problem(i, exemption, "unused", "matched no failure or warning") if {
	some i, exemption in config.exemptions
	not _expired(exemption)
	count([f | some [_, f] in _found; _covers(exemption, f)]) == 0
}

_problem(i, exemption, problem, text) := {
	"exemption": i,
	"problem": problem,
	"exemption_rule": exemption.rule,
	"exemption_address": exemption.address,
	"msg": sprintf("smguard: exemptions[%d] (%s %s) %s", [i, exemption.rule, exemption.address, text]),
}

report := {
	"deny": deny,
	"warn": warn,
	"exempt": exempt,
	"exemption_problems": exemption_problems,
	"loaded": loaded,
	"missing": missing,
	"uncatalogued": uncatalogued,
}

_finding(name, result) := object.union(result, {
	"msg": sprintf("%s %s: %s", [entry.id, result.address, result.message]),
	"rule_id": entry.id,
	"rule": entry.name,
	"title": entry.title,
	"severity": object.get(config.rules, [entry.id, "severity"], entry.severity),
	"remediation": entry.remediation,
}) if {
	entry := catalogue.rules[name]
}
