"""Benchmark smguard against the tools people gate plans with today; print a
Markdown table (recorded in docs/benchmarks.md).

For each generated plan (bench/generate.py), as separate processes on the same
file: a bare `json.load` (the floor), `smguard scan` with the opa, embedded
and conftest engines, `conftest test` of the policies directly, and Checkov
with the smguard checks (`checkov -f PLAN --framework terraform_plan
--external-checks-dir policies/checkov --check SMG-*`, on plans up to
--checkov-max resources: it takes minutes beyond). Each is timed end to end,
best of --repeat (Checkov: one run), with CPU time (user + system) and peak
memory: the largest single process (ru_maxrss) and the sum over the process
tree (smguard plus its engine), sampled every 5 ms. A second table sets the
default engine's results against issue 8's targets.

Usage: python bench/run.py [--sizes 1000,10000,50000] [--all-sagemaker 4000]
                           [--repeat 3] [--checkov-max 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
ENGINES = ("regorus", "opa", "embedded", "conftest")


def _tree_rss_kib(pid: int) -> int:
    """The resident memory of a process and its descendants, in KiB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(
                    (int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0
                )
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def _measure(command: list[str]) -> tuple[float, float, int, int, int]:
    """(seconds, CPU seconds, peak RSS of one process, peak RSS of the tree, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss, peak[0], os.waitstatus_to_exitcode(status)


def _best(command: list[str], repeat: int) -> tuple[float, float, int, int, int]:
    runs = [_measure(command) for _ in range(repeat)]
    return (
        min(r[0] for r in runs),
        min(r[1] for r in runs),
        max(r[2] for r in runs),
        max(r[3] for r in runs),
        runs[-1][4],
    )


def _tool(name: str) -> str | None:
    sys.path.insert(0, str(REPO / "harness"))
    from smguard.engines import tools

    return tools.find(name)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--all-sagemaker", type=int, default=4000, help="0: no such plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkov-max", type=int, default=10_000)
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
        plans.append((size, f"{size:,} {'all SageMaker' if all_sagemaker else 'mixed'}", path))

    conftest, checkov = _tool("conftest"), _tool("checkov")
    rego, checks = REPO / "policies" / "rego", REPO / "policies" / "checkov"
    print(
        f"| plan | size | what | time (best of {args.repeat}) | CPU | peak RSS, one process"
        " | peak RSS, all processes | exit |"
    )
    print("|---|---|---|---|---|---|---|---|")
    measured: dict[tuple[str, str], tuple[float, float]] = {}
    for size, label, path in plans:
        size_mb = path.stat().st_size / 1e6
        commands = [
            (
                "json.load floor",
                [sys.executable, "-c", f"import json; json.load(open({str(path)!r}))"],
                args.repeat,
            ),
            *(
                (
                    f"smguard scan --engine {e}",
                    [sys.executable, "-m", "smguard.cli", "scan", str(path), "--engine", e],
                    args.repeat,
                )
                for e in ENGINES
            ),
        ]
        if conftest:
            commands.append(
                (
                    "conftest test (the policies directly)",
                    [conftest, "test", str(path), "-p", str(rego)],
                    args.repeat,
                )
            )
        if checkov and size <= args.checkov_max:
            commands.append((
                "checkov, smguard checks",
                [checkov, "-f", str(path), "--framework", "terraform_plan", "--external-checks-dir",
                 str(checks), "--check", "SMG-*", "--skip-download", "-o", "json"],
                1,
            ))  # fmt: skip
        for what, command, repeat in commands:
            seconds, cpu, one, tree, code = _best(command, repeat)
            measured[(label, what)] = (seconds, tree * 1024 / path.stat().st_size)
            print(
                f"| {label} | {size_mb:.1f} MB | {what} | {seconds:.2f} s | {cpu:.2f} s"
                f" | {one / 1024:.0f} MiB | {tree / 1024:.0f} MiB | {code} |",
                flush=True,
            )
    _print_targets(measured)
    return 0


# The default engine: regorus is the first found once `make tools` has built it.
DEFAULT = "smguard scan --engine regorus"


def _print_targets(measured: dict[tuple[str, str], tuple[float, float]]) -> None:
    """The issue-8 targets against this run: (label, what) -> (seconds, tree RSS / file size).
    Time, Checkov and memory targets are set for the 10,000- and 50,000-resource plans."""
    rows = []
    labels = dict.fromkeys(label for label, _ in measured)
    for label in labels:
        if (label, DEFAULT) not in measured:
            continue
        ours, memory = measured[(label, DEFAULT)]
        limit = {"10,000 mixed": 1.0, "50,000 mixed": 5.0}.get(label)
        if limit:
            rows.append((f"{label}: under {limit:.0f} s", f"{ours:.2f} s", ours < limit))
        checkov = measured.get((label, "checkov, smguard checks"))
        if checkov and label == "10,000 mixed":
            ratio = checkov[0] / ours
            rows.append((f"{label}: 40x faster than Checkov", f"{ratio:.0f}x", ratio >= 40))
        conftest = measured.get((label, "conftest test (the policies directly)"))
        if conftest:
            rows.append(
                (f"{label}: no slower than conftest", f"{ours:.2f} s vs {conftest[0]:.2f} s",
                 ours <= conftest[0])
            )  # fmt: skip
        if limit:
            rows.append(
                (f"{label}: peak memory, all processes, under 5x the plan", f"{memory:.1f}x",
                 memory < 5)
            )  # fmt: skip
    print("\n| target | measured | met |\n|---|---|---|")
    for target, value, met in rows:
        print(f"| {target} | {value} | {'yes' if met else '**no**'} |")


if __name__ == "__main__":
    sys.exit(main())
