"""pre-commit entry point: scan every Terraform directory that has a changed file.

pre-commit passes the changed file names; each distinct directory holding a
changed .tf, .tf.json or .tfvars file is scanned as Terraform source (`smguard
scan DIR`). The exit code is the worst of the scans: 2 (could not scan) over 1
(failures) over 0.

With `--fix` (in the hook's `args`), each directory is first fixed in place
(`smguard fix DIR --write`, its `--engine` and `--config` passed on); as
pre-commit hooks that rewrite files do, the hook then fails when it changed a
file, so that the user reviews and adds the changes before committing again.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from smguard import cli

_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
_FIX_OPTIONS = ("--engine", "--config")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    fix = "--fix" in args
    options = [a for a in args if a.startswith("-") and a != "--fix"]
    directories = sorted(
        {Path(a).parent for a in args if not a.startswith("-") and a.endswith(_SUFFIXES)}
    )
    worst = 0
    for directory in directories:
        if not any(directory.glob("*.tf")) and not any(directory.glob("*.tf.json")):
            continue  # a .tfvars file outside any configuration
        if fix:
            before = _digest(directory)
            print(f"smguard: fixing {directory}", file=sys.stderr)
            code = cli.main(
                [
                    "fix",
                    str(directory),
                    "--write",
                    *(o for o in options if o.startswith(_FIX_OPTIONS)),
                ]
            )
            if code:
                worst = max(worst, code)
                continue
            if _digest(directory) != before:
                print(f"smguard: fixed files in {directory}: review and add them", file=sys.stderr)
                worst = max(worst, 1)
        print(f"smguard: scanning {directory}", file=sys.stderr)
        worst = max(worst, cli.main(["scan", str(directory), *options]))
    return worst


def _digest(directory: Path) -> str:
    """A digest of the Terraform files in and below a directory (what a fix may change)."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.name.endswith(_SUFFIXES):
            digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


if __name__ == "__main__":
    sys.exit(main())
