"""Benchmark `smguard audit` on an emulated account: 1,000 models and 200 endpoints.

Starts a moto server on 127.0.0.1, creates the models, 200 endpoint
configurations (one per endpoint) and 200 endpoints with boto3, then runs
`smguard audit --format json` as a user would and reports the wall time, the
time spent reading the account, the API calls (by operation) and HTTP requests
it made, and the time of `smguard scan` on the saved output (the evaluation
alone). Results go in docs/audit.md.

Usage: python bench/audit.py [--models 1000] [--endpoints 200] [--engine opa]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3

from smguard.loaders.audit import MAX_POOL_CONNECTIONS as MAX_WORKERS

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/sagemaker"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference:1"
ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_moto() -> tuple[subprocess.Popen, str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):
                return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise SystemExit("the moto server did not start") from None
            time.sleep(0.2)


def _populate(url: str, models: int, endpoints: int) -> None:
    sm = boto3.client(
        "sagemaker",
        region_name=REGION,
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    container = {"Image": IMAGE, "ModelDataUrl": "s3://models/model.tar.gz"}

    def model(i: int) -> None:
        sm.create_model(
            ModelName=f"model-{i:04d}", ExecutionRoleArn=ROLE, PrimaryContainer=container
        )

    def endpoint(i: int) -> None:
        variant = {"VariantName": "AllTraffic", "ModelName": f"model-{i:04d}"}
        variant |= {"InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
        sm.create_endpoint_config(
            EndpointConfigName=f"config-{i:04d}", ProductionVariants=[variant]
        )
        sm.create_endpoint(EndpointName=f"endpoint-{i:04d}", EndpointConfigName=f"config-{i:04d}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(model, range(models)))
        list(pool.map(endpoint, range(endpoints)))


def _smguard(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "smguard.cli", *args], capture_output=True, text=True, env=ENV
    )
    return time.perf_counter() - start, result


def _read_sequentially(url: str) -> float:
    """Seconds to read the account with one worker instead of the pool (in-process)."""
    from smguard.loaders import audit

    os.environ.update({k: v for k, v in ENV.items() if k.startswith("AWS_")})
    start = time.perf_counter()
    audit.load((REGION,), endpoint_url=url, workers=1)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--engine", default="opa")
    args = parser.parse_args()

    server, url = _start_moto()
    try:
        start = time.perf_counter()
        _populate(url, args.models, args.endpoints)
        print(
            f"created {args.models} models and {args.endpoints} endpoints "
            f"in {time.perf_counter() - start:.1f}s",
            file=sys.stderr,
        )
        wall, run = _smguard(
            "audit",
            "--endpoint-url",
            url,
            "--region",
            REGION,
            "--engine",
            args.engine,
            "--format",
            "json",
            "--allow-partial",
        )
        if run.returncode not in (0, 1):
            raise SystemExit(f"smguard audit failed ({run.returncode}): {run.stderr}")
        report = json.loads(run.stdout)
        with tempfile.TemporaryDirectory() as tmp:
            saved = Path(tmp) / "audit.json"
            saved.write_text(run.stdout)
            scan_wall, scan = _smguard(
                "scan", str(saved), "--engine", args.engine, "--format", "json", "--allow-partial"
            )
        same = json.loads(scan.stdout)["findings"] == report["findings"]
        sequential = _read_sequentially(url)
    finally:
        server.terminate()
        try:
            server.wait(2)
        except subprocess.TimeoutExpired:
            server.kill()

    meta = report["plan"]["smguard_audit"]
    resources = len(report["plan"]["resource_changes"])
    print(
        "| account | resources read | API calls | HTTP requests | read | audit (wall) "
        "| scan of the saved JSON | findings | same findings |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.models:,} models, {args.endpoints} endpoints (moto 5.2.5, engine {args.engine}) "
        f"| {resources:,} | {meta['api_calls_total']:,} | {meta['http_requests']:,} "
        f"| {meta['seconds']:.1f} s | {wall:.1f} s | {scan_wall:.1f} s "
        f"| {len(report['findings']):,} | {'yes' if same else 'NO'} |"
    )
    print()
    print(f"Read with one worker instead of {MAX_WORKERS}: {sequential:.1f} s")
    print()
    print("| API call | calls |")
    print("|---|---|")
    for call, count in meta["api_calls"].items():
        print(f"| {call} | {count:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
