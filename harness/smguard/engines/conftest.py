"""The `conftest` binary, exactly as users run it: `conftest test PLAN -p policies/rego`."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from smguard import catalogue
from smguard.engines import tools
from smguard.engines.base import Engine
from smguard.errors import EngineError
from smguard.paths import rego_dir


class ConftestEngine(Engine):
    name = "conftest"

    def report(self, payload: dict, data: dict) -> dict:
        conftest = tools.find("conftest")
        if conftest is None:
            raise EngineError(
                "conftest: binary not found (run `make tools`, or set SMGUARD_CONFTEST)"
            )
        with tempfile.TemporaryDirectory(prefix="smguard-") as tmp:
            plan = Path(tmp) / "plan.json"
            plan.write_text(json.dumps(payload))
            data_dir = Path(tmp) / "data"
            data_dir.mkdir()
            (data_dir / "data.json").write_text(json.dumps(data))
            command = [
                conftest, "test", "--no-color", "--output", "json",
                "--show-builtin-errors", "--policy", str(rego_dir()), "--data", str(data_dir),
                str(plan),
            ]  # fmt: skip
            result = tools.run("conftest", command)
        # conftest exits 1 when there are failures, and also on errors: only
        # output that parses as one result per input file counts.
        try:
            (output,) = json.loads(result.stdout)
        except (json.JSONDecodeError, ValueError):
            lines = result.stderr.decode(errors="replace").strip().splitlines()
            detail = lines[0] if lines else f"exit code {result.returncode} and no output"
            raise EngineError(f"conftest: {detail}") from None
        if result.returncode not in (0, 1):
            raise EngineError(f"conftest: exit code {result.returncode}")
        return _report(output)


def _report(output: dict) -> dict:
    def results(key: str) -> list[dict]:
        return [{**r.get("metadata", {}), "msg": r["msg"]} for r in output.get(key) or []]

    # conftest cannot say which packages it loaded. The policies fail closed
    # instead: a catalogued rule, the catalogue or the entry package that did
    # not load shows up as a failure without a rule id, which `findings()`
    # rejects as an engine error.
    packages = [r.package for r in catalogue.load()]
    return {
        "deny": results("failures"),
        "warn": results("warnings"),
        "loaded": packages,
        "missing": [],
        "uncatalogued": [],
    }
