"""One finding per (rule, resource): the unit every engine and format shares."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum


class Verdict(StrEnum):
    FAIL = "fail"
    WARN = "warn"
    PASS = "pass"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule: str
    title: str
    verdict: Verdict
    severity: str
    address: str
    message: str
    remediation: str
    file: str | None = None
    line: int | None = None

    def to_dict(self) -> dict:
        # Shallow: every field is a plain value (asdict's deep copy took 0.15 s
        # for the 4,000 findings of a 10,000-resource plan).
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @property
    def key(self) -> tuple[str, str, str]:
        """(rule id, address, verdict): what expected-verdict files compare."""
        return (self.rule_id, self.address, str(self.verdict))
