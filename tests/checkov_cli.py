"""Running the real checkov with the smguard checks, as a Checkov user does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import REPO
from smguard import catalogue
from smguard.engines import tools
from smguard.engines.checkov import discover, unsupported

CHECKS = REPO / "policies" / "checkov"
VERDICTS = {"passed_checks": "pass", "failed_checks": "fail", "skipped_checks": "warn"}


def _command(args: tuple[str, ...]) -> list[str]:
    binary = tools.find("checkov")
    assert binary, "checkov not found: run `make checkov`"
    return [binary, *args, "--external-checks-dir", str(CHECKS), "-o", "json", "--skip-download"]


def checkov(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """checkov ARGS --external-checks-dir policies/checkov -o json --skip-download."""
    return subprocess.run(_command(args), capture_output=True, text=True, cwd=cwd, env=env)


def checkov_each(
    runs: list[tuple[str, ...]], cwd: Path, envs: list[dict | None] | None = None
) -> list[tuple[int, str, str]]:
    """Several checkov runs side by side (it starts slowly, and a run scans one
    directory: given several, 3.3.30 reports the first one again for the others),
    each with its environment if given. (exit code, stdout, stderr) of each."""
    processes = [
        subprocess.Popen(
            _command(args),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=env,
        )
        for args, env in zip(runs, envs or [None] * len(runs), strict=True)
    ]
    outputs = [p.communicate() for p in processes]
    return [(p.returncode, out, err) for p, (out, err) in zip(processes, outputs, strict=True)]


def records(stdout: str) -> list[dict]:
    """Every result of a JSON run; checkov prints one document per directory it scans."""
    found, decoder, text = [], json.JSONDecoder(), stdout.strip()
    while text:
        output, end = decoder.raw_decode(text)
        text = text[end:].strip()
        for report in output if isinstance(output, list) else [output]:
            for key, verdict in VERDICTS.items():
                for record in report.get("results", {}).get(key, []):
                    found.append({**record, "verdict": verdict})
    return found


def missing_checks() -> list[str]:
    """Catalogued rules without a Checkov check (and not listed as unsupported in
    policies/checkov-gaps.yaml): every Checkov test fails on them first."""
    return sorted({r.id for r in catalogue.load()} - set(discover()) - set(unsupported()))


def documented_builtins() -> list[str]:
    """Checkov's built-in SageMaker checks, as docs/checkov.md's command names them."""
    import re

    (checks,) = re.findall(r"--check '(SMG-\*,[^']+)'", (REPO / "docs" / "checkov.md").read_text())
    return checks.split(",")[1:]
