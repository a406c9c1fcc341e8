"""Write (or with --check, verify) the generated catalogue from rule METADATA.

Usage: python scripts/gen_catalogue.py [--check] OPA_BINARY
"""

import subprocess
import sys

from smguard import catalogue
from smguard.paths import rego_dir

TARGET = rego_dir() / "smguard" / "catalogue" / "catalogue.rego"


def main() -> int:
    check = "--check" in sys.argv
    opa = sys.argv[-1]
    source = catalogue.render_rego(catalogue.load())
    formatted = subprocess.run(
        [opa, "fmt", "--v1-compatible"], input=source, capture_output=True, text=True, check=True
    ).stdout
    current = TARGET.read_text() if TARGET.exists() else ""
    if check:
        if current != formatted:
            print(f"{TARGET} is out of date: run `make catalogue`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(formatted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
