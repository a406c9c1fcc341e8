# The project's .regal/config.yaml overrides directory-package-mismatch without
# exclude-test-suffix, so a `_test` package beside the code it tests is flagged.
package smguard.rules.model.model_isolated_container_network_use_test

import data.smguard.rules.model.model_isolated_container_network_use as network_use

# ---------------------------------------------------------------------------
# Fixtures

_image := "763104351884.dkr.ecr.us-west-2.amazonaws.com/pytorch-inference:2.1.0-cpu-py310"

_container(environment) := {
	"container_hostname": null,
	"environment": environment,
	"image": _image,
	"image_config": [],
	"mode": "SingleModel",
	"model_data_url": "s3://models/fraud/model.tar.gz",
	"model_package_name": null,
	"multi_model_config": [],
}

# A model whose primary containers and containers have the given environments.
_model(address, isolation, primary, containers) := {
	"address": address,
	"mode": "managed",
	"type": "aws_sagemaker_model",
	"change": {
		"actions": ["create"],
		"after": {
			"name": "m",
			"enable_network_isolation": isolation,
			"primary_container": [_container(env) | some env in primary],
			"container": [_container(env) | some env in containers],
		},
		"after_unknown": {
			"arn": true,
			"id": true,
			"primary_container": [{} | some _ in primary],
			"container": [{} | some _ in containers],
		},
	},
}

_isolated(environment) := _model(_m, true, [environment], [])

_with_unknown(rc, after_unknown) := object.union(rc, {"change": {"after_unknown": after_unknown}})

_plan(changes) := {"format_version": "1.2", "resource_changes": changes}

_with_actions(rc, actions) := object.union(rc, {"change": {"actions": actions}})

_addresses(findings) := {f.address | some f in findings}

_message(findings, address) := f.message if {
	some f in findings
	f.address == address
}

_m := "aws_sagemaker_model.m"

# ---------------------------------------------------------------------------
# Compliant

test_local_and_plain_values_pass if {
	environment := {
		"SAGEMAKER_PROGRAM": "inference.py",
		"SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code",
		"SAGEMAKER_REGION": "us-west-2",
		"SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
		"HF_MODEL_ID": "/opt/ml/model",
		"OPTION_MODEL_ID": "/opt/ml/model",
		"HF_TASK": "text-classification",
		"HF_HUB_OFFLINE": "1",
		"HF_TOKEN": "",
		"MAX_BATCH": 8,
	}
	count(network_use.warn) == 0 with input as _plan([_isolated(environment)])
}

test_no_environment_passes if {
	every environment in [null, {}] {
		count(network_use.warn) == 0 with input as _plan([_isolated(environment)])
	}
}

test_model_data_url_is_not_checked if {
	# SageMaker downloads the model artefact before isolating the container
	rc := _isolated(null)
	rc.change.after.primary_container[0].model_data_url == "s3://models/fraud/model.tar.gz"
	count(network_use.warn) == 0 with input as _plan([rc])
}

test_models_without_isolation_not_checked if {
	every isolation in [false, null] {
		rc := _model(_m, isolation, [{"SAGEMAKER_SUBMIT_DIRECTORY": "s3://code/source.tar.gz"}], [])
		count(network_use.warn) == 0 with input as _plan([rc])
	}
}

# ---------------------------------------------------------------------------
# Values the container would fetch

test_s3_uri_warned if {
	rc := _isolated({"SAGEMAKER_SUBMIT_DIRECTORY": "s3://code/fraud/source.tar.gz", "SAGEMAKER_PROGRAM": "inference.py"})
	findings := network_use.warn with input as _plan([rc])
	_addresses(findings) == {_m}
	msg := _message(findings, _m)
	startswith(msg, "primary_container[0].environment.SAGEMAKER_SUBMIT_DIRECTORY is an S3 URI")
	contains(msg, "no network access and no AWS credentials")
	not contains(msg, "SAGEMAKER_PROGRAM")
	not contains(msg, "s3://code") # values are not repeated
}

test_upper_case_s3_scheme_warned if {
	findings := network_use.warn with input as _plan([_isolated({"DATA": "S3://bucket/prefix"})])
	contains(_message(findings, _m), "environment.DATA is an S3 URI")
}

test_aws_service_endpoints_warned if {
	every value in [
		"https://sqs.us-west-2.amazonaws.com/123456789012/results",
		"dynamodb.eu-west-1.amazonaws.com",
		"https://features.s3.amazonaws.com/table.parquet",
		"bedrock-runtime.us-east-1.amazonaws.com:443",
		"https://sagemaker.cn-north-1.amazonaws.com.cn",
	] {
		findings := network_use.warn with input as _plan([_isolated({"ENDPOINT": value})])
		contains(_message(findings, _m), "environment.ENDPOINT names an AWS service endpoint")
	}
}

