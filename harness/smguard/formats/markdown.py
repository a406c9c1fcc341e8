"""A pull-request comment: summary, failures with remediation, warnings, and a
Mermaid diagram of the SageMaker resources coloured by verdict (GitHub and
GitLab draw Mermaid in comments)."""

from __future__ import annotations

from smguard.findings import Verdict
from smguard.graph import Graph, mermaid
from smguard.report import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report, graph: Graph | None = None) -> str:
    counts = report.counts
    status = "❌" if counts["fail"] else ("⚠️" if counts["warn"] else "✅")
    lines = [
        f"## {status} smguard: {counts['fail']} failed, {counts['warn']} warned, "
        f"{counts['exempt']} exempted, {counts['pass']} passed",
        "",
        f"`{report.source}` · engine `{report.engine}`",
    ]
    for verdict, heading in (
        (Verdict.FAIL, "Failures"),
        (Verdict.WARN, "Warnings"),
        (Verdict.EXEMPT, "Exempted"),
    ):
        rows = [f for f in report.findings if f.verdict is verdict]
        if not rows:
            continue
        lines += [
            "",
            f"### {heading}",
            "",
            "| Rule | Resource | Problem | Fix |",
            "|---|---|---|---|",
        ]
        for f in rows:
            where = f"`{_cell(f.address)}`" + (f" ({f.file}:{f.line})" if f.file else "")
            rule = f"**{f.rule_id}** {f.rule} ({f.severity})"
            lines.append(f"| {rule} | {where} | {_cell(f.message)} | {_cell(f.remediation)} |")
    for problem in report.exemption_problems:
        lines += ["", f"- {problem.message}"]
    if report.unread:
        lines += ["", f"### Not audited ({len(report.unread)} parts)", ""]
        lines += [f"- {_cell(u.part)}: {_cell(u.reason)}" for u in report.unread]
    if report.unscanned:
        lines += ["", f"### Not scanned ({len(report.unscanned)}; nothing in them is a pass)", ""]
        lines += [f"- {_cell(module)}" for module in report.unscanned]
    if report.not_checked:
        lines += ["", f"### Not checked ({len(report.not_checked)} SageMaker resources)", ""]
        lines += ["No rule of this smguard version reads their type:", ""]
        lines += [f"- {_cell(address)}" for address in report.not_checked]
    if graph and graph.nodes:
        lines += [
            "",
            "<details open><summary>SageMaker resources and how they connect</summary>",
            "",
        ]
        lines += ["```mermaid", mermaid(graph), "```", "", "</details>"]
    return "\n".join(lines) + "\n"
