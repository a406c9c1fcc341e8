"""pre-commit entry point: scan every Terraform directory that has a changed file.

pre-commit passes the changed file names; each distinct directory holding a
changed .tf or .tfvars file is scanned as Terraform source (`smguard scan
DIR`). The exit code is the worst of the scans: 2 (could not scan) over 1
(failures) over 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

from smguard import cli


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    options = [a for a in args if a.startswith("-")]
    directories = sorted(
        {Path(a).parent for a in args if not a.startswith("-") and a.endswith((".tf", ".tfvars"))}
    )
    worst = 0
    for directory in directories:
        if not any(directory.glob("*.tf")):
            continue  # a .tfvars file outside any configuration
        print(f"smguard: scanning {directory}", file=sys.stderr)
        code = cli.main(["scan", str(directory), *options])
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main())
