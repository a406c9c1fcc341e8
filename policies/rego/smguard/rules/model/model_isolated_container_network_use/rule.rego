# METADATA
# title: Isolated SageMaker model containers must not depend on fetching from the network at start
# description: |
#   A container with network isolation has no network access and no AWS
#   credentials. An `environment` entry that points it at something it would
#   have to fetch (an `s3://` URI such as a `SAGEMAKER_SUBMIT_DIRECTORY` with
#   the inference code, an AWS service endpoint (`*.amazonaws.com`), or a
#   Hugging Face Hub model id or token) makes the model fail at start or at
#   the first request. `model_data_url` is not such a case: SageMaker downloads
#   the model artefact before it isolates the container. Environment values
#   unknown until apply come from resources in the plan (bucket names, queue
#   URLs, ARNs) and are reported as a warning too.
# custom:
#   id: SMG-MODEL-005
#   severity: medium
#   resources: [aws_sagemaker_model]
#   remediation: >-
#     Remove from the `environment` of every `primary_container` and `container`
#     block of the `aws_sagemaker_model` the values it would fetch at start:
#     package code and weights in the artefact at `model_data_url` (for the
#     framework containers, `SAGEMAKER_SUBMIT_DIRECTORY = "/opt/ml/model/code"`;
#     for Hugging Face containers, `HF_MODEL_ID = "/opt/ml/model"`), send data in
#     the request, or make calls to other services in front of the endpoint
#     (API Gateway and Lambda).
#   aws_concept: ContainerDefinition.Environment with EnableNetworkIsolation (CreateModel)
package smguard.rules.model.model_isolated_container_network_use

import data.smguard.lib.plan

warn contains plan.result(rc, msg) if {
	some rc in plan.resources("aws_sagemaker_model")
	plan.value(rc, ["enable_network_isolation"]) == true
	problems := array.concat(_unknown_blocks(rc), [problem |
		some [label, path] in _containers(rc)
		some problem in _environment_problems(rc, label, array.concat(path, ["environment"]))
	])
	count(problems) > 0
	msg := concat("; ", array.concat(problems, [_consequence]))
}

_consequence := "with network isolation the container has no network access and no AWS credentials"

_blocks := ["primary_container", "container"]

# [label, path] of every container block of the model.
_containers(rc) := [[sprintf("%s[%d]", [block, i]), [block, i]] |
	some block in _blocks
	value := plan.value(rc, [block])
	is_array(value)
	some i, _ in value
]

# A block unknown as a whole until apply (its containers are not in `after`).
_unknown_blocks(rc) := [sprintf("%s is unknown until apply; its environment cannot be verified", [block]) |
	some block in _blocks
	plan.unknown(rc, [block])
	not is_array(plan.value(rc, [block]))
]

# The environment as a whole is unknown: nothing in it can be checked.
_environment_problems(rc, label, path) := [msg] if {
	plan.unknown(rc, path)
	not is_object(plan.value(rc, path))
	msg := sprintf("%s.environment is unknown until apply and cannot be verified", [label])
} else := array.concat(
	[sprintf("%s.environment.%s %s", [label, key, reason]) |
		environment := plan.value(rc, path)
		is_object(environment)
		some key in sort(object.keys(environment))
		reason := _reason(key, environment[key])
	],
	[sprintf("%s.environment.%s is unknown until apply and cannot be verified", [label, key]) |
		some key in sort(object.keys(_unknown_values(rc, path)))
	],
)

# Entries of a known map whose values are unknown until apply: they are absent
# from `after` and `true` in `after_unknown`.
_unknown_values(rc, path) := {key: true |
	some key, flag in object.get(rc.change, array.concat(["after_unknown"], path), {})
	flag == true
}

# Why a value needs the network; undefined when it does not. Values are not
# repeated in messages: environments often hold secrets.
_reason(key, value) := "is an S3 URI; the container cannot download it" if {
	is_string(value)
	startswith(lower(value), "s3://")
} else := "names an AWS service endpoint; the container cannot reach it" if {
	is_string(value)
	regex.match(`(?i)([a-z0-9-]+\.)+amazonaws\.com(\.cn)?([:/?#]|$)`, value)
} else := "names a model hub id; the container cannot download the model" if {
	key in _model_id_keys
	is_string(value)
	value != ""
	not startswith(value, "/")
} else := "is a Hugging Face Hub token; the container cannot reach the hub" if {
	key in _hub_token_keys
	is_string(value)
	value != ""
}

# Model ids the serving containers download from the Hugging Face Hub at start
# unless they are a local path (`/opt/ml/model`): the Hugging Face inference
# toolkit, TGI and DJL LMI (HF_MODEL_ID), DJL serving (OPTION_MODEL_ID).
_model_id_keys := {"HF_MODEL_ID", "OPTION_MODEL_ID"}

_hub_token_keys := {"HF_TOKEN", "HF_API_TOKEN", "HUGGING_FACE_HUB_TOKEN"}
