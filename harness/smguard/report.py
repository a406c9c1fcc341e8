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
class Report:
    source: str
    engine: str
    findings: tuple[Finding, ...]
    exemption_problems: tuple[ExemptionProblem, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(f.verdict) for f in self.findings)
        return {str(v): counted.get(str(v), 0) for v in Verdict}

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean, 1 failures (or, with strict, warnings and exemption problems)."""
        counts = self.counts
        if counts["fail"] or (strict and (counts["warn"] or self.exemption_problems)):
            return 1
        return 0
