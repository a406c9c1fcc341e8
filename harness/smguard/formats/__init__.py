"""Report formats. Each renders a Report to a string for stdout."""

from __future__ import annotations

from enum import StrEnum

from smguard.report import Report


class FormatName(StrEnum):
    TEXT = "text"
    JSON = "json"


def render(name: FormatName, report: Report, *, color: bool = False) -> str:
    if name is FormatName.JSON:
        from smguard.formats import json as json_format

        return json_format.render(report)
    from smguard.formats import text

    return text.render(report, color=color)
