"""Policy engines. Each evaluates the Rego (or Checkov) catalogue on a Document."""

from __future__ import annotations

from enum import StrEnum

from smguard.engines.base import Engine


class EngineName(StrEnum):
    OPA = "opa"
    EMBEDDED = "embedded"
    CONFTEST = "conftest"
    CHECKOV = "checkov"


def default() -> EngineName:
    """OPA itself when its binary is found, else the embedded engine: OPA's own wasm
    compilation of the bundle, in-process, always there."""
    from smguard.engines import tools

    return EngineName.OPA if tools.find("opa") else EngineName.EMBEDDED


def get(name: EngineName | None) -> Engine:
    """The named engine, or the default one."""
    if name is None:
        name = default()
    if name is EngineName.OPA:
        from smguard.engines.opa import OpaEngine

        return OpaEngine()
    if name is EngineName.CONFTEST:
        from smguard.engines.conftest import ConftestEngine

        return ConftestEngine()
    if name is EngineName.CHECKOV:
        from smguard.engines.checkov import CheckovEngine

        return CheckovEngine()
    from smguard.engines.embedded import EmbeddedEngine

    return EmbeddedEngine()
