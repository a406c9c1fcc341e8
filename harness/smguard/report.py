"""A scan's result: the findings, their counts and the exit code they imply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from smguard.findings import Finding, Verdict


@dataclass(frozen=True)
class Report:
    source: str
    engine: str
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(str(f.verdict) for f in self.findings)
        return {str(v): counted.get(str(v), 0) for v in Verdict}

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean, 1 failures (or warnings with strict)."""
        counts = self.counts
        if counts["fail"] or (strict and counts["warn"]):
            return 1
        return 0
