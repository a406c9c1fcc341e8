"""Machine-readable report: summary counts and every finding, passes included."""

from __future__ import annotations

import json
from dataclasses import asdict

from smguard import __version__
from smguard.report import Report


def render(report: Report, plan: dict | None = None) -> str:
    """The report; with `plan`, the audit document it was made from under `plan`.

    `smguard scan` reads such a report as that document (and conftest and OPA
    read `input.plan` as the plan, as they do for HCP Terraform's wrapper).
    """
    document = {
        "smguard_version": __version__,
        "source": report.source,
        "engine": report.engine,
        "summary": report.counts,
        "findings": [f.to_dict() for f in report.findings],
        "exemption_problems": [asdict(p) for p in report.exemption_problems],
        "unread": [asdict(u) for u in report.unread],
        "unscanned": list(report.unscanned),
        "not_checked": list(report.not_checked),
    }
    if plan is not None:
        document["plan"] = plan
    return json.dumps(document, indent=2) + "\n"
