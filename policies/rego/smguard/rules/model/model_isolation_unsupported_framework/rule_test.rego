# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.model.model_isolation_unsupported_framework_test

import data.smguard.rules.model.model_isolation_unsupported_framework as framework

# ---------------------------------------------------------------------------
# Fixtures

_registry := "520713654638.dkr.ecr.us-west-2.amazonaws.com"

_dlc := "763104351884.dkr.ecr.us-west-2.amazonaws.com"

_chainer := sprintf("%s/sagemaker-chainer:5.0.0-cpu-py3", [_registry])

_pytorch := sprintf("%s/pytorch-inference:2.1.0-cpu-py310", [_dlc])

_tensorflow := sprintf("%s/tensorflow-inference:2.13-cpu", [_dlc])

_container(image) := {
	"container_hostname": null,
	"environment": null,
	"image": image,
	"image_config": [],
	"mode": "SingleModel",
	"model_data_url": "s3://models/model.tar.gz",
	"model_package_name": null,
	"multi_model_config": [],
}

# A model with the given primary container images and container images.
_model(address, isolation, primary, containers) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {
		"actions": ["create"],
		"after": {
			"name": "m",
			"enable_network_isolation": isolation,
			"primary_container": [_container(image) | some image in primary],
			"container": [_container(image) | some image in containers],
		},
		"after_unknown": {
			"arn": true,
			"id": true,
			"primary_container": [{} | some _ in primary],
			"container": [{} | some _ in containers],
		},
	},
}

_with_unknown(rc, after_unknown) := object.union(rc, {"change": {"after_unknown": after_unknown}})

_without_image(rc, block) := object.union(rc, {"change": {"after": {block: [_imageless]}}})

_imageless := object.remove(_container(null), ["image"])

# An isolated model whose primary container image is unknown until apply.
_image_unknown := _with_unknown(
	_without_image(_model(_m, true, [null], []), "primary_container"),
	{"primary_container": [{"image": true}], "container": []},
)

_ecr(address, name) := {
	"address": address,
	"mode": "managed",
	"type": "aws_ecr_repository",
	"change": {"actions": ["create"], "after": {"name": name}, "after_unknown": {"repository_url": true}},
}

_image_config(address, refs) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"expressions": {"primary_container": [{"image": {"references": refs}}]},
}

