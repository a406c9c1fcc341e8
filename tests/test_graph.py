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


def test_graph_draws_the_failing_network_path():
    """SMG-EGRESS-001: workload -> subnet -> route table -> NAT gateway -> internet,
    every edge of the failing path marked."""
    from smguard import engines, graph
    from smguard.engines import EngineName
    from smguard.loaders import plan

    document = plan.load(REPO / "fixtures" / "egress-nat-association" / "plan.json")
    report = engines.get(EngineName("opa")).evaluate(document)
    drawn = graph.build(document, report.findings)
    path = [
        ("aws_sagemaker_notebook_instance.research", "aws_subnet.private_a"),
        ("aws_subnet.private_a", "aws_route_table.private"),
        ("aws_route_table.private", "aws_nat_gateway.egress"),
        ("aws_nat_gateway.egress", graph.INTERNET),
    ]
    assert set(path) <= drawn.failing <= set(drawn.edges)
    assert drawn.nodes[graph.INTERNET] == "fail"
    # The public subnet's own route to the internet gateway is drawn, not marked.
    assert ("aws_route_table.public", "aws_internet_gateway.main") in drawn.edges
    assert ("aws_route_table.public", "aws_internet_gateway.main") not in drawn.failing
    text = graph.mermaid(drawn)
    assert text.count("linkStyle") == len(drawn.failing)
