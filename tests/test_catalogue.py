"""The catalogue read from METADATA: complete, unique, and named consistently."""

from __future__ import annotations

import re

from smguard import catalogue

SEVERITIES = {"critical", "high", "medium", "low"}


def test_every_rule_has_complete_metadata():
    rules = catalogue.load()
    assert len(rules) >= 6
    for rule in rules:
        assert re.fullmatch(r"SMG-[A-Z]+-\d{3}", rule.id), rule.id
        assert rule.name == rule.path.parent.name.replace("_", "-")
        assert rule.family == rule.path.parent.parent.name
        assert " must " in rule.title, rule.title
        assert rule.severity in SEVERITIES
        assert rule.resources and all(t.startswith("aws_") for t in rule.resources)
        assert "`" in rule.remediation, "remediation names the exact Terraform attribute"
        assert rule.description


def test_ids_and_names_are_unique():
    rules = catalogue.load()
    assert len({r.id for r in rules}) == len(rules)
    assert len({r.name for r in rules}) == len(rules)


def test_resource_types_cover_reported_and_read_types():
    types = catalogue.resource_types(catalogue.load())
    assert {"aws_sagemaker_model", "aws_sagemaker_domain", "aws_subnet"} <= types


def test_generated_catalogue_document_lists_every_rule():
    from smguard.paths import policies_dir

    text = (policies_dir().parent / "docs" / "rules.md").read_text()
    for rule in catalogue.load():
        assert f"| {rule.id} | [{rule.name}](#{rule.name}) |" in text
        assert f"## {rule.name}\n" in text
        assert rule.remediation in text


def test_references_use_known_keys():
    for rule in catalogue.load():
        assert set(rule.references) <= {"checkov", "security_hub", "aws_config"}, rule.id
