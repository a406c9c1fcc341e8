"""AWSCC resources take the AWS provider's shape by one table (loaders/awscc.py).

The fixtures (fixtures/awscc-*, fixtures/hcl-awscc) run on every engine in
test_fixtures.py and test_checkov_parity.py; these tests pin the mapping
itself: values, unknowns, configuration, what stays unmapped, the audit's
shape for the monitoring job definitions, and docs/providers.md.
"""

from __future__ import annotations

import copy
import json

from conftest import FIXTURES, REPO
from smguard import catalogue
from smguard.document import Document
from smguard.engines.opa import OpaEngine
from smguard.loaders import audit_document, awscc, hcl, plan

AWSCC = "registry.terraform.io/hashicorp/awscc"
ECR_URL = "aws_ecr_repository.r.repository_url"


def _change(address, type_, after, unknown=None, module=None):
    rc = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": address.rsplit(".", 1)[-1].split("[")[0],
        "provider_name": AWSCC,
        "change": {"actions": ["create"], "before": None, "after": after,
                   "after_unknown": unknown or {}},
    }  # fmt: skip
    if module:
        rc["module_address"] = module
    return rc


def _config(address, type_, expressions):
    name = address.split(".", 1)[1]
    return {"address": address, "mode": "managed", "type": type_, "name": name,
            "expressions": expressions}  # fmt: skip


def _plan(changes, resources=(), calls=None):
    root = {"resources": list(resources)}
    if calls:
        root["module_calls"] = calls
    return {"format_version": "1.2", "resource_changes": changes,
            "configuration": {"root_module": root}}  # fmt: skip


def _only(document: Document) -> dict:
    (rc,) = document.resource_changes()
    return rc