_plan(changes, config_resources) := {
	"format_version": "1.2",
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

_m := "aws_sagemaker_model.m"

# ---------------------------------------------------------------------------
# Compliant

test_framework_images_that_support_isolation_pass if {
	images := [
		_tensorflow,
		sprintf("%s/huggingface-pytorch-inference:2.1-transformers4.37-gpu-py310", [_dlc]),
		sprintf("%s/sagemaker-xgboost:1.7-1", [_registry]),
		"123456789012.dkr.ecr.us-west-2.amazonaws.com/my-rl-agent:latest",
		"123456789012.dkr.ecr.us-west-2.amazonaws.com/team/sagemaker-chainer-fork:1",
		"123456789012.dkr.ecr.us-west-2.amazonaws.com/team/my-pytorch-model:1",
	]
	count(framework.warn) == 0 with input as _plan([_model(_m, true, images, [])], [])
}

test_models_without_isolation_not_checked if {
	every isolation in [false, null] {
		count(framework.warn) == 0 with input as _plan([_model(_m, isolation, [_chainer], [])], [])
	}
}

test_isolation_unknown_not_checked if {
	rc := _with_unknown(_model(_m, null, [_chainer], []), {
		"enable_network_isolation": true,
		"primary_container": [{}],
		"container": [],
	})
	count(framework.warn) == 0 with input as _plan([rc], [])
}

test_container_without_image_passes if {
	# a model package container: its image is in the package
	rc := _without_image(_model(_m, true, [_chainer], []), "primary_container")
	count(framework.warn) == 0 with input as _plan([rc], [])
}

# ---------------------------------------------------------------------------
# Unsupported images

test_chainer_primary_container_warned if {
	findings := framework.warn with input as _plan([_model(_m, true, [_chainer], [])], [])
	_addresses(findings) == {_m}
	msg := _message(findings, _m)
	contains(msg, "primary_container[0].image is from the sagemaker-chainer repository (Chainer)")
	contains(msg, "does not support network isolation")
}

test_pytorch_images_warned if {
	every image in [
		_pytorch,
		sprintf("%s/pytorch-training:2.3.0-gpu-py311", [_dlc]),
		sprintf("%s/pytorch-inference-graviton:2.2.1-cpu-py310", [_dlc]),
		sprintf("%s/sagemaker-pytorch:1.0.0-cpu-py3", [_registry]),
	] {
		findings := framework.warn with input as _plan([_model(_m, true, [image], [])], [])
		contains(_message(findings, _m), "repository (PyTorch), which does not support network isolation")
	}
}

test_scikit_learn_image_warned if {
	image := "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
	findings := framework.warn with input as _plan([_model(_m, true, [image], [])], [])
	contains(_message(findings, _m), "from the sagemaker-scikit-learn repository (Scikit-learn)")
}

test_reinforcement_learning_images_warned if {
	every image in [
		sprintf("%s/sagemaker-rl-tensorflow:coach0.11-cpu-py3", [_registry]),
		sprintf("%s/sagemaker-rl-mxnet:coach0.11-gpu-py3", [_registry]),
		"462105765813.dkr.ecr.us-west-2.amazonaws.com/sagemaker-rl-ray-container:ray-0.8.5-torch-cpu-py36",
		"462105765813.dkr.ecr.us-west-2.amazonaws.com/sagemaker-rl-coach-container:coach-1.0.0-tf-cpu-py3",
		"462105765813.dkr.ecr.us-west-2.amazonaws.com/sagemaker-rl-vw-container:vw-8.7.0-cpu",
	] {
		findings := framework.warn with input as _plan([_model(_m, true, [image], [])], [])
		contains(_message(findings, _m), "(SageMaker Reinforcement Learning)")
	}
}

test_image_with_digest_or_without_registry_matched if {
	every image in [
		sprintf("%s/sagemaker-chainer@sha256:0123abcd", [_registry]),
		"sagemaker-chainer:5.0.0-cpu-py3",
		sprintf("%s/SageMaker-Chainer:5.0.0", [_registry]),
	] {
		findings := framework.warn with input as _plan([_model(_m, true, [image], [])], [])
		contains(_message(findings, _m), "sagemaker-chainer repository")
	}
}

test_only_the_bad_container_of_a_pipeline_reported if {
	rc := _model(_m, true, [], [_tensorflow, _chainer, _tensorflow])
	findings := framework.warn with input as _plan([rc], [])
	msg := _message(findings, _m)
	startswith(msg, "container[1].image is from the sagemaker-chainer repository")
	not contains(msg, "container[0]")
	not contains(msg, "container[2]")
}

test_several_bad_containers_in_one_finding if {
	rc := _model(_m, true, [], [_chainer, sprintf("%s/sagemaker-rl-mxnet:coach0.11-cpu-py3", [_registry])])
	findings := framework.warn with input as _plan([rc], [])
	count(findings) == 1
	msg := _message(findings, _m)
	contains(msg, "container[0].image")
	contains(msg, "; container[1].image")
}

# ---------------------------------------------------------------------------
# Unknown until apply

test_unknown_image_of_an_ecr_repository_in_the_plan_checked_by_its_name if {
	config := [_image_config(_m, ["aws_ecr_repository.chainer.repository_url", "aws_ecr_repository.chainer"])]
	changes := [_image_unknown, _ecr("aws_ecr_repository.chainer", "sagemaker-chainer")]
	findings := framework.warn with input as _plan(changes, config)
	msg := _message(findings, _m)
	contains(msg, "primary_container[0].image refers to aws_ecr_repository.chainer, repository sagemaker-chainer")
	contains(msg, "(Chainer)")

	# a repository of another name passes
	other := [_image_unknown, _ecr("aws_ecr_repository.chainer", "inference")]
	count(framework.warn) == 0 with input as _plan(other, config)
}

test_unknown_image_of_an_ecr_repository_with_an_unknown_name_warned if {
	config := [_image_config(_m, ["aws_ecr_repository.named.repository_url", "aws_ecr_repository.named"])]
	repository := object.union(_ecr("aws_ecr_repository.named", null), {"change": {
		"after": {},
		"after_unknown": {"name": true, "repository_url": true},
	}})
	findings := framework.warn with input as _plan([_image_unknown, repository], config)
	contains(_message(findings, _m), "refers to aws_ecr_repository.named, whose name is unknown until apply")
}

test_unknown_image_not_from_the_plan_warned if {
	findings := framework.warn with input as _plan([_image_unknown], [_image_config(_m, ["module.images.uri"])])
	msg := _message(findings, _m)
	startswith(msg, "primary_container[0].image is unknown until apply and does not refer to an ECR repository")
}

test_container_blocks_unknown_as_a_whole_warned if {
	rc := {
		"address": _m,
		"mode": "managed",
		"type": "aws_sagemaker_model",
		"change": {
			"actions": ["create"],
			"after": {"name": "m", "enable_network_isolation": true, "primary_container": []},
			"after_unknown": {"container": true, "primary_container": []},
		},
	}
	findings := framework.warn with input as _plan([rc], [])
	_message(findings, _m) == "container is unknown until apply; its images cannot be verified"
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_model_ignored if {
	rc := _with_actions(_model(_m, true, [_chainer], []), ["delete"])
	count(framework.warn) == 0 with input as _plan([rc], [])
}

test_child_module_model_reported_with_full_address if {
	rc := object.union(_model(_m, true, [_chainer], []), {
		"address": `module.serving["prod"].aws_sagemaker_model.m`,
		"module_address": `module.serving["prod"]`,
	})
	findings := framework.warn with input as _plan([rc], [])
	_addresses(findings) == {`module.serving["prod"].aws_sagemaker_model.m`}
}
