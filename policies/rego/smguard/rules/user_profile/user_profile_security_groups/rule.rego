# METADATA
# title: Studio user profiles must have security groups
# description: |
#   In a VpcOnly domain the security groups of a user profile decide what its
#   Studio apps can reach in and through the VPC. SageMaker aggregates the
#   profile's `user_settings` security groups with the domain's
#   `default_user_settings` ones, so a profile passes when either set is
#   non-empty. A profile without its own groups whose domain is not in this
#   plan, or whose groups are unknown until apply and refer to nothing in this
#   plan, cannot be verified.
# custom:
#   id: SMG-PROFILE-001
#   severity: medium
#   resources: [aws_sagemaker_user_profile]
#   reads: [aws_sagemaker_domain, aws_security_group]
#   remediation: >-
#     Set `user_settings { security_groups = [...] }` on the `aws_sagemaker_user_profile`,
#     or `default_user_settings { security_groups = [...] }` on its `aws_sagemaker_domain`.
#   aws_concept: UserSettings.SecurityGroups (CreateUserProfile, CreateDomain DefaultUserSettings)
package smguard.rules.user_profile.user_profile_security_groups

import data.smguard.lib.plan

_own := ["user_settings", 0, "security_groups"]

_default := ["default_user_settings", 0, "security_groups"]

deny contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_user_profile")
	_missing(rc, _own)
	bare := _bare_domains(rc)
	count(bare) > 0
	msg := sprintf(
		"user_settings security_groups is not set and its domain %s sets no default_user_settings security_groups",
		[concat(", ", bare)],
	)
}

warn contains plan.result(rc, _unverified(rc)) if {
	some rc in plan.resources("aws_sagemaker_user_profile")
	not _compliant(rc)
	not _denied(rc)
}

_compliant(rc) if plan.set_or_planned(rc, _own, "aws_security_group")

# Every domain the profile's domain_id refers to supplies default groups.
_compliant(rc) if {
	domains := _domains(rc)
	count(domains) > 0
	every domain in domains {
		plan.set_or_planned(domain, _default, "aws_security_group")
	}
}

_denied(rc) if {
	_missing(rc, _own)
	count(_bare_domains(rc)) > 0
}

# Addresses of the profile's domains whose default groups are known to be empty.
_bare_domains(rc) := {domain.address | some domain in _domains(rc); _missing(domain, _default)}

_domains(rc) := plan.referenced(rc, ["domain_id"], "aws_sagemaker_domain")

# Known, and empty or absent.
_missing(rc, path) if {
	not plan.unknown(rc, path)
	not plan.nonempty(plan.value(rc, path))
}

_unverified(rc) := concat("", [
	"user_settings security_groups is unknown until apply and not a reference to an aws_security_group ",
	"in this plan; it cannot be verified",
]) if {
	plan.unknown(rc, _own)
} else := concat("", [
	"user_settings security_groups is not set and domain_id is not a reference to an aws_sagemaker_domain ",
	"in this plan; whether the domain's default_user_settings supply security groups cannot be verified",
]) if {
	count(_domains(rc)) == 0
} else := concat("", [
	"user_settings security_groups is not set and the domain's default_user_settings security_groups ",
	"are unknown until apply and not a reference to an aws_security_group in this plan; they cannot be verified",
])
