"""regorus against OPA on the engine payload of a plan: same report? time, peak memory.

Usage: python bench/regorus/compare.py PLAN [PLAN...]  (e.g. fixtures/*/plan.json)
(after `cargo build --release` in bench/regorus; docs/benchmarks.md, "Memory").
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path[:0] = [str(REPO / "harness"), str(HERE.parent)]

from run import _measure  # noqa: E402  (bench/run.py)

from smguard import catalogue  # noqa: E402
from smguard.engines import tools  # noqa: E402
from smguard.engines.base import policy_data  # noqa: E402
from smguard.loaders import plan  # noqa: E402


def main() -> int:
    regorus = HERE / "target" / "release" / "smguard-regorus"
    opa, rego = tools.find("opa"), REPO / "policies" / "rego"
    types = catalogue.resource_types(catalogue.load())
    print("| plan | engine | time | peak RSS | same report as opa |\n|---|---|---|---|---|")
    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            payload, data = Path(tmp) / "input.json", Path(tmp) / "data.json"
            payload.write_text(json.dumps(plan.load(Path(name)).for_engine(types)))
            data.write_text(json.dumps(policy_data({})))
            commands = {
                "opa": [opa, "eval", "--format", "json", "--strict-builtin-errors",
                        "--ignore", "*_test.rego", "-d", str(rego), "-d", str(data),
                        "--input", str(payload), "data.smguard.main.report"],
                "regorus": [str(regorus), str(rego), str(data), str(payload)],
            }  # fmt: skip
            reports = {}
            for engine, command in commands.items():
                run = subprocess.run(command, capture_output=True)
                if run.returncode != 0:
                    error = run.stderr.decode().strip().splitlines()
                    print(f"| {name} | {engine} | | | error: {' '.join(error)[:200]} |")
                    break
                value = json.loads(run.stdout)
                reports[engine] = (
                    value["result"][0]["expressions"][0]["value"] if engine == "opa" else value
                )
                # Sampled RSS, not ru_maxrss: Linux keeps the peak of this
                # process (which read the plan) in a child across exec.
                seconds, _, _, peak, _ = min(_measure(command) for _ in range(3))
                same = "" if engine == "opa" else str(reports["regorus"] == reports["opa"])
                row = [name, engine, f"{seconds:.2f} s", f"{peak / 1024:.0f} MiB", same]
                print(f"| {' | '.join(row)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
