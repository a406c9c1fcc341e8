"""SMG-EGRESS-001 egress-network-path, as rules/egress/egress_network_path/rule.rego.

The path of every workload is worked out once per plan by smguard_network,
the twin of lib/network, from the plan file checkov is scanning.
"""

from __future__ import annotations

from typing import Any

import smguard_checkov as smg
import smguard_network
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck


class EgressNetworkPath(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name=(
                "Ensure SageMaker workloads in a VPC have no network path to the internet"
                " or out of the VPC"
            ),
            id="SMG-EGRESS-001",
            categories=[CheckCategories.NETWORKING],
            supported_resources=list(smguard_network.SPECS),
        )

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        return smg.report(self, self.verdict(smg.resource(self, conf)))

    def verdict(self, rc: smg.Resource) -> smg.Verdict:
        return smguard_network.verdict(rc)


check = EgressNetworkPath()
