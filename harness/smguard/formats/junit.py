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
    # Parts of an account not read are errors; modules not scanned, resources no
    # rule reads and exemption problems are skipped: none of them is a pass.
    _suite(
        suites,
        "parts not audited",
        "error",
        "smguard.audit",
        [(u.part, u.reason) for u in report.unread],
    )
    _suite(
        suites,
        "not scanned",
        "skipped",
        "smguard.source",
        [(module, "not scanned") for module in report.unscanned],
    )
    _suite(
        suites,
        "not checked",
        "skipped",
        "smguard.coverage",
        [(a, "not checked: no rule reads its type") for a in report.not_checked],
    )
    _suite(suites, "exemptions", "skipped", "smguard.config", [
        (f"exemption {p.exemption} {p.problem}", f"warning: {p.message}")
        for p in report.exemption_problems
    ])  # fmt: skip
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _suite(
    suites: ET.Element, name: str, kind: str, classname: str, cases: list[tuple[str, str]]
) -> None:
    """A suite of cases that are each an error or skipped, with their messages."""
    if not cases:
        return
    suite = ET.SubElement(suites, "testsuite", name=f"smguard: {name}")
    suite.set("tests", str(len(cases)))
    suite.set("errors" if kind == "error" else "skipped", str(len(cases)))
    for case_name, message in cases:
        case = ET.SubElement(suite, "testcase", name=case_name, classname=classname)
        ET.SubElement(case, kind, message=message)
