"""`smguard graph`: a standalone page, rendered by a real headless Chromium."""

from __future__ import annotations

import shutil
import subprocess

from conftest import REPO, smguard

FAILING = [
    "aws_sagemaker_domain.studio",
    "aws_sagemaker_endpoint.churn",
    "aws_sagemaker_endpoint_configuration.churn",
    "aws_sagemaker_model.churn",
]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=15000",
]  # fmt: skip


def _chromium(tmp_path, *args: str) -> str:
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: run `make browser` (scripts/install-browser.sh)"
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return result.stdout


def test_graph_page_renders_in_a_browser_and_names_every_failure(tmp_path):
    page = tmp_path / "posture.html"
    run = smguard("graph", str(REPO / "examples" / "plan.json"), "-o", str(page), "--engine", "opa")
    assert run.code == 1
    summary = smguard("scan", str(REPO / "examples" / "plan.json"), "--format", "json").json()[
        "summary"
    ]
    assert "wrote" in run.stderr and f"{summary['fail']} failed" in run.stderr
    text = page.read_text()
    assert "https://" not in text.split("<script>", 1)[0], "the page must not load anything remote"

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert 'data-rendered="ok"' in dom, dom[-2000:]
    svg = dom.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Syntax error" not in svg
    for address in FAILING:
        assert address in svg
    assert svg.count('class="node default fail"') == len(FAILING)
    assert svg.count('class="node default pass"') == 3

    screenshot = tmp_path / "posture.png"
    _chromium(tmp_path, "--window-size=1400,900", f"--screenshot={screenshot}", page.as_uri())
    assert screenshot.stat().st_size > 10_000


def test_graph_without_output_is_a_usage_error():
    run = smguard("graph", str(REPO / "examples" / "plan.json"))
    assert run.code == 2
    assert "-o/--output" in run.stderr
