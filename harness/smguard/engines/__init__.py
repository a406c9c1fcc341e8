"""Policy engines. Each evaluates the Rego (or Checkov) catalogue on a Document."""

from __future__ import annotations

from enum import StrEnum

from smguard.engines.base import Engine


class EngineName(StrEnum):
    OPA = "opa"
    EMBEDDED = "embedded"
    CONFTEST = "conftest"
    CHECKOV = "checkov"


def get(name: EngineName | None) -> Engine:
    """The named engine, or by default OPA when its binary is there, else embedded."""
    from smguard.engines import tools

    if name is None:
        name = EngineName.OPA if tools.find("opa") else EngineName.EMBEDDED
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
