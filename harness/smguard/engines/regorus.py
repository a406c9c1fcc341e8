"""`smguard-regorus`: the bundle evaluated by regorus, Microsoft's Rust Rego interpreter.

Why this engine: the same report as OPA on every fixture (tests/test_fixtures.py
asserts it) in a fraction of OPA's memory (docs/benchmarks.md), and it reads
a plan file itself: it keeps only the resource types the rules read as it
parses (tools/regorus/src/plan.rs builds the payload Document.for_engine
builds; tests/test_fixtures.py compares them on every fixture), and it runs
before smguard loads the plan, so the two processes never hold a plan at the
same time. The program is tools/regorus, built into .tools/bin by `make tools`.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from smguard import catalogue
from smguard.engines import tools
from smguard.engines.base import Engine, policy_data
from smguard.errors import EngineError
from smguard.paths import rego_dir

PROGRAM = "smguard-regorus"
_NOT_A_PLAN = 3  # the program's exit code for a file that is not a plain JSON plan


class RegorusEngine(Engine):
    name = "regorus"

    def report(self, payload: dict, data: dict) -> dict:
        result = self._run([], "-", data, stdin=json.dumps(payload).encode())
        return self._parse(result)

    def plan_report(
        self, path: Path, config: dict | None = None, today: datetime.date | None = None
    ) -> dict | None:
        types = ",".join(sorted(catalogue.resource_types(catalogue.load())))
        result = self._run(["--plan", types], str(path), policy_data(config, today))
        return None if result.returncode == _NOT_A_PLAN else self._parse(result)

    def _run(self, options: list[str], input_file: str, data: dict, stdin: bytes | None = None):
        program = tools.find(PROGRAM)
        if program is None:
            raise EngineError(
                f"regorus: {PROGRAM} not found (run `make tools`, or set SMGUARD_REGORUS)"
            )
        with tools.data_file(data) as data_file:
            command = [program, *options, str(rego_dir()), str(data_file), input_file]
            return tools.run("regorus", command, stdin=stdin)

    @staticmethod
    def _parse(result) -> dict:
        if result.returncode != 0:
            lines = result.stderr.decode(errors="replace").strip().splitlines()
            detail = lines[0].removeprefix(f"{PROGRAM}: ") if lines else "no output"
            raise EngineError(f"regorus: evaluation failed: {detail}")
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError:
            raise EngineError("regorus: the report is not JSON") from None
