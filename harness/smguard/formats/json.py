"""Machine-readable report: summary counts and every finding, passes included."""

from __future__ import annotations

import json
from dataclasses import asdict

from smguard import __version__
from smguard.report import Report


def render(report: Report) -> str:
    document = {
        "smguard_version": __version__,
        "source": report.source,
        "engine": report.engine,
        "summary": report.counts,
        "findings": [f.to_dict() for f in report.findings],
        "exemption_problems": [asdict(p) for p in report.exemption_problems],
    }
    return json.dumps(document, indent=2) + "\n"
