#!/usr/bin/env bash
# Debian's Chromium, for the test that renders `smguard graph` in a real browser.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
	exit 0
fi
echo "install-browser: installing chromium (Debian package)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
