"""Benchmark `smguard scan` on generated plans; print a Markdown table.

For each plan size: a bare `json.load` of the file (the floor), then
`smguard scan` with each engine, as separate processes, timed end to end
(best of --repeat runs) with the peak memory (max RSS) of the process tree.

Usage: python bench/run.py [--sizes 1000,10000] [--repeat 3] [--all-sagemaker N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ENGINES = ("opa", "embedded", "conftest")


def _measure(command: list[str]) -> tuple[float, float, int, int]:
    """(seconds, CPU seconds, peak RSS in KiB, exit code) of one run.

    CPU time (user + system, the process tree's) is the reading a busy machine
    disturbs least."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def _best(command: list[str], repeat: int) -> tuple[float, float, int, int]:
    runs = [_measure(command) for _ in range(repeat)]
    return min(r[0] for r in runs), min(r[1] for r in runs), max(r[2] for r in runs), runs[-1][3]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--all-sagemaker", type=int, default=0, help="also a plan of N SageMaker resources"
    )
    args = parser.parse_args()

    # Plans are generated in a child process: Linux keeps a process's peak RSS
    # across exec, so a parent that had built them would inflate every reading.
    OUT.mkdir(exist_ok=True)
    wanted = [(int(s), False) for s in args.sizes.split(",")]
    if args.all_sagemaker:
        wanted.append((args.all_sagemaker, True))
    plans = []
    for size, all_sagemaker in wanted:
        path = OUT / f"plan-{size}{'-sagemaker' if all_sagemaker else ''}.json"
        command = [sys.executable, str(HERE / "generate.py"), str(size), str(path)]
        subprocess.run([*command, "--all-sagemaker"] if all_sagemaker else command, check=True)
        plans.append((f"{size:,} {'all SageMaker' if all_sagemaker else 'mixed'}", path))

    print(f"| plan | size | what | time (best of {args.repeat}) | CPU | peak RSS | exit |")
    print("|---|---|---|---|---|---|---|")
    for label, path in plans:
        size_mb = path.stat().st_size / 1e6
        commands = [
            (
                "json.load floor",
                [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"],
            )
        ]
        commands += [
            (
                f"smguard scan --engine {e}",
                [sys.executable, "-m", "smguard.cli", "scan", str(path), "--engine", e],
            )
            for e in ENGINES
        ]
        for what, command in commands:
            seconds, cpu, rss_kib, code = _best(command, args.repeat)
            memory = f"{rss_kib / 1024:.0f} MiB"
            print(
                f"| {label} | {size_mb:.1f} MB | {what} | {seconds:.2f} s | {cpu:.2f} s"
                f" | {memory} | {code} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
