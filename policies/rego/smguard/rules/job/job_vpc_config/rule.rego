# METADATA
# title: SageMaker training and processing jobs must run in a VPC
# description: |
#   A `VpcConfig` with subnets and security groups puts a job's instances in
#   your VPC, so their traffic to S3, ECR and other services goes through your
#   subnets, security groups and VPC endpoints instead of the SageMaker service
#   network. Isolation and VPC placement are independent; the strict posture
#   needs both. These types exist only in audits (`smguard audit`).
# custom:
#   id: SMG-JOB-102
#   severity: high
#   resources: [aws_sagemaker_training_job, aws_sagemaker_processing_job]
#   remediation: >-
#     Start training jobs with `VpcConfig` (`Subnets`, `SecurityGroupIds`; SDK: `subnets` and
#     `security_group_ids` on the Estimator) and processing jobs with `NetworkConfig.VpcConfig`
#     (SDK: `network_config=NetworkConfig(subnets=..., security_group_ids=...)`).
#   aws_concept: VpcConfig (CreateTrainingJob), NetworkConfig.VpcConfig (CreateProcessingJob)
package smguard.rules.job.job_vpc_config

import data.smguard.lib.plan

# Where each job type keeps its vpc_config block.
_vpc := {
	"aws_sagemaker_training_job": ["vpc_config"],
	"aws_sagemaker_processing_job": ["network_config", 0, "vpc_config"],
}

deny contains plan.result(rc, _problem(rc, vpc)) if {
	some type, vpc in _vpc
	some rc in plan.resources(type)
	not _placed(rc, vpc)
}

_placed(rc, vpc) if {
	plan.known_nonempty(rc, _subnets(vpc))
	plan.known_nonempty(rc, _groups(vpc))
}

_subnets(vpc) := array.concat(vpc, [0, "subnets"])

_groups(vpc) := array.concat(vpc, [0, "security_group_ids"])

_label(path) := concat(".", [step | some step in path; is_string(step)])

# A job has no plan: a value that is not known cannot be verified, and fails.
_problem(rc, vpc) := sprintf("%s is unknown; the job's VPC placement cannot be verified", [_label(vpc)]) if {
	some path in [vpc, _subnets(vpc), _groups(vpc)]
	plan.unknown(rc, path)
} else := "network_config is not set; the job does not run in a VPC" if {
	count(vpc) > 1
	not plan.nonempty(plan.value(rc, [vpc[0]]))
} else := sprintf("%s is not set; the job does not run in a VPC", [_label(vpc)]) if {
	not plan.nonempty(plan.value(rc, vpc))
} else := sprintf("%s is empty", [_label(_subnets(vpc))]) if {
	not plan.known_nonempty(rc, _subnets(vpc))
} else := sprintf("%s is empty", [_label(_groups(vpc))])
