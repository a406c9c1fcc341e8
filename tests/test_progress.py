"""Progress on a terminal's stderr, nothing anywhere else."""

from __future__ import annotations

import io

from conftest import FIXTURES, smguard, smguard_on_a_terminal
from smguard.progress import Progress

ERASE = "\r\x1b[K"
PLAN = FIXTURES / "multi-variant-endpoint" / "plan.json"


def test_a_scan_shows_its_steps_on_a_terminal_and_erases_them():
    run, terminal = smguard_on_a_terminal("scan", str(PLAN), "--engine", "opa")
    assert run.code == 1
    assert f"{ERASE}smguard: reading {PLAN} (" in terminal
    assert "smguard: evaluating " in terminal and "resources with the opa engine" in terminal
    assert terminal.endswith(ERASE), repr(terminal[-80:])  # the line is gone at the end
    assert "\x1b" not in run.stdout and " passed across 6 resources (" in run.stdout


def test_a_scan_piped_or_in_ci_shows_nothing():
    run = smguard("scan", str(PLAN), "--engine", "opa")
    assert run.code == 1
    assert run.stderr == ""
    assert "\x1b" not in run.stdout


def test_an_error_erases_the_progress_line_before_it_is_printed(tmp_path):
    broken = tmp_path / "plan.json"
    broken.write_text('{"format_version": "1.2", "resource_changes": [')
    run, terminal = smguard_on_a_terminal("scan", str(broken))
    assert run.code == 2
    progress, error = terminal.split(ERASE)[-2:]
    assert progress == f"smguard: reading {broken} (1 KB)"
    assert error.startswith(f"smguard: error: {broken}: invalid JSON at line 1")
    assert error.endswith("\r\n") and error.count("\n") == 1  # one line (the pty adds \r)


def test_frequent_updates_are_drawn_at_most_every_interval():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = Progress(stream, interval=3600)
    progress.show("reading the account")
    for calls in range(1, 500):
        progress.show(f"reading the account: {calls} API calls", frequent=True)
    progress.show("evaluating")
    progress.clear()
    assert stream.getvalue() == (
        f"{ERASE}smguard: reading the account{ERASE}smguard: evaluating{ERASE}"
    )
    quiet = io.StringIO()
    Progress(quiet).show("reading")
    assert quiet.getvalue() == ""
