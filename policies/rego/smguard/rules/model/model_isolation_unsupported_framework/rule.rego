# METADATA
# title: Isolated SageMaker models must not use framework images that cannot run isolated
# description: |
#   Some SageMaker managed framework containers fetch what they need (the
#   user's inference code, extra packages) from outside the container at
#   start, which network isolation forbids: AWS lists the Chainer, PyTorch,
#   Scikit-learn and SageMaker Reinforcement Learning containers as not
#   supporting network isolation. A model with `enable_network_isolation =
#   true` whose container image comes from one of their repositories
#   (`sagemaker-chainer`, `pytorch-*` and `sagemaker-pytorch`,
#   `sagemaker-scikit-learn`, `sagemaker-rl-*`) is likely to fail at run time.
#   A PyTorch or Scikit-learn model whose inference code is packaged in the
#   model artefact can work isolated: once verified, exempt it (the warning
#   says what to check). Images unknown until apply that do not refer to an
#   ECR repository in the plan are reported as a warning.
# custom:
#   id: SMG-MODEL-004
#   severity: medium
#   resources: [aws_sagemaker_model]
#   reads: [aws_ecr_repository]
#   remediation: >-
#     Set `image` in every `primary_container` and `container` block of the
#     `aws_sagemaker_model` to an image that supports network isolation (for
#     example an AWS Deep Learning Container or your own image with the
#     inference code and its dependencies built in). A PyTorch or Scikit-learn
#     model may run isolated when its inference code is packaged in the model
#     artefact (`model_data_url`) and no environment variable points it at S3
#     (`SAGEMAKER_SUBMIT_DIRECTORY`): test it, then exempt the model.
#   aws_concept: ContainerDefinition.Image with EnableNetworkIsolation (CreateModel)
package smguard.rules.model.model_isolation_unsupported_framework

import data.smguard.lib.plan

warn contains plan.result(rc, concat("; ", problems)) if {
	some rc in plan.resources("aws_sagemaker_model")
	plan.value(rc, ["enable_network_isolation"]) == true
	problems := array.concat(_unknown_blocks(rc), [problem |
		some [label, path] in _containers(rc)
		some problem in _image_problems(rc, label, array.concat(path, ["image"]))
	])
	count(problems) > 0
}

_blocks := ["primary_container", "container"]

# [label, path] of every container block of the model.
_containers(rc) := [[sprintf("%s[%d]", [block, i]), [block, i]] |
	some block in _blocks
	value := plan.value(rc, [block])
	is_array(value)
	some i, _ in value
]

# A block unknown as a whole until apply (its containers are not in `after`).
_unknown_blocks(rc) := [sprintf("%s is unknown until apply; its images cannot be verified", [block]) |
	some block in _blocks
	plan.unknown(rc, [block])
	not is_array(plan.value(rc, [block]))
]

_image_problems(rc, label, path) := [sprintf(
	"%s.image is from the %s repository (%s), which does not support network isolation",
	[label, repository, framework],
)] if {
	image := plan.value(rc, path)
	is_string(image)
	repository := _repository(image)
	framework := _unsupported(repository)
} else := [problem |
	some ecr in plan.referenced(rc, path, "aws_ecr_repository")
	some problem in _ecr_problems(label, ecr)
] if {
	plan.unknown(rc, path)
	count(plan.referenced(rc, path, "aws_ecr_repository")) > 0
} else := [sprintf(
	"%s.image is unknown until apply and does not refer to an ECR repository in this plan; %s",
	[label, "whether it supports network isolation cannot be verified"],
)] if {
	plan.unknown(rc, path)
} else := []

# An image unknown until apply that refers to an ECR repository in the plan:
# judged by the repository's name.
_ecr_problems(label, ecr) := [sprintf(
	"%s.image refers to %s, repository %s (%s), which does not support network isolation",
	[label, ecr.address, name, framework],
)] if {
	name := plan.value(ecr, ["name"])
	is_string(name)
	framework := _unsupported(lower(name))
} else := [sprintf(
	"%s.image refers to %s, whose name is unknown until apply; %s",
	[label, ecr.address, "whether it supports network isolation cannot be verified"],
)] if {
	not is_string(plan.value(ecr, ["name"]))
} else := []

# The repository of an image URI, lower case: the last path segment without
# its tag or digest ("…/sagemaker-chainer:5.0.0-cpu-py3" -> "sagemaker-chainer").
_repository(image) := lower(split(segments[count(segments) - 1], ":")[0]) if {
	segments := split(split(image, "@")[0], "/")
}

# Repositories of SageMaker framework images whose containers do not support
# network isolation (aws/sagemaker-python-sdk image_uri_config: chainer.json,
# pytorch.json, sklearn.json; coach-*, ray-* and vw.json for the RL images).
_unsupported(repository) := "Chainer" if repository == "sagemaker-chainer"

else := "PyTorch" if repository == "sagemaker-pytorch"

else := "PyTorch" if startswith(repository, "pytorch-")

else := "Scikit-learn" if repository == "sagemaker-scikit-learn"

else := "SageMaker Reinforcement Learning" if startswith(repository, "sagemaker-rl-")
