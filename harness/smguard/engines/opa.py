"""The `opa` binary: `opa eval` of the bundle's entry point."""

from __future__ import annotations

import json

from smguard.engines import tools
from smguard.engines.base import ENTRYPOINT, Engine
from smguard.errors import EngineError
from smguard.paths import rego_dir

# Several payloads in one `opa eval`: the input is their list, and the entry
# point is evaluated on each in turn (`with input as`), so the policies are
# compiled once instead of once per payload.
_EACH = f"[report | some payload in input; report := {ENTRYPOINT} with input as payload]"


class OpaEngine(Engine):
    name = "opa"

    def report(self, payload: dict, data: dict) -> dict:
        return self._eval(payload, data, ENTRYPOINT)

    def reports(self, payloads: list[dict], data: dict) -> list[dict]:
        if len(payloads) <= 1:
            return [self.report(payload, data) for payload in payloads]
        reports = self._eval(payloads, data, _EACH)
        if not isinstance(reports, list) or len(reports) != len(payloads):
            raise EngineError(f"opa: {ENTRYPOINT} is undefined: the policy bundle did not load")
        return reports

    def _eval(self, payload: dict | list, data: dict, query: str):
        opa = tools.find("opa")
        if opa is None:
            raise EngineError("opa: binary not found (run `make tools`, or set SMGUARD_OPA)")
        with tools.data_file(data) as data_file:
            command = [
                opa, "eval", "--format", "json", "--strict-builtin-errors", "--stdin-input",
                "--ignore", "*_test.rego", "--data", str(rego_dir()), "--data", str(data_file),
                query,
            ]  # fmt: skip
            result = tools.run("opa", command, stdin=json.dumps(payload).encode())
        return parse_eval_output(result.stdout, result.stderr, result.returncode)


def parse_eval_output(stdout: bytes, stderr: bytes, returncode: int) -> dict:
    try:
        output = json.loads(stdout) if stdout.strip() else {}
    except json.JSONDecodeError:
        output = {}
    errors = output.get("errors") if isinstance(output, dict) else None
    if errors or returncode != 0:
        first = (errors or [{}])[0]
        detail = first.get("message") or stderr.decode(errors="replace").strip() or "no output"
        where = first.get("location", {})
        if where:
            detail = f"{where.get('file')}:{where.get('row')}: {detail}"
        raise EngineError(f"opa: evaluation failed: {detail.splitlines()[0]}")
    results = output.get("result") or []
    if not results:
        raise EngineError(f"opa: {ENTRYPOINT} is undefined: the policy bundle did not load")
    return results[0]["expressions"][0]["value"]
