# METADATA
# description: |
#   For `smguard scan --engine conftest` only: one warning that carries the
#   whole report, so that the harness gets from conftest what it gets from
#   opa (exempted findings, exemption problems, which rules loaded). Users
#   run `package main` (conftest.rego) instead.
package smguard.conftest_engine

warn contains {"msg": "smguard report", "report": data.smguard.main.report}
