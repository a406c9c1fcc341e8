"""The engine interface and what every engine shares.

A Rego engine returns the `data.smguard.main.report` document, and the checkov
engine builds the same document from Checkov's results; `findings()` checks
that the report covers exactly the catalogued rules (never a silent pass from
a bundle that loaded nothing or the wrong thing) and adds a `pass` finding for
every checked resource a rule had nothing to say about.
"""

from __future__ import annotations

import datetime
import functools
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path

from smguard import catalogue
from smguard.document import Document
from smguard.errors import EngineError
from smguard.findings import Finding, Verdict
from smguard.report import ExemptionProblem, Report

ENTRYPOINT = "data.smguard.main.report"


class Engine(ABC):
    name: str

    def evaluate(
        self, document: Document, config: dict | None = None, today: datetime.date | None = None
    ) -> Report:
        """Evaluate the catalogue on a document, with a configuration, as of a day."""
        (report,) = self.evaluate_many((document,), config, today)
        return report

    def evaluate_many(
        self,
        documents: Sequence[Document],
        config: dict | None = None,
        today: datetime.date | None = None,
    ) -> list[Report]:
        """evaluate() of each document, in one run of the engine where it has one."""
        types = catalogue.resource_types(catalogue.load())
        raws = self.reports([d.for_engine(types) for d in documents], policy_data(config, today))
        pairs = zip(documents, raws, strict=True)
        return [self.report_on(document, raw, config) for document, raw in pairs]

    def report_on(self, document: Document, raw: dict, config: dict | None = None) -> Report:
        """The Report of a report document the engine returned on document."""
        rules = catalogue.load()
        return Report(
            source=document.source,
            engine=self.name,
            findings=tuple(findings(raw, rules, document, self.name, (config or {}).get("rules"))),
            exemption_problems=tuple(
                ExemptionProblem(p["exemption"], p["problem"], p["msg"].removeprefix("smguard: "))
                for p in sorted(raw["exemption_problems"], key=lambda p: p["exemption"])
            ),
        )

    def reports(self, payloads: list[dict], data: dict) -> list[dict]:
        """The report document of each payload. An engine that starts slowly (checkov)
        evaluates them all in one run."""
        return [self.report(payload, data) for payload in payloads]

    @abstractmethod
    def report(self, payload: dict, data: dict) -> dict:
        """Evaluate the bundle on payload with data; return the report document."""


def policy_data(config: dict | None, today: datetime.date | None = None) -> dict:
    """The `data.smguard` document the policies read besides the bundle."""
    return {
        "smguard": {
            "config": config or {},
            "now": (today or datetime.date.today()).isoformat(),
        }
    }


def findings(
    report: dict,
    rules: tuple[catalogue.Rule, ...],
    document: Document,
    engine: str,
    options: dict | None = None,
) -> list[Finding]:
    """Findings from a report; `options` are the configuration's per-rule options."""
    options = options or {}
    by_package = {r.package: r for r in rules}
    check_report(report, engine)
    problems = [f"not loaded: {n}" for n in sorted(report["missing"])]
    problems += [f"not catalogued: {n}" for n in sorted(report["uncatalogued"])]
    if set(report["loaded"]) != set(by_package) and not problems:
        problems.append(f"loaded {sorted(report['loaded'])}, expected {sorted(by_package)}")
    if problems:
        raise EngineError(f"{engine}: policy bundle is incomplete ({'; '.join(problems)})")

    by_id = {r.id: r for r in rules}
    results: dict[tuple[str, str], Finding] = {}
    kinds = ((Verdict.EXEMPT, "exempt"), (Verdict.WARN, "warn"), (Verdict.FAIL, "deny"))
    for verdict, key in kinds:
        for item in report[key]:
            if "exemption" in item and "rule_id" not in item:
                continue  # an exemption problem, reported separately
            rule = by_id.get(item.get("rule_id"))
            if rule is None:
                raise EngineError(f"{engine}: unexpected result {item.get('msg', item)!r}")
            if item.get("rule") != rule.name:
                raise EngineError(
                    f"{engine}: catalogue.rego is out of date for {rule.id}: run `make catalogue`"
                )
            # A failure outranks a warning, a warning an exemption, for the
            # same rule and resource.
            results[(rule.id, item["address"])] = _finding(rule, verdict, item, document)
    checked: dict[str, list[dict]] = {}
    for rc in document.checked_resources(frozenset(t for r in rules for t in r.resources)):
        checked.setdefault(rc["type"], []).append(rc)
    for rule in rules:
        rule_options = options.get(rule.id, {})
        if rule_options.get("enabled") is False:
            continue  # a rule turned off reports nothing, not even passes
        severity = rule_options.get("severity", rule.severity)
        for rc in (rc for type_ in rule.resources for rc in checked.get(type_, [])):
            address = rc["address"]
            if (rule.id, address) not in results:
                item = {"address": address, "message": "compliant", "severity": severity}
                results[(rule.id, address)] = _finding(rule, Verdict.PASS, item, document)
    return sorted(results.values(), key=lambda f: (f.address, f.rule_id))


REPORT_SCHEMA = Path(__file__).resolve().parent.parent / "report.schema.json"


@functools.cache
def _report_validator():
    # fastjsonschema compiles the schema to Python: 0.15 s for a report of 30,000
    # results, where jsonschema's validator takes 3.5 s.
    import fastjsonschema

    return fastjsonschema.compile(json.loads(REPORT_SCHEMA.read_text()))


def check_report(report: object, engine: str) -> None:
    """An EngineError unless report is a report document (report.schema.json): a
    key that is missing, renamed or of another shape is never read as a pass."""
    import fastjsonschema

    if not isinstance(report, dict) or "deny" not in report:
        raise EngineError(f"{engine}: the policy bundle returned no report")
    try:
        _report_validator()(report)
    except fastjsonschema.JsonSchemaException as error:
        where = "/".join(str(p) for p in error.path[1:]) or "the report"
        message = error.message.removeprefix("data ").replace("data.", "")
        raise EngineError(f"{engine}: malformed report at {where}: {message[:200]}") from None


def _finding(rule: catalogue.Rule, verdict: Verdict, item: dict, document: Document) -> Finding:
    file, line = document.locations.get(item["address"], (None, None))
    message = item["message"]
    if verdict is Verdict.EXEMPT:
        message = f"{message} (exempted by exemptions[{item['exemption']}]: {item['reason']})"
    return Finding(
        rule_id=rule.id,
        rule=rule.name,
        title=rule.title,
        verdict=verdict,
        severity=item.get("severity", rule.severity),
        address=item["address"],
        message=message,
        remediation=rule.remediation,
        file=file,
        line=line,
    )
