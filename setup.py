"""Build hook: ship the policies and the embedded engine's module inside the package.

The policies live at the repository root (policies/), outside the Python
package, so that conftest and OPA users find them where they expect. The wheel
gets a copy under smguard/policies (test files left out), and the wasm module
built by `make bundle` under smguard/_bundle; smguard.paths looks there first.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithPolicies(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "smguard"
        shutil.copytree(
            ROOT / "policies",
            target / "policies",
            ignore=shutil.ignore_patterns("*_test.rego", "__pycache__", "*.pyc"),
            dirs_exist_ok=True,
        )
        bundle = ROOT / "harness" / "smguard" / "_bundle"
        if not (bundle / "policy.wasm").is_file():
            raise SystemExit("build the embedded engine's module first: make bundle")
        shutil.copytree(bundle, target / "_bundle", dirs_exist_ok=True)
        mermaid = ROOT / ".tools" / "node" / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
        if mermaid.is_file():  # for `smguard graph`; without it the command says what to install
            (target / "_vendor").mkdir(exist_ok=True)
            shutil.copy(mermaid, target / "_vendor" / "mermaid.min.js")


setup(cmdclass={"build_py": BuildWithPolicies})
