"""SMG-DOMAIN-003 domain-network-allowlist, as
rules/domain/domain_network_allowlist/rule.rego."""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_domain as dom
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class DomainNetworkAllowlist(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure Studio domains use allowlisted VPCs and subnets",
            id="SMG-DOMAIN-003",
            categories=[CheckCategories.NETWORKING],
            supported_resources=["aws_sagemaker_domain"],
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        vpcs = _list(smg.setting("allowlists", "vpcs"))
        subnets = _list(smg.setting("allowlists", "subnets"))
        denials, unverifiable = [], []
        if vpcs:
            vpc_id = rc.get("vpc_id")
            if vpc_id.unknown:
                unverifiable.append(
                    "vpc_id is unknown until apply; it cannot be checked against allowlists.vpcs"
                )
            elif not vpc_id.nonempty:
                denials.append("vpc_id is not set, so it is not in allowlists.vpcs")
            elif vpc_id.value not in vpcs:
                denials.append(f"vpc_id {dom.quoted(vpc_id.value)} is not in allowlists.vpcs")
        if subnets:
            subnet_ids = rc.get("subnet_ids")
            known = [s for s in rc.elements("subnet_ids") if isinstance(s, str)]
            outside = sorted({dom.quoted(s) for s in known if s not in subnets})
            if not subnet_ids.unknown and not known:
                denials.append("subnet_ids is not set, so none is in allowlists.subnets")
            elif outside:
                denials.append(f"subnet_ids {_are(outside)} not in allowlists.subnets")
            if subnet_ids.unknown:
                unverifiable.append(
                    "subnet_ids (or some of them) are unknown until apply; they cannot be"
                    " checked against allowlists.subnets"
                )
        if denials:
            return smg.fail("; ".join(denials + unverifiable))
        if unverifiable:
            return smg.warn("; ".join(unverifiable))
        return smg.PASS


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _are(quoted: list[str]) -> str:
    return f"{quoted[0]} is" if len(quoted) == 1 else f"{', '.join(quoted)} are"


check = DomainNetworkAllowlist()
