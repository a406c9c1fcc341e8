"""Policy engines. Each evaluates the Rego (or Checkov) catalogue on a Document."""

from __future__ import annotations

from enum import StrEnum

from smguard.engines.base import Engine


class EngineName(StrEnum):
    REGORUS = "regorus"
    OPA = "opa"
    EMBEDDED = "embedded"
    CONFTEST = "conftest"
    CHECKOV = "checkov"


# The default engine is the first of these whose program is found.
DEFAULTS = ((EngineName.REGORUS, "smguard-regorus"), (EngineName.OPA, "opa"))


def get(name: EngineName | None) -> Engine:
    """The named engine, or by default the first whose program is there: regorus
    (least memory), OPA, else embedded (in-process, always there)."""
    from smguard.engines import tools

    if name is None:
        name = next(
            (engine for engine, program in DEFAULTS if tools.find(program)), EngineName.EMBEDDED
        )
    if name is EngineName.REGORUS:
        from smguard.engines.regorus import RegorusEngine

        return RegorusEngine()
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
