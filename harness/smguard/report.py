"""A scan's result: the findings, their counts and the exit code they imply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smguard.findings import Finding, Verdict


@dataclass(frozen=True)
class ExemptionProblem:
    """An exemption that expired (and no longer applies) or matched nothing."""

    exemption: int  # its position in the configuration's exemptions list
    problem: str  # "expired" or "unused"
    message: str


@dataclass(frozen=True)
class Unread:
    """A part of an account an audit could not read: never a silent pass."""

    part: str  # what was not read, e.g. `aws_sagemaker_model in us-east-1`
    reason: str  # the operation and AWS's error


@dataclass(frozen=True)
class Report:
    source: str
    engine: str
    findings: tuple[Finding, ...]
    exemption_problems: tuple[ExemptionProblem, ...] = ()
    unread: tuple[Unread, ...] = ()
    unscanned: tuple[str, ...] = ()  # parts of a source scan not read (--allow-partial)
    not_checked: tuple[str, ...] = ()  # SageMaker resources no rule reads (catalogue.not_checked)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(f.verdict) for f in self.findings)
        return {str(v): counted.get(str(v), 0) for v in Verdict}

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean, 1 failures (or, with strict, warnings, exemption problems and
        SageMaker resources no rule checks)."""
        counts = self.counts
        doubts = counts["warn"] or self.exemption_problems or self.not_checked
        if counts["fail"] or (strict and doubts):
            return 1
        return 0


def merge(
    reports: list[Report],
    *,
    source: str,
    unread: tuple[Unread, ...] = (),
    unscanned: tuple[str, ...] = (),
    not_checked: tuple[str, ...] = (),
) -> Report:
    """One report from reports on disjoint parts of one document (an audit's regions).

    An exemption problem stands when every part reports it: an exemption is
    unused only if it matched nothing in any part (expiry is the same in all).
    """
    problems = set(reports[0].exemption_problems)
    for report in reports[1:]:
        problems &= set(report.exemption_problems)
    return Report(
        source=source,
        engine=reports[0].engine,
        findings=tuple(
            sorted((f for r in reports for f in r.findings), key=lambda f: (f.address, f.rule_id))
        ),
        exemption_problems=tuple(sorted(problems, key=lambda p: (p.exemption, p.problem))),
        unread=unread,
        unscanned=unscanned,
        not_checked=not_checked,
    )
