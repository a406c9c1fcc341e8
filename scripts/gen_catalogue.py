"""Write (or with --check, verify) what is generated from rule METADATA:
policies/rego/smguard/catalogue/catalogue.rego and docs/rules.md.

Usage: python scripts/gen_catalogue.py [--check] OPA_BINARY
"""

import subprocess
import sys

from smguard import catalogue
from smguard.paths import policies_dir, rego_dir

REGO_TARGET = rego_dir() / "smguard" / "catalogue" / "catalogue.rego"
DOCS_TARGET = policies_dir().parent / "docs" / "rules.md"


def main() -> int:
    check = "--check" in sys.argv
    opa = sys.argv[-1]
    rules = catalogue.load()
    rego = subprocess.run(
        [opa, "fmt", "--v1-compatible"],
        input=catalogue.render_rego(rules),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stale = []
    for target, text in ((REGO_TARGET, rego), (DOCS_TARGET, catalogue.render_markdown(rules))):
        current = target.read_text() if target.exists() else ""
        if current == text:
            continue
        if check:
            stale.append(str(target))
        else:
            target.write_text(text)
    if stale:
        print(f"out of date: {', '.join(stale)}: run `make catalogue`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
