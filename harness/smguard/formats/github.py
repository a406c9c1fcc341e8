"""GitHub Actions workflow commands: an ::error or ::warning annotation per finding.

Annotations carry file and line when the finding has them (source scans, or
plan scans with --source); otherwise they appear on the workflow run.
"""

from __future__ import annotations

from smguard.findings import Finding, Verdict
from smguard.report import Report

_COMMANDS = {Verdict.FAIL: "error", Verdict.WARN: "warning"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding) -> str:
    properties = [f"title={_escape_property(f'{finding.rule_id} {finding.rule}')}"]
    if finding.file:
        properties = [
            f"file={_escape_property(finding.file)}",
            f"line={finding.line or 1}",
            *properties,
        ]
    message = f"{finding.address}: {finding.message}"
    if finding.verdict is Verdict.FAIL:
        message += f"\nFix: {finding.remediation}"
    return f"::{_COMMANDS[finding.verdict]} {','.join(properties)}::{_escape_data(message)}"


NOTE = "not checked: no rule of this smguard version reads its type"


def render(report: Report) -> str:
    lines = [_annotation(f) for f in report.findings if f.verdict in _COMMANDS]
    lines += [
        f"::error title=smguard%3A not audited::{_escape_data(f'{u.part}: {u.reason}')}"
        for u in report.unread
    ]
    lines += [
        f"::warning title=smguard%3A not scanned::{_escape_data(module)}"
        for module in report.unscanned
    ]
    lines += [
        f"::warning title=smguard%3A not checked::{_escape_data(f'{address}: {NOTE}')}"
        for address in report.not_checked
    ]
    lines += [
        f"::warning title=smguard%3A exemption::{_escape_data(p.message)}"
        for p in report.exemption_problems
    ]
    counts = report.counts
    lines.append(
        f"smguard: {counts['fail']} failed, {counts['warn']} warned, "
        f"{counts['exempt']} exempted, {counts['pass']} passed"
    )
    return "\n".join(lines) + "\n"
