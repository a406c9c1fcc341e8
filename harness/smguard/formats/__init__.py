"""Report formats. Each renders a Report to a string for stdout."""

from __future__ import annotations

from enum import StrEnum

from smguard.graph import Graph
from smguard.report import Report


class FormatName(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    GITHUB = "github"
    MARKDOWN = "markdown"


def render(
    name: FormatName,
    report: Report,
    *,
    color: bool = False,
    graph: Graph | None = None,
    document: dict | None = None,
) -> str:
    """The report in the named format.

    The graph is drawn by the Markdown format only; the document (an audit's)
    is embedded by the JSON format only, so that `smguard scan` can read it again.
    """
    # Each format is imported only when used.
    if name is FormatName.TEXT:
        from smguard.formats import text

        return text.render(report, color=color)
    if name is FormatName.JSON:
        from smguard.formats import json

        return json.render(report, document)
    if name is FormatName.SARIF:
        from smguard.formats import sarif

        return sarif.render(report)
    if name is FormatName.JUNIT:
        from smguard.formats import junit

        return junit.render(report)
    if name is FormatName.GITHUB:
        from smguard.formats import github

        return github.render(report)
    from smguard.formats import markdown

    return markdown.render(report, graph)
