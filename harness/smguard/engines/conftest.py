"""The `conftest` binary: conftest's loader and evaluator on the same bundle.

It reads the whole report through package smguard.conftest_engine, so it is
checked like the other engines. What users run (`conftest test PLAN -p
policies/rego`, package main) is tested directly in tests/test_conftest_direct.py.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from smguard.engines import tools
from smguard.engines.base import Engine
from smguard.errors import EngineError
from smguard.paths import rego_dir


class ConftestEngine(Engine):
    name = "conftest"

    def report(self, payload: dict, data: dict) -> dict:
        (report,) = self.reports([payload], data)
        return report

    def reports(self, payloads: list[dict], data: dict) -> list[dict]:
        """Every payload in one `conftest test` run: one file each."""
        if not payloads:
            return []
        conftest = tools.find("conftest")
        if conftest is None:
            raise EngineError(
                "conftest: binary not found (run `make tools`, or set SMGUARD_CONFTEST)"
            )
        with tempfile.TemporaryDirectory(prefix="smguard-") as tmp:
            plans = [Path(tmp) / f"plan-{i}.json" for i in range(len(payloads))]
            for path, payload in zip(plans, payloads, strict=True):
                path.write_text(json.dumps(payload))
            data_dir = Path(tmp) / "data"
            data_dir.mkdir()
            (data_dir / "data.json").write_text(json.dumps(data))
            command = [
                conftest, "test", "--no-color", "--output", "json",
                "--show-builtin-errors", "--namespace", "smguard.conftest_engine",
                "--policy", str(rego_dir()), "--data", str(data_dir), *map(str, plans),
            ]  # fmt: skip
            result = tools.run("conftest", command)
        # conftest exits 1 when there are failures, and also on errors: only
        # output that parses as one result per input file counts.
        try:
            outputs = {Path(o["filename"]).name: o for o in json.loads(result.stdout)}
            ordered = [outputs[path.name] for path in plans]
        except (json.JSONDecodeError, ValueError, TypeError, KeyError):
            lines = result.stderr.decode(errors="replace").strip().splitlines()
            detail = lines[0] if lines else f"exit code {result.returncode} and no output"
            raise EngineError(f"conftest: {detail}") from None
        if result.returncode not in (0, 1):
            raise EngineError(f"conftest: exit code {result.returncode}")
        return [_report(output) for output in ordered]


def _report(output: dict) -> dict:
    """The report carried by the one warning of package smguard.conftest_engine."""
    for warning in output.get("warnings") or []:
        report = warning.get("metadata", {}).get("report")
        if report is not None:
            return report
    raise EngineError(
        "conftest: data.smguard.main.report is undefined: the policy bundle did not load"
    )
