"""JUnit XML for GitLab and Jenkins test reports: one test case per rule and resource.

A failure is a <failure>; a warning a <skipped> case whose message says so
(JUnit has no warning state); an exempted finding a <skipped> case naming the
exemption; a pass a plain test case. One <testsuite> per rule, and one of
<error> cases for the parts of an account an audit could not read, one of
skipped cases for the parts a source scan could not read, and one of
warnings for exemptions that expired or matched nothing.
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
    if report.unread:  # parts of an account not read: errors, never a pass
        suite = ET.SubElement(suites, "testsuite", name="smguard: parts not audited")
        suite.set("tests", str(len(report.unread)))
        suite.set("errors", str(len(report.unread)))
        for u in report.unread:
            case = ET.SubElement(suite, "testcase", name=u.part, classname="smguard.audit")
            ET.SubElement(case, "error", message=u.reason)
    if report.unscanned:  # parts of a source scan not read: nothing in them passed
        suite = ET.SubElement(suites, "testsuite", name="smguard: not scanned")
        suite.set("tests", str(len(report.unscanned)))
        suite.set("skipped", str(len(report.unscanned)))
        for module in report.unscanned:
            case = ET.SubElement(suite, "testcase", name=module, classname="smguard.source")
            ET.SubElement(case, "skipped", message="not scanned")
    if report.not_checked:  # SageMaker resources no rule reads: skipped, never passed
        suite = ET.SubElement(suites, "testsuite", name="smguard: not checked")
        suite.set("tests", str(len(report.not_checked)))
        suite.set("skipped", str(len(report.not_checked)))
        for address in report.not_checked:
            case = ET.SubElement(suite, "testcase", name=address, classname="smguard.coverage")
            ET.SubElement(case, "skipped", message="not checked: no rule reads its type")
    if report.exemption_problems:  # warnings, as warned findings are
        suite = ET.SubElement(suites, "testsuite", name="smguard: exemptions")
        suite.set("tests", str(len(report.exemption_problems)))
        suite.set("skipped", str(len(report.exemption_problems)))
        for problem in report.exemption_problems:
            name = f"exemption {problem.exemption} {problem.problem}"
            case = ET.SubElement(suite, "testcase", name=name, classname="smguard.config")
            ET.SubElement(case, "skipped", message=f"warning: {problem.message}")
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )
