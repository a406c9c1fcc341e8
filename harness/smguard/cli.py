"""The `smguard` command. The only place that prints errors and chooses exit codes.

Exit codes: 0 no failures, 1 failures (or warnings with --strict), 2 bad input,
engine error, or an audit that could not read every part (unless --allow-partial).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smguard import __version__
from smguard.errors import InputError

EXIT_INPUT_OR_ENGINE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    from smguard.engines import EngineName
    from smguard.formats import FormatName

    parser = argparse.ArgumentParser(
        prog="smguard",
        description="SageMaker network-isolation guardrails for Terraform plans.",
    )
    parser.add_argument("--version", action="version", version=f"smguard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    scan = commands.add_parser(
        "scan", help="check a Terraform plan (JSON or plan file) or a directory of Terraform source"
    )
    scan.add_argument(
        "target",
        type=Path,
        help="plan JSON from `terraform show -json`, a plan file, or a directory of .tf files",
    )
    scan.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE", help="a variable (source scans)"
    )
    scan.add_argument(
        "--var-file", action="append", default=[], type=Path, help="a variables file (source scans)"
    )
    scan.add_argument(
        "--engine",
        type=EngineName,
        choices=list(EngineName),
        default=None,
        help="policy engine (default: opa when its binary is found, else embedded)",
    )
    scan.add_argument(
        "--format", type=FormatName, choices=list(FormatName), default=FormatName.TEXT
    )
    scan.add_argument(
        "--output", action="append", default=[], type=_output, metavar="FORMAT=PATH",
        help="also write the report in FORMAT to PATH (repeatable): one scan, several reports",
    )  # fmt: skip
    scan.add_argument(
        "--strict", action="store_true", help="warnings and exemption problems also fail (exit 1)"
    )
    scan.add_argument(
        "--config", type=Path, help="configuration file (YAML or JSON): settings, rules, exemptions"
    )
    scan.add_argument(
        "--now",
        type=_day,
        help="evaluate exemption expiry as of this day (YYYY-MM-DD; default today)",
    )
    scan.add_argument(
        "--source",
        type=Path,
        help="Terraform source of the plan: findings point at its .tf files and lines",
    )
    scan.add_argument(
        "--allow-partial",
        action="store_true",
        help="a saved audit with parts it could not read still reports (exit 0 or 1, not 2)",
    )
    graph = commands.add_parser(
        "graph", help="draw the SageMaker resources of a plan and their verdicts as an HTML page"
    )
    graph.add_argument("target", type=Path, help="plan JSON, plan file, or directory of .tf files")
    graph.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    graph.add_argument("--engine", type=EngineName, choices=list(EngineName), default=None)
    graph.add_argument("--config", type=Path, help="configuration file (YAML or JSON)")
    graph.set_defaults(var=[], var_file=[], now=None, source=None)

    fix = commands.add_parser(
        "fix", help="rewrite Terraform source so that what smguard can fix by itself passes"
    )
    fix.add_argument("target", type=Path, help="a directory of Terraform source")
    fix.add_argument(
        "--write", action="store_true", help="apply the edits (default: print a unified diff)"
    )
    fix.add_argument(
        "--rule", action="append", default=[], metavar="ID", help="fix only this rule (repeatable)"
    )
    fix.add_argument("--format", choices=["text", "json"], default="text")
    fix.add_argument("--engine", type=EngineName, choices=list(EngineName), default=None)
    fix.add_argument("--config", type=Path, help="configuration file (YAML or JSON)")

    audit = commands.add_parser(
        "audit", help="check the SageMaker resources of a live AWS account (boto3)"
    )
    audit.add_argument(
        "--region",
        action="append",
        default=[],
        help="a region to audit (repeatable; default: the profile's or AWS_REGION)",
    )
    audit.add_argument("--profile", help="AWS profile (default: the environment's credentials)")
    audit.add_argument(
        "--endpoint-url", help="one endpoint for every AWS service (an emulator such as moto)"
    )
    audit.add_argument(
        "--job-days",
        type=_positive,
        default=30,
        help="audit training, processing and transform jobs created in this many days (30)",
    )
    audit.add_argument(
        "--allow-partial",
        action="store_true",
        help="report what could be read when some parts could not (exit 0 or 1, not 2)",
    )
    audit.add_argument("--engine", type=EngineName, choices=list(EngineName), default=None)
    audit.add_argument(
        "--format", type=FormatName, choices=list(FormatName), default=FormatName.TEXT
    )
    audit.add_argument(
        "--output", action="append", default=[], type=_output, metavar="FORMAT=PATH",
        help="also write the report in FORMAT to PATH (repeatable)",
    )  # fmt: skip
    audit.add_argument(
        "--strict", action="store_true", help="warnings and exemption problems also fail (exit 1)"
    )
    audit.add_argument("--config", type=Path, help="configuration file (YAML or JSON)")
    audit.add_argument(
        "--now", type=_day, help="evaluate exemption expiry as of this day (YYYY-MM-DD)"
    )
    return parser


def _output(text: str):
    from smguard.formats import FormatName

    name, sep, path = text.partition("=")
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=PATH: {text!r}")
    try:
        return FormatName(name), Path(path)
    except ValueError:
        choices = ", ".join(FormatName)
        raise argparse.ArgumentTypeError(f"unknown format {name!r} (one of {choices})") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _day(text: str):
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    from smguard.errors import SmguardError
    from smguard.progress import Progress

    args = _parser().parse_args(argv)
    progress = Progress()
    try:
        commands = {"graph": _graph, "audit": _audit, "fix": _fix}
        return commands.get(args.command, _scan)(args, progress)
    except SmguardError as err:
        progress.clear()
        print(f"smguard: error: {err}", file=sys.stderr)
        return EXIT_INPUT_OR_ENGINE_ERROR
    finally:
        progress.clear()


def _load(args: argparse.Namespace, progress):
    """The document of the target: Terraform source, or a plan (JSON or plan file)."""
    from smguard.loaders import plan
    from smguard.progress import size

    if args.target.is_dir():
        from smguard.loaders import hcl

        progress.show(f"reading Terraform source in {args.target}")
        allow_partial = getattr(args, "allow_partial", False)
        return hcl.load(args.target, tuple(args.var_file), tuple(args.var), allow_partial)
    progress.show(f"reading {args.target} ({size(args.target)})")
    return plan.load(args.target)


def _graph(args: argparse.Namespace, progress) -> int:
    from smguard import config
    from smguard import graph as resource_graph

    settings = config.load(args.config) if args.config else None
    document = _load(args, progress)
    report = _evaluate(document, settings, args, progress)
    counts = report.counts
    summary = (
        f"{counts['fail']} failed, {counts['warn']} warned, {counts['exempt']} exempted, "
        f"{counts['pass']} passed (engine {report.engine})"
    )
    page = resource_graph.html(
        resource_graph.build(document, report.findings), f"smguard: {document.source}", summary
    )
    args.output.write_text(page)
    progress.clear()
    print(f"smguard: wrote {args.output}: {summary}", file=sys.stderr)
    return report.exit_code()


def _scan(args: argparse.Namespace, progress) -> int:
    from smguard import config

    settings = config.load(args.config) if args.config else None
    document = _load(args, progress)
    if args.source:
        from dataclasses import replace

        from smguard.loaders import hcl

        progress.show(f"reading Terraform source in {args.source}")
        source = hcl.load(args.source, tuple(args.var_file), tuple(args.var), allow_partial=True)
        document = replace(document, locations=source.locations)
    report = _evaluate(document, settings, args, progress)
    progress.clear()
    _write_reports(args, report, document, embed=False)
    return _exit_code(report, args)


def _audit(args: argparse.Namespace, progress) -> int:
    from smguard import config
    from smguard.loaders import audit

    settings = config.load(args.config) if args.config else None
    progress.show("reading the account")
    document = audit.load(
        tuple(args.region),
        profile=args.profile,
        endpoint_url=args.endpoint_url,
        job_days=args.job_days,
        on_call=lambda calls: progress.show(
            f"reading the account: {calls} API calls", frequent=True
        ),
    )
    meta = document.data["smguard_audit"]
    progress.clear()
    print(
        f"smguard: read {len(document.data['resource_changes'])} resources of {document.source} "
        f"with {meta['api_calls_total']} API calls ({meta['http_requests']} HTTP requests) "
        f"in {meta['seconds']:.1f}s",
        file=sys.stderr,
    )
    report = _evaluate(document, settings, args, progress)
    progress.clear()
    _write_reports(args, report, document, embed=True)
    return _exit_code(report, args)


def _fix(args: argparse.Namespace, progress) -> int:
    """Exit 1 when a dry run has edits to make, 0 when there are none or they were written."""
    import json

    from smguard import catalogue, config, engines, fix

    if not args.target.is_dir():
        raise InputError(f"{args.target}: not a directory of Terraform source")
    known = {rule.id for rule in catalogue.load()}
    unknown = sorted(set(args.rule) - known)
    if unknown:
        raise InputError(f"--rule: no such rule: {', '.join(unknown)}")
    settings = config.load(args.config) if args.config else None
    progress.show(f"scanning and fixing the Terraform source in {args.target}")
    result = fix.plan(args.target, engines.get(args.engine), settings, frozenset(args.rule) or None)
    progress.clear()
    if args.write:
        result.write()
    if args.format == "json":
        print(json.dumps({**result.to_dict(), "written": args.write}, indent=2))
    else:
        sys.stdout.write(result.diff())
        sys.stderr.write(fix.summary(result, written=args.write))
    return 1 if result.changes and not args.write else 0


def _write_reports(args: argparse.Namespace, report, document, *, embed: bool) -> None:
    """The report in --format on stdout and in each --output FORMAT=PATH, all
    rendered from the one result. embed: the JSON format carries the document
    (an audit's), so that `smguard scan` can read it again."""
    from smguard import formats

    wanted = [args.format, *(name for name, _ in args.output)]
    graph = None
    if formats.FormatName.MARKDOWN in wanted:
        from smguard import graph as resource_graph

        graph = resource_graph.build(document, report.findings)

    def render(name, color: bool = False) -> str:
        data = document.data if embed else None
        return formats.render(name, report, color=color, graph=graph, document=data)

    for name, path in args.output:
        try:
            path.write_text(render(name))
        except OSError as err:
            raise InputError(f"{path}: cannot write the {name} report: {err.strerror}") from None
    sys.stdout.write(render(args.format, color=sys.stdout.isatty()))


def _evaluate(document, settings, args: argparse.Namespace, progress):
    """The report on a document; an audit of several regions is evaluated region by region."""
    from smguard import catalogue, engines, report
    from smguard.loaders import audit_document

    engine = engines.get(args.engine)
    resources = len(document.data.get("resource_changes") or [])
    progress.show(f"evaluating {resources} resources with the {engine.name} engine")
    return report.merge(
        engine.evaluate_many(audit_document.partitions(document), settings, args.now),
        source=document.source,
        unread=audit_document.unread(document),
        unscanned=tuple((document.data.get("smguard_source") or {}).get("unscanned_modules", ())),
        not_checked=catalogue.not_checked(document, catalogue.load()),
    )


def _exit_code(report, args: argparse.Namespace) -> int:
    """2 when an audit could not read every part (unless --allow-partial), else 0 or 1."""
    if report.unread and not args.allow_partial:
        print(
            f"smguard: error: {len(report.unread)} parts of the account could not be read "
            "(listed in the report); --allow-partial accepts a partial audit",
            file=sys.stderr,
        )
        return EXIT_INPUT_OR_ENGINE_ERROR
    return report.exit_code(strict=args.strict)


if __name__ == "__main__":
    sys.exit(main())
