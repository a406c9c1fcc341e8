"""The engine interface and what every Rego engine shares.

A Rego engine returns the `data.smguard.main.report` document; `findings()`
checks that the report covers exactly the catalogued rules (never a silent
pass from a bundle that loaded nothing or the wrong thing) and adds a `pass`
finding for every checked resource a rule had nothing to say about.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod

from smguard import catalogue
from smguard.document import Document
from smguard.errors import EngineError
from smguard.findings import Finding, Verdict

ENTRYPOINT = "data.smguard.main.report"


class Engine(ABC):
    name: str

    def evaluate(self, document: Document, config: dict | None = None) -> list[Finding]:
        rules = catalogue.load()
        payload = document.for_engine(catalogue.resource_types(rules))
        report = self.report(payload, policy_data(config))
        return findings(report, rules, document, self.name)

    @abstractmethod
    def report(self, payload: dict, data: dict) -> dict:
        """Evaluate the bundle on payload with data; return the report document."""


def policy_data(config: dict | None) -> dict:
    """The `data.smguard` document the policies read besides the bundle."""
    return {
        "smguard": {
            "config": config or {},
            "now": datetime.date.today().isoformat(),
        }
    }


def findings(
    report: dict, rules: tuple[catalogue.Rule, ...], document: Document, engine: str
) -> list[Finding]:
    by_package = {r.package: r for r in rules}
    if not isinstance(report, dict) or "deny" not in report:
        raise EngineError(f"{engine}: the policy bundle returned no report")
    problems = [f"not loaded: {n}" for n in sorted(report.get("missing", []))]
    problems += [f"not catalogued: {n}" for n in sorted(report.get("uncatalogued", []))]
    if set(report.get("loaded", [])) != set(by_package) and not problems:
        problems.append(f"loaded {sorted(report.get('loaded', []))}, expected {sorted(by_package)}")
    if problems:
        raise EngineError(f"{engine}: policy bundle is incomplete ({'; '.join(problems)})")

    by_id = {r.id: r for r in rules}
    results: dict[tuple[str, str], Finding] = {}
    for verdict, key in ((Verdict.WARN, "warn"), (Verdict.FAIL, "deny")):
        for item in report[key]:
            rule = by_id.get(item.get("rule_id"))
            if rule is None:
                raise EngineError(f"{engine}: unexpected result {item.get('msg', item)!r}")
            if item.get("rule") != rule.name:
                raise EngineError(
                    f"{engine}: catalogue.rego is out of date for {rule.id}: run `make catalogue`"
                )
            # A failure outranks a warning for the same rule and resource.
            results[(rule.id, item["address"])] = _finding(rule, verdict, item, document)
    for rule in rules:
        for rc in document.checked_resources(frozenset(rule.resources)):
            address = rc["address"]
            if (rule.id, address) not in results:
                results[(rule.id, address)] = _finding(
                    rule, Verdict.PASS, {"address": address, "message": "compliant"}, document
                )
    return sorted(results.values(), key=lambda f: (f.address, f.rule_id))


def _finding(rule: catalogue.Rule, verdict: Verdict, item: dict, document: Document) -> Finding:
    file, line = document.locations.get(item["address"], (None, None))
    return Finding(
        rule_id=rule.id,
        rule=rule.name,
        title=rule.title,
        verdict=verdict,
        severity=rule.severity,
        address=item["address"],
        message=item["message"],
        remediation=rule.remediation,
        file=file,
        line=line,
    )
