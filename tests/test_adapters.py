"""The same Rego in the input shapes of HCP Terraform and Spacelift, and as an OPA bundle."""

from __future__ import annotations

import hashlib
import json
import subprocess
import tarfile

import pytest

from conftest import FIXTURES, REPO, TOOLS

REGO = REPO / "policies" / "rego"
FAILING = FIXTURES / "multi-variant-endpoint" / "plan.json"
WARNING = FIXTURES / "model-outside-plan" / "plan.json"


def _eval(query: str, document: dict, *policy: str) -> list:
    result = subprocess.run(
        [str(TOOLS / "opa"), "eval", "-f", "json", "--strict-builtin-errors",
         *(policy or ("-d", str(REGO))), "--stdin-input", query],
        input=json.dumps(document), capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout and json.loads(result.stdout)["result"][0]["expressions"][0]["value"]


def _main_messages(plan: dict, kind: str) -> list[str]:
    return sorted(f["msg"] for f in _eval(f"data.smguard.main.{kind}", plan))


@pytest.mark.parametrize("fixture", [FAILING, WARNING], ids=lambda p: p.parent.name)
def test_hcp_terraform_input_plan(fixture):
    plan = json.loads(fixture.read_text())
    wrapped = {
        "plan": plan,
        "run": {"id": "run-123", "is_destroy": False},
        "workspace": {"name": "ml"},
    }
    for kind in ("deny", "warn"):
        expected = _main_messages(plan, kind)
        assert sorted(_eval(f"data.smguard.hcp.{kind}", wrapped)) == expected
    assert _main_messages(plan, "deny") or _main_messages(plan, "warn")


def test_hcp_policy_set_names_the_queries():
    text = (REGO / "policies.hcl").read_text()
    assert 'query             = "data.smguard.hcp.deny"' in text
    assert 'enforcement_level = "mandatory"' in text
    assert 'query             = "data.smguard.hcp.warn"' in text


def _spacelift(plan: dict) -> dict:
    """Spacelift's plan-policy input: Spacelift metadata plus the plan under `terraform`."""
    return {
        "spacelift": {"run": {"type": "PROPOSED"}, "stack": {"name": "ml"}},
        "terraform": {k: plan[k] for k in ("format_version", "resource_changes", "configuration")},
    }


def _default_sanitized(value):
    """Spacelift's Default Sanitization as documented: every string becomes a short hash."""
    if isinstance(value, str):
        return hashlib.sha256(value.encode()).hexdigest()[:8]
    if isinstance(value, list):
        return [_default_sanitized(v) for v in value]
    if isinstance(value, dict):
        return {k: _default_sanitized(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("fixture", [FAILING, WARNING], ids=lambda p: p.parent.name)
def test_spacelift_smart_sanitization(fixture):
    plan = json.loads(fixture.read_text())
    for kind in ("deny", "warn"):
        assert sorted(_eval(f"data.spacelift.{kind}", _spacelift(plan))) == _main_messages(
            plan, kind
        )


def test_spacelift_default_sanitization_is_refused_not_misread():
    plan = json.loads(FAILING.read_text())
    for rc in plan["resource_changes"]:
        rc["change"]["after"] = _default_sanitized(rc["change"]["after"])
    denied = _eval("data.spacelift.deny", _spacelift(plan))
    assert len(denied) == 1
    assert "Spacelift Default Sanitization" in denied[0]
    assert "Smart Sanitization" in denied[0]
    assert _eval("data.spacelift.warn", _spacelift(plan)) == []


def test_no_policy_imports_rego_v1():
    """Spacelift does not accept `import rego.v1`."""
    offenders = [
        p
        for p in REGO.rglob("*.rego")
        if any(line.strip() == "import rego.v1" for line in p.read_text().splitlines())
    ]
    assert offenders == []


def test_opa_bundle_has_manifest_and_revision(tmp_path):
    out = tmp_path / "bundle.tar.gz"
    subprocess.run(
        [str(TOOLS / "opa"), "build", "-b", str(REGO), "--ignore", "*_test.rego",
         "--revision", "test-rev", "-o", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    with tarfile.open(out) as archive:
        manifest = json.load(archive.extractfile("/.manifest"))
        names = archive.getnames()
    assert manifest["revision"] == "test-rev"
    assert set(manifest["roots"]) == {"smguard", "main", "spacelift"}
    assert not [n for n in names if n.endswith("_test.rego")]
    plan = json.loads(FAILING.read_text())
    from_bundle = _eval("data.smguard.main.deny", plan, "-b", str(out))
    assert sorted(f["msg"] for f in from_bundle) == _main_messages(plan, "deny")
