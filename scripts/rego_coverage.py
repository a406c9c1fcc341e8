"""Fail unless `opa test --coverage` covers at least MIN percent of the rule files.

Usage: opa test policies/rego --coverage | python scripts/rego_coverage.py MIN
Rule files are policies/rego/smguard/rules/*/*/rule.rego plus the shared
library and entry package; test files are not counted.
"""

import json
import sys


def counted(path: str) -> bool:
    return not path.endswith("_test.rego") and (
        "/smguard/rules/" in path or "/smguard/lib/" in path or "/smguard/main/" in path
    )


def main() -> int:
    minimum = float(sys.argv[1])
    try:
        report = json.load(sys.stdin)
    except json.JSONDecodeError:
        print("rego coverage: no report from opa test --coverage", file=sys.stderr)
        return 1
    covered = missed = 0
    lines = []
    for path, data in sorted(report.get("files", {}).items()):
        if not counted(path):
            continue
        hit = sum(r["end"]["row"] - r["start"]["row"] + 1 for r in data.get("covered", []))
        miss = sum(r["end"]["row"] - r["start"]["row"] + 1 for r in data.get("not_covered", []))
        covered, missed = covered + hit, missed + miss
        if miss:
            lines.append(f"  {path}: {miss} line(s) not covered")
    total = covered + missed
    percent = 100.0 * covered / total if total else 0.0
    print(f"rego coverage of rule, lib and main files: {percent:.1f}% ({covered}/{total} lines)")
    for line in lines:
        print(line)
    if not total or percent < minimum:
        print(f"below the {minimum:.0f}% floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
