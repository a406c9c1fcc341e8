"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Failures are `error`, warnings `warning`; exempted findings are kept with an
external suppression and their reason. Passes are left out. A finding with a
source location (a source scan, or a plan scan with --source) points at the
.tf file and line; otherwise at the resource address as a logical location.
"""

from __future__ import annotations

import json

from smguard import __version__, catalogue
from smguard.findings import Finding, Verdict
from smguard.report import Report

_LEVELS = {Verdict.FAIL: "error", Verdict.WARN: "warning", Verdict.EXEMPT: "error"}
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def render(report: Report) -> str:
    rules = catalogue.load()
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [
        _result(f, index[f.rule_id]) for f in report.findings if f.verdict is not Verdict.PASS
    ]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "smguard",
                        "version": __version__,
                        "informationUri": "https://github.com/smguard/smguard",
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "results": results,
                "invocations": [_invocation(report)],
                "properties": {"source": report.source, "engine": report.engine},
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _invocation(report: Report) -> dict:
    """Parts of an account an audit could not read (errors), exemption
    problems and parts a source scan could not read (warnings), as
    notifications of the run: not results of a rule."""
    notifications = [
        {"level": "error", "message": {"text": f"not audited: {u.part}: {u.reason}"}}
        for u in report.unread
    ] + [{"level": "warning", "message": {"text": p.message}} for p in report.exemption_problems]
    notifications += [
        {"level": "warning", "message": {"text": f"not scanned: {module}"}}
        for module in report.unscanned
    ]
    notifications += [
        {"level": "warning", "message": {"text": f"not checked (no rule reads its type): {a}"}}
        for a in report.not_checked
    ]
    invocation: dict = {"executionSuccessful": not report.unread}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _rule(rule: catalogue.Rule) -> dict:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.remediation}", "markdown": f"**Fix:** {rule.remediation}"},
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["security", "sagemaker", rule.family],
            "security-severity": _SECURITY_SEVERITY.get(rule.severity, "5.0"),
            "problem.severity": rule.severity,
        },
    }


def _result(finding: Finding, rule_index: int) -> dict:
    result = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.verdict],
        "message": {"text": f"{finding.address}: {finding.message}"},
        "locations": [_location(finding)],
        "partialFingerprints": {"smguard/v1": f"{finding.rule_id}:{finding.address}"},
    }
    if finding.verdict is Verdict.EXEMPT:
        result["suppressions"] = [{"kind": "external", "justification": finding.message}]
    return result


def _location(finding: Finding) -> dict:
    logical = [{"fullyQualifiedName": finding.address, "kind": "resource"}]
    if not finding.file:
        return {"logicalLocations": logical}
    return {
        "physicalLocation": {
            "artifactLocation": {"uri": finding.file},
            "region": {"startLine": max(finding.line or 1, 1)},
        },
        "logicalLocations": logical,
    }