test_look_alike_hosts_pass if {
	every value in ["https://amazonaws.com.example.org/x", "notamazonaws.community", "amazonaws"] {
		count(network_use.warn) == 0 with input as _plan([_isolated({"URL": value})])
	}
}

test_model_hub_ids_warned if {
	every key in ["HF_MODEL_ID", "OPTION_MODEL_ID"] {
		findings := network_use.warn with input as _plan([_isolated({key: "meta-llama/Meta-Llama-3-8B-Instruct"})])
		contains(_message(findings, _m), sprintf("environment.%s names a model hub id", [key]))
	}
}

test_model_id_in_s3_reported_as_s3 if {
	findings := network_use.warn with input as _plan([_isolated({"OPTION_MODEL_ID": "s3://weights/llama/"})])
	contains(_message(findings, _m), "environment.OPTION_MODEL_ID is an S3 URI")
}

test_hub_tokens_warned if {
	every key in ["HF_TOKEN", "HF_API_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
		findings := network_use.warn with input as _plan([_isolated({key: "hf_secret"})])
		msg := _message(findings, _m)
		contains(msg, sprintf("environment.%s is a Hugging Face Hub token", [key]))
		not contains(msg, "hf_secret")
	}
}

test_problems_of_one_container_in_key_order if {
	rc := _isolated({"Z_QUEUE": "https://sqs.us-west-2.amazonaws.com/1/q", "A_DATA": "s3://d/x"})
	msg := _message(network_use.warn, _m) with input as _plan([rc])
	startswith(msg, "primary_container[0].environment.A_DATA is an S3 URI")
	contains(msg, "; primary_container[0].environment.Z_QUEUE names an AWS service endpoint")
}

test_only_the_bad_container_of_a_pipeline_reported if {
	rc := _model(_m, true, [], [{"SAGEMAKER_PROGRAM": "pre.py"}, {"HF_MODEL_ID": "distilbert-base-uncased"}, null])
	findings := network_use.warn with input as _plan([rc])
	msg := _message(findings, _m)
	startswith(msg, "container[1].environment.HF_MODEL_ID names a model hub id")
	not contains(msg, "container[0]")
	not contains(msg, "container[2]")
}

# ---------------------------------------------------------------------------
# Unknown until apply

test_value_unknown_until_apply_warned if {
	rc := _with_unknown(_isolated({"SAGEMAKER_PROGRAM": "inference.py"}), {
		"primary_container": [{"environment": {"QUEUE_URL": true}}],
		"container": [],
	})
	findings := network_use.warn with input as _plan([rc])
	_message(findings, _m) == concat("", [
		"primary_container[0].environment.QUEUE_URL is unknown until apply and cannot be verified; ",
		"with network isolation the container has no network access and no AWS credentials",
	])
}

test_environment_unknown_as_a_whole_warned if {
	without := [object.remove(_container(null), ["environment"])]
	rc := _with_unknown(
		object.union(_isolated(null), {"change": {"after": {"primary_container": without}}}),
		{"primary_container": [{"environment": true}], "container": []},
	)
	findings := network_use.warn with input as _plan([rc])
	startswith(_message(findings, _m), "primary_container[0].environment is unknown until apply")
}

test_container_blocks_unknown_as_a_whole_warned if {
	rc := {
		"address": _m,
		"mode": "managed",
		"type": "aws_sagemaker_model",
		"change": {
			"actions": ["create"],
			"after": {"name": "m", "enable_network_isolation": true, "container": []},
			"after_unknown": {"primary_container": true, "container": []},
		},
	}
	findings := network_use.warn with input as _plan([rc])
	startswith(_message(findings, _m), "primary_container is unknown until apply; its environment cannot be verified")
}

test_container_element_unknown_warned if {
	rc := {
		"address": _m,
		"mode": "managed",
		"type": "aws_sagemaker_model",
		"change": {
			"actions": ["create"],
			"after": {"name": "m", "enable_network_isolation": true, "container": [null]},
			"after_unknown": {"container": [true]},
		},
	}
	findings := network_use.warn with input as _plan([rc])
	startswith(_message(findings, _m), "container[0].environment is unknown until apply")
}

# ---------------------------------------------------------------------------
# Actions and addresses

test_deleted_model_ignored if {
	rc := _with_actions(_isolated({"DATA": "s3://d/x"}), ["delete"])
	count(network_use.warn) == 0 with input as _plan([rc])
}

test_child_module_model_reported_with_full_address if {
	rc := object.union(_isolated({"DATA": "s3://d/x"}), {
		"address": `module.serving["prod"].aws_sagemaker_model.m`,
		"module_address": `module.serving["prod"]`,
	})
	findings := network_use.warn with input as _plan([rc])
	_addresses(findings) == {`module.serving["prod"].aws_sagemaker_model.m`}
}