def test_a_model_takes_the_aws_shape_and_keeps_its_address():
    after = {
        "model_name": "m",
        "enable_network_isolation": True,
        "vpc_config": {"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]},
        "primary_container": {"image": "i", "environment": '{"A": "b"}'},
        "containers": [{"image": "c", "image_config": {"repository_access_mode": "Vpc"}}],
        "tags": [{"key": "team", "value": "ml"}],
    }
    rc = _only(
        Document(_plan([_change("awscc_sagemaker_model.m", "awscc_sagemaker_model", after)]), "")
    )
    assert rc["address"] == "awscc_sagemaker_model.m"
    assert (rc["type"], rc["provider_type"]) == ("aws_sagemaker_model", "awscc_sagemaker_model")
    assert rc["change"]["after"] == {
        "name": "m",
        "enable_network_isolation": True,
        "vpc_config": [{"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}],
        "primary_container": [{"image": "i", "environment": {"A": "b"}}],
        "container": [{"image": "c", "image_config": [{"repository_access_mode": "Vpc"}]}],
        "tags": {"team": "ml"},
    }


def test_unknowns_mirror_the_values_and_unset_attributes_are_absent():
    """AWSCC attributes are Optional+Computed: unset ones are unknown on create.
    Where the configuration shows them unset they are absent, as in the AWS provider."""
    rc = _change(
        "awscc_sagemaker_model.m", "awscc_sagemaker_model",
        {"model_name": "m", "vpc_config": {"subnets": ["subnet-1"]}},
        {"enable_network_isolation": True, "model_arn": True,
         "vpc_config": {"security_group_ids": True}, "primary_container": True},
    )  # fmt: skip
    expressions = {
        "model_name": {"constant_value": "m"},
        "vpc_config": {"constant_value": {"subnets": ["subnet-1"], "security_group_ids": None}},
        "primary_container": {"references": [ECR_URL, "aws_ecr_repository.r"]},
    }  # fmt: skip
    config = _config("awscc_sagemaker_model.m", "awscc_sagemaker_model", expressions)
    document = Document(_plan([rc], [config]), "")
    # Only the container, written with references, stays unknown (a block of unknowns).
    unknown = _only(document)["change"]["after_unknown"]
    assert list(unknown) == ["primary_container"]
    assert unknown["primary_container"][0]["image"] is True
    assert _only(document)["change"]["after"]["vpc_config"] == [{"subnets": ["subnet-1"]}]
    (written,) = document.data["configuration"]["root_module"]["resources"]
    assert (written["type"], written["provider_type"]) == (
        "aws_sagemaker_model",
        "awscc_sagemaker_model",
    )
    assert written["address"] == "awscc_sagemaker_model.m"
    refs = [ECR_URL, "aws_ecr_repository.r"]
    assert written["expressions"]["primary_container"][0]["image"] == {"references": refs}
    assert written["expressions"]["vpc_config"] == [
        {
            "subnets": {"constant_value": ["subnet-1"]},
            "security_group_ids": {"constant_value": None},
        }
    ]


def test_without_configuration_unknowns_stay_unknown():
    rc = _change("awscc_sagemaker_model.m", "awscc_sagemaker_model", {},
                 {"enable_network_isolation": True, "vpc_config": {"subnets": [True]}})  # fmt: skip
    data = {"format_version": "1.2", "resource_changes": [rc]}
    assert _only(Document(data, ""))["change"]["after_unknown"] == {
        "enable_network_isolation": True,
        "vpc_config": [{"subnets": [True]}],
    }


def test_references_of_a_list_of_objects_reach_every_element_of_every_module_instance():
    changes = [
        _change(f'module.ml["{k}"].awscc_sagemaker_model.this', "awscc_sagemaker_model",
                {"containers": [{}, {}]}, {"containers": [{"image": True}, {"image": True}]},
                module=f'module.ml["{k}"]')
        for k in ("a", "b")
    ]  # fmt: skip
    refs = ["aws_ecr_repository.r.repository_url", "aws_ecr_repository.r"]
    config = _config("awscc_sagemaker_model.this", "awscc_sagemaker_model",
                     {"containers": {"references": refs}})  # fmt: skip
    document = Document(_plan(changes, calls={"ml": {"module": {"resources": [config]}}}), "")
    (written,) = document.data["configuration"]["root_module"]["module_calls"]["ml"]["module"][
        "resources"
    ]
    containers = written["expressions"]["container"]
    assert [c["image"] for c in containers] == [{"references": refs}] * 2
    for rc in document.resource_changes():
        assert rc["change"]["after_unknown"] == {"container": [{"image": True}, {"image": True}]}


def test_a_pipeline_definition_becomes_the_aws_providers_two_attributes():
    after = {"pipeline_name": "p", "pipeline_definition": {
        "pipeline_definition_body": '{"Steps": []}',
        "pipeline_definition_s3_location": {"bucket": "b", "key": "k", "version": "1"},
    }}  # fmt: skip
    rc = _only(
        Document(
            _plan([_change("awscc_sagemaker_pipeline.p", "awscc_sagemaker_pipeline", after)]), ""
        )
    )
    assert rc["change"]["after"] == {
        "pipeline_name": "p",
        "pipeline_definition": '{"Steps": []}',
        "pipeline_definition_s3_location": [{"bucket": "b", "object_key": "k", "version_id": "1"}],
    }
    unknown = _change("awscc_sagemaker_pipeline.p", "awscc_sagemaker_pipeline",
                      {"pipeline_name": "p"}, {"pipeline_definition": True})  # fmt: skip
    assert _only(Document(_plan([unknown]), ""))["change"]["after_unknown"] == {
        "pipeline_definition": True,
        "pipeline_definition_s3_location": True,
    }


def test_normalising_twice_changes_nothing_and_a_plan_without_awscc_is_untouched():
    data = json.loads((FIXTURES / "awscc-endpoint-chain" / "plan.json").read_text())
    once = awscc.normalise(copy.deepcopy(data))
    assert awscc.normalise(once) is once
    aws_only = json.loads((FIXTURES / "compliant-model" / "plan.json").read_text())
    assert awscc.normalise(aws_only) is aws_only


def test_monitoring_job_definitions_take_the_audits_shape():
    """The types without an AWS provider resource are the audit's, attribute for attribute."""
    network = {"enable_network_isolation": True, "enable_inter_container_traffic_encryption": True,
               "vpc_config": {"subnets": ["subnet-1"], "security_group_ids": ["sg-1"]}}  # fmt: skip
    api = {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
           "VpcConfig": {"Subnets": ["subnet-1"], "SecurityGroupIds": ["sg-1"]}}  # fmt: skip
    kinds = {"model_quality": "ModelQuality", "model_bias": "ModelBias",
             "model_explainability": "ModelExplainability",
             "data_quality": "DataQuality"}  # fmt: skip
    for kind, app in kinds.items():
        after = {"job_definition_name": "j", "role_arn": "r", "network_config": network,
                 f"{kind}_app_specification": {"image_uri": "i"}}  # fmt: skip
        type_ = f"awscc_sagemaker_{kind}_job_definition"
        rc = _only(Document(_plan([_change(f"{type_}.j", type_, after)]), ""))
        audit = audit_document.RESOURCES[rc["type"]]
        answer = {"JobDefinitionName": "j", "RoleArn": "r", "NetworkConfig": api,
                  f"{app}AppSpecification": {"ImageUri": "i"}}  # fmt: skip
        expected = {k: v for k, v in audit_document.attributes(audit.spec, answer).items() if v}
        assert rc["change"]["after"] == expected, kind


def test_every_mapped_type_is_one_the_rules_or_the_audit_know():
    known = catalogue.resource_types(catalogue.load()) | audit_document.RESOURCES.keys()
    for awscc_type, resource in awscc.RESOURCES.items():
        assert resource.type in known, awscc_type
        assert awscc_type == resource.type.replace("aws_", "awscc_", 1), awscc_type


def test_unmapped_awscc_types_stay_not_checked():
    unmapped = ["cluster", "processing_job", "space", "inference_component", "monitoring_schedule"]
    changes = [_change(f"awscc_sagemaker_{t}.x", f"awscc_sagemaker_{t}", {}) for t in unmapped]
    changes += [_change(f"{t}.x", t, {}) for t in awscc.RESOURCES]
    rules = catalogue.load()
    read = catalogue.resource_types(rules)
    expected = sorted(
        [f"awscc_sagemaker_{t}.x" for t in unmapped]
        + [f"{t}.x" for t, r in awscc.RESOURCES.items() if r.type not in read]
    )
    assert catalogue.not_checked(Document(_plan(changes), ""), rules) == tuple(expected)


def test_a_source_scan_gives_the_plan_shape_and_the_expected_verdicts():
    case = FIXTURES / "hcl-awscc"
    document = hcl.load(case)
    by_address = {rc["address"]: rc for rc in document.resource_changes()}
    model = by_address["awscc_sagemaker_model.open"]
    assert (model["type"], model["provider_type"]) == (
        "aws_sagemaker_model",
        "awscc_sagemaker_model",
    )
    assert model["change"]["after"]["container"] == [{
        "image": "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost-inference:1.7-1",
        "environment": {"HF_MODEL_ID": "meta-llama/Llama-3.1-8B"},
    }]  # fmt: skip
    assert model["change"]["after"]["vpc_config"] == [{"subnets": ["subnet-0a1b2c3d"]}]
    assert document.locations["awscc_sagemaker_model.open"][0].endswith("main.tf")
    expected = json.loads((case / "expected.json").read_text())
    got = {
        (f.rule_id, f.address, str(f.verdict))
        for f in OpaEngine().evaluate(document).findings
        if f.rule_id in expected["rules"]
    }
    assert got == {(f["rule_id"], f["address"], f["verdict"]) for f in expected["findings"]}


def test_plan_fixtures_name_the_awscc_addresses():
    for case in sorted(FIXTURES.glob("awscc-*")):
        document = plan.load(case / "plan.json")
        awscc_addresses = {
            rc["address"] for rc in document.resource_changes() if "provider_type" in rc
        }
        assert awscc_addresses, case.name
        assert all("awscc_sagemaker_" in address for address in awscc_addresses), case.name
        findings = json.loads((case / "expected.json").read_text())["findings"]
        assert {f["address"] for f in findings} & awscc_addresses, case.name


def test_docs_are_the_table():
    assert (REPO / "docs" / "providers.md").read_text() == awscc.render_markdown(), (
        "docs/providers.md is stale: python -m smguard.loaders.awscc > docs/providers.md"
    )


def test_an_object_unknown_as_a_whole_is_a_block_of_unknown_attributes():
    """As Terraform writes a block of unknown arguments (a source scan renders
    `vpc_config = { subnets = [aws_subnet.a.id] }` unknown as a whole)."""
    rc = _change("awscc_sagemaker_model.m", "awscc_sagemaker_model", {"model_name": "m"},
                 {"vpc_config": True, "primary_container": True})  # fmt: skip
    refs = ["aws_subnet.a.id", "aws_subnet.a"]
    expressions = {"model_name": {"constant_value": "m"}, "vpc_config": {"references": refs}}
    config = _config("awscc_sagemaker_model.m", "awscc_sagemaker_model", expressions)
    change = _only(Document(_plan([rc], [config]), ""))["change"]
    assert change["after"]["vpc_config"] == [{}]
    assert change["after_unknown"] == {
        "vpc_config": [{"subnets": True, "security_group_ids": True}],
    }  # the container is not configured: absent


def test_awscc_types_without_a_network_setting_are_not_reported():
    """terraform-provider-awscc 1.96.0: these have no VPC, subnet, security group,
    isolation or network attribute (docs/resources/sagemaker_*.md)."""
    quiet = ["action", "algorithm", "context", "experiment", "experiment_trial_component",
             "inference_experiment", "mlflow_app", "mlflow_tracking_server", "model_package",
             "partner_app", "trial_component"]  # fmt: skip
    changes = [_change(f"awscc_sagemaker_{t}.x", f"awscc_sagemaker_{t}", {}) for t in quiet]
    assert catalogue.not_checked(Document(_plan(changes), ""), catalogue.load()) == ()
