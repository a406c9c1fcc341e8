# Which document lib/plan reads as the plan: a plan, a wrapped plan, or
# Terraform source converted by lib/hcl2. (plan_test.rego is at Regal's
# length limit.)
package smguard.lib.plan_test

import data.smguard.lib.plan

# ---------------------------------------------------------------------------
# Which document is the plan

test_a_plan_with_or_without_changes_is_a_plan if {
	plan.is_plan with input as {"format_version": "1.2", "resource_changes": []}
	plan.is_plan with input as {"format_version": "1.2", "planned_values": {}}
	plan.is_plan with input as {"plan": {"format_version": "1.2", "planned_values": {}}}
	plan.is_plan with input as {"terraform": {"resource_changes": []}}
}

test_state_and_other_documents_are_not_plans if {
	not plan.is_plan with input as {"format_version": "1.0", "values": {"root_module": {}}}
	not plan.is_plan with input as {"version": 4, "resources": []}
	not plan.is_plan with input as {}
	not plan.is_plan with input as [1, 2]
	not plan.is_plan with input as {"resource_changes": {}}
}

test_a_wrapped_plan_without_changes_is_the_plan if {
	wrapped := {"plan": {"format_version": "1.2", "planned_values": {}}, "run": {}}
	d := plan.doc with input as wrapped
	d == wrapped.plan
}

test_terraform_source_is_read_as_its_plan if {
	source := {"resource": {"aws_sagemaker_model": {"m": [{"enable_network_isolation": false}]}}}
	plan.is_plan with input as source
	rcs := plan.resources("aws_sagemaker_model") with input as source
	[rc.address | some rc in rcs] == ["aws_sagemaker_model.m"]
}
