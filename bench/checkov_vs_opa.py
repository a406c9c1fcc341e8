"""Benchmark Checkov with the smguard checks against `smguard scan --engine opa`
on the same generated plan; print a Markdown table (recorded in docs/checkov.md).

The plan is bench/generate.py's, with `planned_values` written from
`resource_changes` as Terraform writes them (checkov reads those). Timed, as
separate processes, best of --repeat runs, with the peak memory (max RSS):

- `checkov -f PLAN --framework terraform_plan --external-checks-dir policies/checkov
  --check SMG-*`: what a Checkov user runs, on the whole plan;
- the same with checkov's built-in SageMaker checks too (the command in docs/checkov.md);
- `smguard scan PLAN --engine checkov`: the SageMaker part of the plan, one checkov run;
- `smguard scan PLAN --engine opa`.

Wall time and CPU time (user + system of the process tree), best of --repeat.

Usage: python bench/checkov_vs_opa.py [--size 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from run import OUT, _best

from smguard.engines import tools

HERE = Path(__file__).resolve().parent
CHECKS = HERE.parent / "policies" / "checkov"
BUILTINS = (
    "CKV_AWS_22,CKV_AWS_98,CKV_AWS_122,CKV_AWS_187,CKV_AWS_306,CKV_AWS_307,CKV_AWS_367,"
    "CKV_AWS_368,CKV_AWS_369,CKV_AWS_370,CKV_AWS_371,CKV_AWS_372,CKV2_AWS_68"
)
# Written in a child process, so that this one stays small: Linux keeps a
# process's peak RSS across fork and exec, which would inflate every reading.
_WRITE = """
import json, sys
sys.path.insert(0, sys.argv[1])
from generate import generate
from smguard.engines.checkov import with_planned_values
plan = with_planned_values(generate(int(sys.argv[2])))
with open(sys.argv[3], "w") as out:
    json.dump(plan, out)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    checkov = tools.find("checkov")
    if checkov is None:
        raise SystemExit("checkov not found: run `make checkov`")

    OUT.mkdir(exist_ok=True)
    plan = OUT / f"plan-{args.size}-planned.json"
    subprocess.run([sys.executable, "-c", _WRITE, str(HERE), str(args.size), str(plan)], check=True)
    direct = [
        checkov, "-f", str(plan), "--framework", "terraform_plan",
        "--external-checks-dir", str(CHECKS), "--skip-download", "-o", "json",
    ]  # fmt: skip
    commands = [
        ("checkov, smguard checks", [*direct, "--check", "SMG-*"]),
        ("checkov, smguard + built-in SageMaker checks", [*direct, "--check", f"SMG-*,{BUILTINS}"]),
        *(
            (f"smguard scan --engine {engine}", [sys.executable, "-m", "smguard.cli", "scan",
                                                 str(plan), "--engine", engine])
            for engine in ("checkov", "opa")
        ),
    ]  # fmt: skip

    size_mb = plan.stat().st_size / 1e6
    print(f"| plan | what | time (best of {args.repeat}) | CPU | peak RSS | exit |")
    print("|---|---|---|---|---|---|")
    for what, command in commands:
        seconds, cpu, rss_kib, code = _best(command, args.repeat)
        label = f"{args.size:,} resources, {size_mb:.1f} MB"
        print(
            f"| {label} | {what} | {seconds:.2f} s | {cpu:.2f} s | {rss_kib / 1024:.0f} MiB"
            f" | {code} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
