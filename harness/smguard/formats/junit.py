"""JUnit XML for GitLab and Jenkins test reports: one test case per rule and resource.

A failure is a <failure>; a warning a <skipped> case whose message says so
(JUnit has no warning state); an exempted finding a <skipped> case naming the
exemption; a pass a plain test case. One <testsuite> per rule.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from smguard.findings import Verdict
from smguard.report import Report


def render(report: Report) -> str:
    suites = ET.Element("testsuites", name="smguard", tests=str(len(report.findings)))
    suites.set("failures", str(report.counts["fail"]))
    ordered = sorted(report.findings, key=lambda f: (f.rule_id, f.address))
    for rule_id, group in groupby(ordered, key=lambda f: f.rule_id):
        findings = list(group)
        suite = ET.SubElement(suites, "testsuite", name=f"{rule_id} {findings[0].rule}")
        suite.set("tests", str(len(findings)))
        suite.set("failures", str(sum(f.verdict is Verdict.FAIL for f in findings)))
        suite.set(
            "skipped", str(sum(f.verdict in (Verdict.WARN, Verdict.EXEMPT) for f in findings))
        )
        for f in findings:
            case = ET.SubElement(
                suite, "testcase", name=f.address, classname=f"{f.rule_id}.{f.rule}"
            )
            if f.file:
                case.set("file", f.file)
                case.set("line", str(f.line or 1))
            if f.verdict is Verdict.FAIL:
                failure = ET.SubElement(case, "failure", message=f.message, type=f.severity)
                failure.text = f"{f.title}\n{f.message}\nFix: {f.remediation}"
            elif f.verdict is Verdict.WARN:
                ET.SubElement(case, "skipped", message=f"warning: {f.message}")
            elif f.verdict is Verdict.EXEMPT:
                ET.SubElement(case, "skipped", message=f"exempt: {f.message}")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
