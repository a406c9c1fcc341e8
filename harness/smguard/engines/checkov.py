"""Checkov with the smguard checks (policies/checkov), without OPA.

Checkov runs from a venv of its own (`make checkov`: .tools/checkov), found
like the other tools ($SMGUARD_CHECKOV, the project's .tools, PATH). The
engine writes each plan as checkov reads it, runs checkov once on all of
them, and builds from its results the report document the Rego engines
return, so that `base.findings()` checks and maps it the same way:

- PASSED is a pass, FAILED a failure (`deny`), and SKIPPED, which the checks
  return for what the Rego rules warn about (it cannot be verified here), a
  warning (`warn`); the check's `details` are the message;
- addresses are checkov's `resource`, the full Terraform address (module path
  and instance key included), which for a plan is exact;
- every catalogued rule must have a check, and every checked resource a
  result from it; anything else is an EngineError, never a pass. The one
  exception is a rule policies/checkov-gaps.yaml lists as `unsupported`
  (Checkov cannot evaluate it at all): the engine refuses to run where that
  rule could report (it is enabled and the settings its `when` names have
  those values), and otherwise runs without it, since the rule can then only
  pass, which `base.findings()` gives every checked resource as for any rule.

The configuration's settings reach the checks through the file named by
SMGUARD_CONFIG, and its per-rule options (enabled, severity) apply as in Rego;
exemptions are applied by the Rego entry package only, so a configuration
with exemptions is refused rather than half applied.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from smguard import catalogue
from smguard.document import GONE_ACTIONS, Document
from smguard.engines import tools
from smguard.engines.base import Engine
from smguard.errors import EngineError
from smguard.paths import policies_dir

_PY_ID = re.compile(r'^\s*id="(SMG-[A-Z_]+-\d+)"', re.MULTILINE)
_VERDICTS = {"passed_checks": "pass", "failed_checks": "deny", "skipped_checks": "warn"}


@dataclass(frozen=True)
class Unsupported:
    """A rule Checkov cannot evaluate (policies/checkov-gaps.yaml `unsupported`)."""

    rule: str
    when: dict  # setting path ("iam_guardrails.required") -> the value that lets it report
    reason: str

    def active(self, config: dict) -> bool:
        """The rule could report something other than a pass under this configuration."""
        if (config.get("rules") or {}).get(self.rule, {}).get("enabled") is False:
            return False
        return all(_same(_setting(config, path), value) for path, value in self.when.items())

    def condition(self) -> str:
        return " and ".join(f"{path} {json.dumps(value)}" for path, value in self.when.items())


def _setting(config: dict, path: str) -> object:
    node: object = config.get("settings") or {}
    for step in path.split("."):
        node = node.get(step) if isinstance(node, dict) else None
    return node


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


@dataclass(frozen=True)
class Check:
    """A check file under policies/checkov/<family>/<rule package>.py or .yaml."""

    id: str
    path: Path


class Result(NamedTuple):
    """One result of a check on a resource, as the report needs it."""

    check_id: str
    address: str
    verdict: str  # pass, deny or warn
    message: str


def checks_dir() -> Path:
    return policies_dir() / "checkov"


def discover(root: Path | None = None) -> dict[str, Check]:
    """The smguard checks by id, read from their files (no checkov needed)."""
    root = root or checks_dir()
    found: dict[str, Check] = {}
    for path in sorted(root.glob("*/*")):
        if path.suffix == ".py" and not path.name.startswith("__"):
            ids = _PY_ID.findall(path.read_text())
        elif path.suffix in (".yaml", ".yml"):
            meta = (yaml.safe_load(path.read_text()) or {}).get("metadata", {})
            ids = [meta["id"]] if str(meta.get("id", "")).startswith("SMG-") else []
        else:
            continue
        for check_id in ids:
            if check_id in found:
                raise EngineError(f"checkov: {check_id} is defined twice: {path}")
            found[check_id] = Check(check_id, path)
    return found


def gaps_file(root: Path | None = None) -> Path:
    """policies/checkov-gaps.yaml: beside the checks, not among them (Checkov
    would read a YAML file there as a graph check)."""
    return (root.parent if root else policies_dir()) / "checkov-gaps.yaml"


def unsupported(root: Path | None = None) -> dict[str, Unsupported]:
    """The rules Checkov cannot evaluate, by id, from the gaps file beside the
    checks folder `root` (default: the policies' own)."""
    path = gaps_file(root)
    entries = (yaml.safe_load(path.read_text()) or {}).get("unsupported") if path.exists() else []
    found: dict[str, Unsupported] = {}
    for entry in entries or []:
        when = entry.get("when") if isinstance(entry, dict) else None
        if (
            not isinstance(when, dict)
            or not when
            or not all(isinstance(entry.get(k), str) for k in ("rule", "reason"))
        ):
            raise EngineError(f"checkov: {path}: an unsupported entry needs rule, when and reason")
        if entry["rule"] in found:
            raise EngineError(f"checkov: {path}: {entry['rule']} is listed twice")
        found[entry["rule"]] = Unsupported(entry["rule"], when, " ".join(entry["reason"].split()))
    return found


def with_planned_values(plan: dict) -> dict:
    """The plan with `planned_values` written from `resource_changes`.

    Checkov reads `planned_values`, the Rego rules `resource_changes`; in a
    plan from Terraform they hold the same values. Writing one from the other
    lets checkov read every document smguard loads (the reduced plan the
    engines get, Terraform source rendered to the plan shape) as the Rego
    engines do. Resources only being deleted or forgotten have no planned
    values, as in Terraform.
    Module resources go in one flat list of child modules: checkov finds a
    module's configuration from its address, not from the nesting.
    """
    modules: dict[str, list[dict]] = {}
    for rc in plan.get("resource_changes") or []:
        change = rc.get("change") or {}
        if change.get("actions") in GONE_ACTIONS:
            continue
        after = change.get("after")
        modules.setdefault(rc.get("module_address") or "", []).append(
            {
                "address": rc.get("address"),
                "mode": rc.get("mode", "managed"),
                "type": rc.get("type"),
                "name": rc.get("name"),
                "values": after if isinstance(after, dict) else {},
            }
        )
    root: dict = {"resources": modules.pop("", [])}
    if modules:
        root["child_modules"] = [{"address": a, "resources": r} for a, r in sorted(modules.items())]
    # Checkov takes a JSON file for a plan only if it names a Terraform version,
    # and reads every change's `before`, which audits (`smguard audit`) leave out.
    version = plan.get("terraform_version") or "unknown"
    changes = [
        {**rc, "change": {"before": None, **(rc.get("change") or {})}}
        for rc in plan.get("resource_changes") or []
    ]
    return {
        **plan,
        "terraform_version": version,
        "resource_changes": changes,
        "planned_values": {"root_module": root},
    }


class CheckovEngine(Engine):
    name = "checkov"

    def report(self, payload: dict, data: dict) -> dict:
        return self.reports([payload], data)[0]

    def reports(self, payloads: list[dict], data: dict) -> list[dict]:
        config = data["smguard"]["config"]
        if config.get("exemptions"):
            raise EngineError(
                "checkov: the configuration's exemptions are applied by the Rego policies only;"
                " use another engine, or leave them out"
            )
        rules = {r.id: r for r in catalogue.load()}
        checks = discover()
        gaps = unsupported()
        _check_layout(rules, checks, gaps)
        for gap in gaps.values():
            if gap.active(config):
                raise EngineError(
                    f"checkov: {gap.rule} ({rules[gap.rule].name}) cannot be evaluated by"
                    f" Checkov with {gap.condition()}: {gap.reason.rstrip('.')};"
                    f" use another engine, or disable the rule ({gap.rule}: {{enabled: false}})"
                )
        records = _run(payloads, checks, config.get("settings") or {})
        return [
            _report(payload, records.get(i, []), rules, checks, config.get("rules", {}))
            for i, payload in enumerate(payloads)
        ]


def _check_layout(
    rules: dict[str, catalogue.Rule],
    checks: dict[str, Check],
    gaps: dict[str, Unsupported] | None = None,
) -> None:
    """Every catalogued rule has a check (or is listed as unsupported), every
    check a rule, in its rule's place.

    The place matters: a check's family is its folder, and the checks that
    compose others (an endpoint configuration is judged by the model checks)
    find them by it, as the Rego rules find their families by package.
    """
    gaps = gaps or {}
    listed = sorted(gaps.keys() - rules.keys())
    if listed:
        raise EngineError(
            f"checkov: listed as unsupported but not in the rule catalogue: {', '.join(listed)}"
        )
    both = sorted(gaps.keys() & checks.keys())
    if both:
        raise EngineError(
            f"checkov: listed as unsupported but with a Checkov check: {', '.join(both)}"
        )
    missing = sorted(rules.keys() - checks.keys() - gaps.keys())
    if missing:
        raise EngineError(
            f"checkov: no Checkov check for {', '.join(missing)}"
            " (policies/checkov/<family>/<rule>.py, see docs/checkov.md)"
        )
    uncatalogued = sorted(checks.keys() - rules.keys())
    if uncatalogued:
        raise EngineError(f"checkov: checks not in the rule catalogue: {', '.join(uncatalogued)}")
    for check in checks.values():
        rule = rules[check.id]
        place = f"{rule.family}/{rule.package}"
        if f"{check.path.parent.name}/{check.path.stem}" != place:
            raise EngineError(
                f"checkov: {check.path} checks {check.id} ({rule.name}):"
                f" it belongs in policies/checkov/{place}{check.path.suffix}"
            )


def _run(payloads: list[dict], checks: dict[str, Check], settings: dict) -> dict[int, list[Result]]:
    """Run checkov once on every payload with the settings; the results by payload."""
    checkov = tools.find("checkov")
    if checkov is None:
        raise EngineError("checkov: binary not found (run `make checkov`, or set SMGUARD_CHECKOV)")
    with tempfile.TemporaryDirectory(prefix="smguard-checkov-") as tmp:
        plans = Path(tmp) / "plans"
        plans.mkdir()
        for i, payload in enumerate(payloads):
            (plans / f"{i}.json").write_text(json.dumps(with_planned_values(payload)))
        command = [
            checkov, "--directory", str(plans), "--framework", "terraform_plan",
            "--external-checks-dir", str(checks_dir()), "--check", ",".join(sorted(checks)),
            "--output", "json", "--skip-download",
        ]  # fmt: skip
        # The checks read the settings from the file SMGUARD_CONFIG names.
        config = Path(tmp) / "config.json"
        config.write_text(json.dumps({"settings": settings}))
        # Checkov marks values unknown until apply only when asked to.
        env = {**os.environ, "EVAL_TF_PLAN_AFTER_UNKNOWN": "1", "SMGUARD_CONFIG": str(config)}
        result = tools.run("checkov", command, cwd=tmp, env=env)
    try:
        output = json.loads(result.stdout)
    except json.JSONDecodeError:
        output = None
    if result.returncode not in (0, 1) or not isinstance(output, dict | list):
        lines = result.stderr.decode(errors="replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit code {result.returncode} and no output"
        raise EngineError(f"checkov: {detail}")
    if isinstance(output, list):  # one report per framework that ran
        output = next((o for o in output if o.get("check_type") == "terraform_plan"), {})
    records: dict[int, list[Result]] = {}
    for key, verdict in _VERDICTS.items():
        for record in output.get("results", {}).get(key, []):
            check = checks.get(record["check_id"])
            if check is None:
                continue
            details = record.get("details") or []
            # A YAML graph check has no details: its name says what it wants.
            message = details[0] if details else ""
            if not message and check.path.suffix != ".py":
                message = record["check_name"]
            result = Result(check.id, record["resource"], verdict, message)
            records.setdefault(int(Path(record["file_path"]).stem), []).append(result)
    return records


def _report(
    payload: dict,
    records: list[Result],
    rules: dict[str, catalogue.Rule],
    checks: dict[str, Check],
    options: dict,
) -> dict:
    """The report document of one plan, as `data.smguard.main.report`.

    A rule without a check (unsupported, and not active: see `reports`) has
    no results; `base.findings()` gives its checked resources a pass, as for
    a rule that has nothing to say about them.
    """
    document = Document(payload, "")
    expected = {
        (rule.id, rc["address"])
        for rule in rules.values()
        if rule.id in checks
        for rc in document.checked_resources(frozenset(rule.resources))
    }
    got = {(r.check_id, r.address) for r in records}
    if len(got) != len(records) or got != expected:
        wrong = sorted(expected - got)[:3] + sorted(got - expected)[:3]
        raise EngineError(
            "checkov: results do not cover exactly the checked resources"
            f" ({'; '.join(f'{i} {a}' for i, a in wrong) or 'a result is repeated'})"
        )
    report: dict = {
        "deny": [],
        "warn": [],
        "exempt": [],  # exemptions are applied by the Rego entry package only
        "exemption_problems": [],
        "loaded": [r.package for r in rules.values()],
        "missing": [],
        "uncatalogued": [],
    }
    for check_id, address, verdict, message in records:
        rule = rules[check_id]
        rule_options = options.get(check_id, {})
        if verdict == "pass" or rule_options.get("enabled") is False:
            continue
        if not message:
            raise EngineError(f"checkov: {check_id} {address}: {verdict} without a message")
        report[verdict].append(
            {
                "msg": f"{check_id} {address}: {message}",
                "rule_id": check_id,
                "rule": rule.name,
                "address": address,
                "message": message,
                "severity": rule_options.get("severity", rule.severity),
            }
        )
    return report
