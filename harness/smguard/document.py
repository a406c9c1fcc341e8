"""The one document shape every input becomes: a subset of Terraform's plan JSON.

Plans are already that shape; the HCL and audit loaders write it; AWSCC
resources are given the AWS provider's shape as a Document is made
(loaders/awscc.py). Engines get
`for_engine(...)`: only the resource types the rules look at, which keeps
evaluation time proportional to the SageMaker part of a large plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from smguard.loaders import awscc

# Only deleted, or forgotten (a `removed` block with `destroy = false`).
GONE_ACTIONS = (["delete"], ["forget"])


@dataclass(frozen=True)
class Document:
    data: dict
    source: str  # file name or description, for messages
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)  # address -> (file, line)

    def __post_init__(self) -> None:
        # Every loader's document is made here: AWSCC resources take the AWS
        # provider's shape once, for every rule and engine (loaders/awscc.py).
        object.__setattr__(self, "data", awscc.normalise(self.data))

    def resource_changes(self) -> Iterator[dict]:
        yield from self.data.get("resource_changes") or []

    def checked_resources(self, types: frozenset[str]) -> Iterator[dict]:
        """Managed resources of these types that remain managed after apply.

        The same predicate as `_checked` in policies/rego/smguard/lib/plan.
        """
        for rc in self.resource_changes():
            if (
                rc.get("type") in types
                and rc.get("mode", "managed") == "managed"
                and (rc.get("change") or {}).get("actions") not in GONE_ACTIONS
            ):
                yield rc

    def for_engine(self, types: frozenset[str]) -> dict:
        """The document reduced to resources of the given types, with configuration."""
        reduced = {
            "format_version": self.data.get("format_version"),
            "resource_changes": [rc for rc in self.resource_changes() if rc.get("type") in types],
        }
        configuration = self.data.get("configuration")
        if configuration and "root_module" in configuration:
            reduced["configuration"] = {
                "root_module": _reduce_module(configuration["root_module"], types)
            }
        return reduced


def _reduce_module(module: dict, types: frozenset[str]) -> dict:
    reduced = {
        "resources": [r for r in module.get("resources", []) if r.get("type") in types],
    }
    calls = module.get("module_calls")
    if calls:
        reduced["module_calls"] = {
            name: {**call, "module": _reduce_module(call.get("module", {}), types)}
            for name, call in calls.items()
        }
    return reduced
