"""Build and check the embedded engine's Wasm module (`make bundle`).

The module is OPA's compilation of the Rego sources. A digest of those sources
is stored beside it, so a module built from other sources is refused.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

from smguard.errors import EngineError
from smguard.paths import rego_dir

ENTRYPOINT = "smguard/main/report"


def sources_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.rego")):
        if path.name.endswith("_test.rego"):
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(opa: str, out_dir: Path) -> None:
    # Built from a relative path: the module records its source file names, and
    # an absolute one would make every checkout's build differ (and show it).
    base = rego_dir().parent.parent
    result = subprocess.run(
        [opa, "build", "-t", "wasm", "-e", ENTRYPOINT, "--ignore", "*_test.rego",
         "-o", "/dev/stdout", str(rego_dir().relative_to(base))],
        capture_output=True, cwd=base,
    )  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"opa build failed: {result.stderr.decode(errors='replace').strip()}")
    # opa build writes the archive to stdout
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        member = archive.extractfile("/policy.wasm")
        if member is None:
            raise SystemExit("opa build produced no policy.wasm")
        wasm = member.read()
    from smguard.engines.embedded import WasmPolicy

    try:  # refuse a module the embedded engine could not run
        WasmPolicy(wasm)
    except EngineError as err:
        raise SystemExit(f"make bundle: {err}") from None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "policy.wasm").write_bytes(wasm)
    (out_dir / "sources.sha256").write_text(sources_digest(rego_dir()) + "\n")


def check_fresh(out_dir: Path) -> None:
    """Raise EngineError unless the module exists and matches the Rego sources."""
    if not (out_dir / "policy.wasm").is_file():
        raise EngineError("embedded: policy module not built (run `make bundle`)")
    built_from = (out_dir / "sources.sha256").read_text().strip()
    if built_from != sources_digest(rego_dir()):
        raise EngineError(
            "embedded: policy module is older than the Rego sources (run `make bundle`)"
        )


if __name__ == "__main__":
    build(sys.argv[1], Path(sys.argv[2]))
