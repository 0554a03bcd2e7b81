#!/usr/bin/env bash
# Installs everything the tests need (Python packages; Debian's Chromium and HAProxy when missing) and runs
# them all.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Debian's packages the tests drive: chromium (browser tests), haproxy (tests/e2e/test_replicas.py).
MISSING=()
if [ ! -x /usr/bin/chromium ]; then MISSING+=(chromium); fi
if ! command -v haproxy > /dev/null && [ ! -x /usr/sbin/haproxy ]; then MISSING+=(haproxy); fi
if [ ${#MISSING[@]} -gt 0 ]; then
  echo "Installing Debian's ${MISSING[*]} for the tests..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${MISSING[@]}" > /dev/null
fi

# pytest exits non-zero on any failure, and with 5 when it collected no tests: both fail this script.
python -m pytest "$@"
