"""Human-readable report: failures and warnings grouped by resource, then a summary."""

from __future__ import annotations

from itertools import groupby

from smguard.findings import Verdict
from smguard.report import Report

_COLORS = {Verdict.FAIL: "\033[31m", Verdict.WARN: "\033[33m", Verdict.EXEMPT: "\033[36m"}
_RESET = "\033[0m"


def render(report: Report, *, color: bool = False) -> str:
    shown = [f for f in report.findings if f.verdict is not Verdict.PASS]
    lines: list[str] = []
    for address, group in groupby(shown, key=lambda f: f.address):
        lines.append(address)
        for f in group:
            label = f.verdict.upper()
            if color:
                label = f"{_COLORS[f.verdict]}{label}{_RESET}"
            lines.append(f"  {label:<4} {f.rule_id} {f.rule} [{f.severity}]: {f.message}")
            if f.verdict is Verdict.FAIL:
                lines.append(f"       fix: {f.remediation}")
        lines.append("")
    for problem in report.exemption_problems:
        lines.append(problem.message)
    if report.exemption_problems:
        lines.append("")
    if report.unread:
        lines.append("NOT AUDITED (could not be read; nothing here is a pass):")
        lines += [f"  {u.part}: {u.reason}" for u in report.unread]
        lines.append("")
    if report.unscanned:
        lines.append("NOT SCANNED (nothing in these is a pass):")
        lines += [f"  {module}" for module in report.unscanned]
        lines.append("")
    if report.not_checked:
        lines.append("NOT CHECKED (SageMaker resources no rule of this version reads):")
        lines += [f"  {address}" for address in report.not_checked]
        lines.append("")
    counts = report.counts
    resources = len({f.address for f in report.findings})
    lines.append(
        f"{counts['fail']} failed, {counts['warn']} warned, {counts['exempt']} exempted, "
        f"{counts['pass']} passed across {resources} resources "
        f"({report.source}, engine {report.engine})"
        + (f"; {len(report.unread)} parts not audited" if report.unread else "")
        + (f"; {len(report.unscanned)} not scanned" if report.unscanned else "")
        + (f"; {len(report.not_checked)} not checked" if report.not_checked else "")
    )
    return "\n".join(lines) + "\n"
