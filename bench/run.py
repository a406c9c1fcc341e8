"""Benchmark smguard on plans of every shape bench/generate.py makes, against the
tools people gate plans with today; print Markdown tables (recorded in
docs/benchmarks.md), the worst shape first.

For each generated plan (--shapes x --sizes, and an all-SageMaker plan), as
separate processes on the same file: a bare `json.load` (the floor),
`smguard scan` with the opa engine (the default when opa is installed) and the
embedded one (the default without it), `conftest test` of the policies
directly, and Checkov with the smguard checks (`checkov -f PLAN --framework
terraform_plan --external-checks-dir policies/checkov --check SMG-*`, on plans
up to --checkov-max resources: it takes minutes beyond). Each is timed end to
end, best of --repeat (Checkov: one run), with CPU time (user + system) and
peak memory: the largest single process (ru_maxrss) and the sum over the
process tree (smguard plus its engine), sampled every 5 ms.

Then issue 15's targets for each engine, on every plan: mixed plans within 4x
of the floor, the all-SageMaker plan within 10x, never slower than conftest,
40x faster than Checkov at 10,000 resources, peak memory (all processes) under
1 GiB at 50,000 and growing linearly (memory per MB of plan at the largest size
within 1.5x of that at the smallest). The shape reported is the worst one: the
highest ratio to the floor at each size.

Usage: python bench/run.py [--sizes 10000,50000] [--shapes issue,usual,...]
                           [--all-sagemaker 4000] [--repeat 3] [--checkov-max 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OUT = HERE / "out"
ENGINES = ("opa", "embedded")
TIMEOUT = float(
    os.environ.get("SMGUARD_BENCH_TIMEOUT", "600")
)  # the default engine: opa when its binary is there
FLOOR, CONFTEST, CHECKOV = (
    "json.load floor",
    "conftest test (the policies)",
    "checkov, smguard checks",
)


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


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    one_kib: int  # peak RSS of the largest process
    tree_kib: int  # peak RSS of the process tree
    code: int


def _measure(command: list[str]) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(process.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    killer = threading.Timer(TIMEOUT, process.kill)  # a run over TIMEOUT s: exit -9
    killer.start()
    _, status, usage = os.wait4(process.pid, 0)
    killer.cancel()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(elapsed, cpu, usage.ru_maxrss, peak[0], os.waitstatus_to_exitcode(status))


def _best(command: list[str], repeat: int) -> Run:
    runs = [_measure(command) for _ in range(repeat)]
    return Run(
        min(r.seconds for r in runs),
        min(r.cpu for r in runs),
        max(r.one_kib for r in runs),
        max(r.tree_kib for r in runs),
        runs[-1].code,
    )


def _tool(name: str) -> str | None:
    sys.path.insert(0, str(REPO / "harness"))
    from smguard.engines import tools

    return tools.find(name)


@dataclass(frozen=True)
class Plan:
    shape: str
    size: int
    path: Path

    @property
    def label(self) -> str:
        return f"{self.size:,} {self.shape}"

    @property
    def megabytes(self) -> float:
        return self.path.stat().st_size / 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--shapes", default="issue,network,usual,iam,deep")
    parser.add_argument("--all-sagemaker", type=int, default=4000, help="0: no such plan")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checkov-max", type=int, default=10_000)
    args = parser.parse_args()

    # Plans are generated in a child process: Linux keeps a process's peak RSS
    # across exec, so a parent that had built them would inflate every reading.
    OUT.mkdir(exist_ok=True)
    wanted = [
        (shape, int(size)) for size in args.sizes.split(",") for shape in args.shapes.split(",")
    ]
    if args.all_sagemaker:
        wanted.append(("sagemaker", args.all_sagemaker))
    plans = []
    for shape, size in wanted:
        path = OUT / f"plan-{shape}-{size}.json"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size), str(path), "--shape", shape],
            check=True,
            env={**os.environ, "PYTHONPATH": str(REPO / "harness")},
        )
        plans.append(Plan(shape, size, path))

    conftest, checkov = _tool("conftest"), _tool("checkov")
    rego, checks = REPO / "policies" / "rego", REPO / "policies" / "checkov"
    print(f"load: {os.getloadavg()[0]:.2f} (1 min) at the start, {os.cpu_count()} CPUs\n")
    print(
        f"| plan | size | what | time (best of {args.repeat}) | x floor | CPU"
        " | peak RSS, one process | peak RSS, all processes | exit |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    measured: dict[tuple[str, str], Run] = {}
    for plan in plans:
        commands = [
            (
                FLOOR,
                [sys.executable, "-c", f"import json; json.load(open({str(plan.path)!r}))"],
                args.repeat,
            ),
            *(
                (
                    f"smguard scan --engine {e}",
                    [sys.executable, "-m", "smguard.cli", "scan", str(plan.path), "--engine", e],
                    args.repeat,
                )
                for e in ENGINES
            ),
        ]
        if conftest:
            commands.append(
                (CONFTEST, [conftest, "test", str(plan.path), "-p", str(rego)], args.repeat)
            )
        if checkov and plan.size <= args.checkov_max:
            commands.append(
                (
                    CHECKOV,
                    [
                        checkov,
                        "-f",
                        str(plan.path),
                        "--framework",
                        "terraform_plan",
                        "--external-checks-dir",
                        str(checks),
                        "--check",
                        "SMG-*",
                        "--skip-download",
                        "-o",
                        "json",
                    ],
                    1,
                )
            )
        for what, command, repeat in commands:
            run = _best(command, repeat)
            measured[(plan.label, what)] = run
            floor = measured[(plan.label, FLOOR)].seconds
            print(
                f"| {plan.label} | {plan.megabytes:.1f} MB | {what} | {run.seconds:.2f} s"
                f" | {run.seconds / floor:.1f}x | {run.cpu:.2f} s | {run.one_kib / 1024:.0f} MiB"
                f" | {run.tree_kib / 1024:.0f} MiB | {run.code} |",
                flush=True,
            )
    print(f"\nload: {os.getloadavg()[0]:.2f} (1 min) at the end")
    for engine in ENGINES:
        _print_targets(engine, plans, measured)
    return 0


def _print_targets(engine: str, plans: list[Plan], measured: dict[tuple[str, str], Run]) -> None:
    """Issue 15's targets for one engine, every plan; the worst shape of each size first."""
    ours = f"smguard scan --engine {engine}"
    ratio = {
        p.label: measured[(p.label, ours)].seconds / measured[(p.label, FLOOR)].seconds
        for p in plans
    }
    sizes = sorted({p.size for p in plans if p.shape != "sagemaker"})
    print(f"\n### `--engine {engine}` against the targets\n")
    for size in sizes:
        mixed = [p for p in plans if p.size == size and p.shape != "sagemaker"]
        worst = max(mixed, key=lambda p: ratio[p.label])
        print(f"- worst shape at {size:,}: **{worst.shape}** ({ratio[worst.label]:.1f}x the floor)")
    print("\n| target | plan | measured | met |\n|---|---|---|---|")
    rows = []
    for p in sorted(plans, key=lambda p: (p.size, -ratio[p.label])):
        run, limit = measured[(p.label, ours)], 10 if p.shape == "sagemaker" else 4
        rows.append(
            (
                f"within {limit}x of json.load",
                p.label,
                f"{ratio[p.label]:.1f}x ({run.seconds:.2f} s)",
                ratio[p.label] <= limit,
            )
        )
        conftest = measured.get((p.label, CONFTEST))
        if conftest:
            rows.append(
                (
                    "no slower than conftest test",
                    p.label,
                    f"{run.seconds:.2f} s vs {conftest.seconds:.2f} s",
                    run.seconds <= conftest.seconds,
                )
            )
        checkov = measured.get((p.label, CHECKOV))
        if checkov and p.size == 10_000:
            times = checkov.seconds / run.seconds
            rows.append(
                (
                    "40x faster than Checkov",
                    p.label,
                    f"{times:.0f}x ({checkov.seconds:.1f} s)",
                    times >= 40,
                )
            )
        if p.size == 50_000:
            rows.append(
                (
                    "peak memory, all processes, under 1 GiB",
                    p.label,
                    f"{run.tree_kib / 1024:.0f} MiB",
                    run.tree_kib < 1024 * 1024,
                )
            )
    for shape in sorted({p.shape for p in plans if p.shape != "sagemaker"}):
        of_shape = sorted((p for p in plans if p.shape == shape), key=lambda p: p.size)
        if len(of_shape) >= 2:
            small, large = of_shape[0], of_shape[-1]
            per = [measured[(p.label, ours)].tree_kib / 1024 / p.megabytes for p in (small, large)]
            rows.append(
                (
                    f"memory linear ({small.size:,} -> {large.size:,})",
                    shape,
                    f"{per[0]:.1f} -> {per[1]:.1f} MiB per MB",
                    per[1] <= 1.5 * per[0],
                )
            )
    failed = {p.label: measured[(p.label, ours)].code for p in plans}
    for target, plan, value, met in rows:
        code = failed.get(
            plan,
            next((c for p, c in failed.items() if p.endswith(f" {plan}") and c not in (0, 1)), 0),
        )
        if code not in (0, 1):  # a run that failed or was killed meets no target
            value, met = f"{value}, exit {code}", False
        print(f"| {target} | {plan} | {value} | {'yes' if met else '**no**'} |")


if __name__ == "__main__":
    sys.exit(main())
