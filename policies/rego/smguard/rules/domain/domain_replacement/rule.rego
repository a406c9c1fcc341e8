# METADATA
# title: Plans must not delete or replace Studio domains unless replacement is allowed
# description: |
#   Deleting a domain takes its home EFS file system (every user's notebooks and
#   data) and every user profile and space with it; a replacement creates an
#   empty domain in its place. The AWS provider replaces a domain whenever a
#   force-new argument such as `subnet_ids`, `vpc_id`, `kms_key_id` or the
#   `domain_settings` security groups changes, so a routine network change can
#   wipe out Studio. Set `domains.allow_replacement` to accept such a plan.
# custom:
#   id: SMG-DOMAIN-007
#   severity: critical
#   resources: [aws_sagemaker_domain]
#   remediation: >-
#     Revert the force-new change (see the plan's `replace_paths`), or back up
#     the home EFS file system and user spaces, then apply with
#     `domains.allow_replacement: true`. Consider `lifecycle { prevent_destroy = true }`
#     on the `aws_sagemaker_domain`.
#   aws_concept: DeleteDomain (RetentionPolicy)
package smguard.rules.domain.domain_replacement

import data.smguard.lib.config
import data.smguard.lib.plan

# plan.resources() leaves out resources that are only being deleted, so this
# rule reads the resource changes itself. A deposed object (left over from a
# create_before_destroy replacement) has the address of the current one: one
# result per address describes both.
deny contains plan.result({"address": address}, _message(address)) if {
	not _allowed
	some address in _removed_addresses
}

_allowed if config.setting(["domains", "allow_replacement"]) == true

_removals := [rc |
	some rc in plan.doc.resource_changes
	rc.type == "aws_sagemaker_domain"
	object.get(rc, "mode", "managed") == "managed"
	"delete" in object.get(rc, ["change", "actions"], [])
]

_removed_addresses contains rc.address if some rc in _removals

_message(address) := concat("; ", [_describe(rc) | some rc in _removals; rc.address == address])

_describe(rc) := concat("", [
	_what(rc), " Studio domain", _identity(_before(rc)), _reason(rc), ": ", _cause(rc),
	"the home EFS file system", _efs(_before(rc)), " and every user space go with it", _retention(_before(rc)),
])

_cause(rc) := concat(" ", [
	"changing subnet_ids or the domain_settings security groups (like any force-new argument)",
	"forces replacement, and ",
]) if {
	_replaced(rc)
} else := ""

_replaced(rc) if {
	not _deposed(rc)
	"create" in rc.change.actions
}

_deposed(rc) if is_string(rc.deposed)

_before(rc) := rc.change.before if is_object(rc.change.before)

else := {}

_what(rc) := sprintf("the plan deletes deposed object %s of", [rc.deposed]) if {
	_deposed(rc)
} else := "the plan replaces" if {
	_replaced(rc)
} else := "the plan deletes"

_identity(before) := concat("", [_quoted(before, "domain_name"), _parenthesised(before, "id")])

_quoted(before, key) := sprintf(" %q", [before[key]]) if {
	is_string(before[key])
} else := ""

_parenthesised(before, key) := sprintf(" (%s)", [before[key]]) if {
	is_string(before[key])
} else := ""

_efs(before) := sprintf(" %s", [before.home_efs_file_system_id]) if {
	is_string(before.home_efs_file_system_id)
} else := ""

# Terraform names the arguments that force a replacement in replace_paths.
_reason(rc) := sprintf(" because %s changed", [concat(", ", paths)]) if {
	paths := [_path(p) | some p in object.get(rc.change, "replace_paths", [])]
	count(paths) > 0
} else := " because it is no longer in the configuration" if {
	object.get(rc, "action_reason", "") == "delete_because_no_resource_config"
} else := ""

_path(steps) := concat(".", [_step(s) | some s in steps])

_step(s) := s if is_string(s)

else := sprintf("%d", [s])

_retention(before) := " (retention_policy Delete deletes the EFS volume)" if {
	object.get(before, ["retention_policy", 0, "home_efs_file_system"], "Retain") == "Delete"
} else := " (retention_policy Retain only keeps the EFS volume, detached from any domain)"
