"""How the SageMaker resources of a document connect, with each node's worst verdict.

Edges come from the same places the rules look: `configuration` references
(model -> subnets and security groups, domain -> VPC and subnets, anything ->
what it refers to) and names (endpoint -> endpoint configuration -> models).
Used by the Markdown report's Mermaid diagram and `smguard graph`.

The network path SMG-EGRESS-001 follows is drawn too: subnet -> route table
(its association) -> NAT, internet or egress-only gateway -> `internet`, the
node every gateway to the internet leads to, failing when a workload's path
to it fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from smguard.document import GONE_ACTIONS, Document
from smguard.findings import Finding, Verdict

_NETWORK_TYPES = (
    "aws_vpc",
    "aws_subnet",
    "aws_security_group",
    "aws_vpc_endpoint",
    "aws_kms_key",
    "aws_route_table",
    "aws_default_route_table",
    "aws_nat_gateway",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
)
# Resources that only link others: an association links a subnet (or VPC) to a
# route table, an aws_route a route table to its target.
_LINK_TYPES = ("aws_route_table_association", "aws_main_route_table_association", "aws_route")
_TABLE_TYPES = ("aws_route_table", "aws_default_route_table")
_GATEWAY_TYPES = ("aws_nat_gateway", "aws_internet_gateway", "aws_egress_only_internet_gateway")
INTERNET = "internet"
_RANK = {Verdict.FAIL: 3, Verdict.WARN: 2, Verdict.EXEMPT: 1, Verdict.PASS: 0}


@dataclass(frozen=True)
class Graph:
    nodes: dict[str, str]  # address -> status: fail / warn / exempt / pass / none
    edges: tuple[tuple[str, str], ...]  # (from address, to address)
    failing: frozenset[tuple[str, str]] = frozenset()  # edges of a path that fails


def build(document: Document, findings: tuple[Finding, ...]) -> Graph:
    changes = [
        rc
        for rc in document.resource_changes()
        if rc.get("mode", "managed") == "managed"
        and (rc.get("change") or {}).get("actions") not in GONE_ACTIONS
        and (rc.get("type", "").startswith("aws_sagemaker_") or rc.get("type") in _NETWORK_TYPES)
    ]
    by_address = {rc["address"]: rc for rc in changes}
    links = [
        rc
        for rc in document.resource_changes()
        if rc.get("type") in _LINK_TYPES
        and (rc.get("change") or {}).get("actions") not in GONE_ACTIONS
    ]
    worst: dict[str, Verdict] = {}
    for f in findings:
        if f.address in by_address and _RANK[f.verdict] >= _RANK.get(worst.get(f.address), -1):
            worst[f.address] = f.verdict
    edges = set()
    names = {
        (rc["type"], (rc["change"].get("after") or {}).get("name")): rc["address"] for rc in changes
    }
    configs = _configuration(document.data)
    for rc in changes:
        if not rc["type"].startswith("aws_sagemaker_"):
            continue
        after = rc["change"].get("after") or {}
        for target in _referenced(rc, configs, by_address):
            edges.add((rc["address"], target))
        if rc["type"] == "aws_sagemaker_endpoint":
            target = names.get(
                ("aws_sagemaker_endpoint_configuration", after.get("endpoint_config_name"))
            )
            if target:
                edges.add((rc["address"], target))
        for variant in (after.get("production_variants") or []) + (
            after.get("shadow_production_variants") or []
        ):
            target = names.get(("aws_sagemaker_model", (variant or {}).get("model_name")))
            if target:
                edges.add((rc["address"], target))
    edges |= _network_edges(changes, links, configs, by_address)
    linked = {a for edge in edges for a in edge}
    nodes = {
        address: str(worst[address]) if address in worst else "none"
        for address, rc in by_address.items()
        if rc["type"].startswith("aws_sagemaker_") or address in linked
    }
    failing: set[tuple[str, str]] = set()
    if any(target == INTERNET for _, target in edges):
        # The resources a failing path names in its message, with the workload.
        fails = [f for f in findings if f.rule_id == "SMG-EGRESS-001" and f.verdict is Verdict.FAIL]
        nodes[INTERNET] = "fail" if fails else "none"
        for f in fails:
            named = {a for a in nodes if a != f.address and _names(f.message, a)}
            on_path = named | {f.address, INTERNET}
            failing |= {
                (a, b)
                for a, b in edges
                if a in on_path
                and (b in named or b == INTERNET)
                and by_address.get(b, {}).get("type") != "aws_security_group"
            }
    kept = tuple(sorted(e for e in edges if e[0] in nodes and e[1] in nodes))
    return Graph(nodes, kept, frozenset(e for e in failing if e in kept))


def _names(message: str, address: str) -> bool:
    """The message names the address (not a longer one it is the start of)."""
    return re.search(re.escape(address) + r"(?![\w\-\[.])", message) is not None


def _network_edges(
    changes: list[dict], links: list[dict], configs: dict, by_address: dict
) -> set[tuple[str, str]]:
    """subnet -> route table -> gateway -> internet, from the configuration's references."""
    edges = set()
    for rc in links:
        targets = _referenced(rc, configs, by_address)
        tables = {t for t in targets if by_address[t]["type"] in _TABLE_TYPES}
        others = targets - tables
        for table in tables:
            for other in others:
                kind = by_address[other]["type"]
                if kind in ("aws_subnet", "aws_vpc"):
                    edges.add((other, table))
                elif kind in _GATEWAY_TYPES:
                    edges.add((table, other))
    for rc in changes:
        if rc["type"] in _TABLE_TYPES:
            for target in _referenced(rc, configs, by_address):
                if by_address[target]["type"] in _GATEWAY_TYPES:
                    edges.add((rc["address"], target))
        if rc["type"] in _GATEWAY_TYPES:
            after = rc["change"].get("after") or {}
            if after.get("connectivity_type") != "private":
                edges.add((rc["address"], INTERNET))
    return edges


