# METADATA
# description: |
#   Spacelift plan policies. Spacelift passes the plan as `input.terraform`
#   (lib/plan reads it from there) and reads `deny` and `warn` sets of strings
#   from `package spacelift`. Spacelift does not accept `import rego.v1`; these
#   files use none.
#
#   Spacelift hashes every string value it passes to plan policies unless the
#   stack uses Smart Sanitization (only values marked sensitive are hashed).
#   The rules compare strings ("VpcOnly", "Disabled", names), so they need
#   Smart Sanitization. Under Default Sanitization this package denies the
#   run with a message saying so, instead of reporting wrong findings.
package spacelift

deny contains finding.msg if {
	not default_sanitized
	some finding in data.smguard.main.deny
}

deny contains msg if {
	default_sanitized
	msg := concat(" ", [
		"smguard: string values in this plan are hashed (Spacelift Default Sanitization);",
		"enable Smart Sanitization on the stack so that the SageMaker guardrails can read them",
	])
}

warn contains finding.msg if {
	not default_sanitized
	some finding in data.smguard.main.warn
}

# Every planned string of every SageMaker resource looks like a Spacelift hash
# (eight hex digits): no real SageMaker plan has only such values, since
# enumerations such as a container's `mode` or a domain's `auth_mode` are words.
default_sanitized if {
	texts := [value |
		some rc in input.terraform.resource_changes
		startswith(rc.type, "aws_sagemaker_")
		[_, value] := walk(object.get(rc.change, "after", {}))
		is_string(value)
	]
	count(texts) > 0
	every value in texts {
		regex.match(`^[0-9a-f]{8}$`, value)
	}
}