def _configuration(plan: dict) -> dict[str, dict]:
    """Configuration blocks by address without instance keys."""
    found: dict[str, dict] = {}

    def visit(module: dict, prefix: str) -> None:
        for resource in module.get("resources", []):
            found[prefix + resource.get("address", "")] = resource
        for name, call in (module.get("module_calls") or {}).items():
            visit(call.get("module") or {}, f"{prefix}module.{name}.")

    visit((plan.get("configuration") or {}).get("root_module") or {}, "")
    return found


def _referenced(rc: dict, configs: dict, by_address: dict) -> set[str]:
    prefix = f"{rc['module_address']}." if rc.get("module_address") else ""
    block = configs.get(re.sub(r"\[[^\]]*\]", "", rc["address"]), {})
    targets = set()
    for ref in _references(block.get("expressions", {})):
        match = re.match(r"^([a-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?", ref)
        if not match:
            continue
        base = prefix + match.group(1)
        for address in by_address:
            if address == base + (match.group(2) or "") or (
                not match.group(2) and address.startswith(base + "[")
            ):
                targets.add(address)
    return targets


def _references(expressions) -> list[str]:
    if isinstance(expressions, dict):
        refs = expressions.get("references")
        refs = [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []
        for key, value in expressions.items():
            if key != "references":
                refs += _references(value)
        return refs
    if isinstance(expressions, list):
        return [r for item in expressions for r in _references(item)]
    return []


def mermaid(graph: Graph) -> str:
    """A Mermaid flowchart; nodes coloured by status."""
    ids = {address: f"n{i}" for i, address in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for address, status in sorted(graph.nodes.items()):
        label = address.replace('"', "#quot;")
        mark = {"fail": "✗ ", "warn": "⚠ ", "exempt": "○ ", "pass": "✓ "}.get(status, "")
        lines.append(f'  {ids[address]}["{mark}{label}"]:::{status}')
    for source, target in graph.edges:
        lines.append(f"  {ids[source]} --> {ids[target]}")
    for i, edge in enumerate(graph.edges):
        if edge in graph.failing:
            lines.append(f"  linkStyle {i} stroke:#c00,stroke-width:3px")
    lines += [
        "  classDef fail fill:#fdd,stroke:#c00,color:#600",
        "  classDef warn fill:#ffe9b3,stroke:#c80,color:#640",
        "  classDef exempt fill:#e0ecff,stroke:#36c,color:#123",
        "  classDef pass fill:#dfd,stroke:#080,color:#040",
        "  classDef none fill:#eee,stroke:#999,color:#333",
    ]
    return "\n".join(lines)


def mermaid_js() -> str:
    """Mermaid's browser bundle: shipped in the wheel, or the project's npm install."""
    from smguard.errors import EngineError

    here = Path(__file__).resolve().parent
    for candidate in (
        here / "_vendor" / "mermaid.min.js",
        here.parents[1]
        / ".tools"
        / "node"
        / "node_modules"
        / "mermaid"
        / "dist"
        / "mermaid.min.js",
    ):
        if candidate.is_file():
            return candidate.read_text()
    raise EngineError("graph: mermaid.min.js not found (run `make tools`)")


def html(graph: Graph, title: str, summary: str) -> str:
    """A standalone page drawing the graph. `body[data-rendered]` becomes "ok" once
    Mermaid has drawn it, or "error" with the message, for tests and for people."""
    import html as escape

    script = mermaid_js().replace("</script", "<\\/script")
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem; color: #222; }}
.legend span {{ display: inline-block; padding: 0.1rem 0.5rem; margin-right: 0.5rem; }}
</style>
</head>
<body data-rendered="pending">
<h1>{escape.escape(title)}</h1>
<p>{escape.escape(summary)}</p>
<p class="legend"><span style="background:#fdd">✗ fail</span>
<span style="background:#ffe9b3">⚠ warn</span><span style="background:#e0ecff">○ exempt</span>
<span style="background:#dfd">✓ pass</span>
<span style="background:#eee">not checked</span></p>
<pre class="mermaid">
{escape.escape(mermaid(graph))}
</pre>
<p id="error"></p>
<script>{script}</script>
<script>
mermaid.initialize({{ startOnLoad: false, securityLevel: "strict" }});
mermaid.run({{ querySelector: "pre.mermaid" }})
  .then(() => {{ document.body.dataset.rendered = "ok"; }})
  .catch((err) => {{
    document.body.dataset.rendered = "error";
    document.getElementById("error").textContent = String(err && err.message || err);
  }});
</script>
</body>
</html>
"""
