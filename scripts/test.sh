#!/usr/bin/env bash
# The test command: set-up, build, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the report test renders report.html in a real (headless) browser.
scripts/setup.sh sysstat strace chromium
swift build --build-tests
# Serially: suites start brokers, burn CPU on purpose and compare /proc against
# sysstat; on 2 cores, running them on top of each other starves request timeouts.
log=$(mktemp)
if ! swift test --skip-build --no-parallel "$@" 2>&1 | tee "$log"; then
    # CI shows only the end of the output: repeat what failed there.
    echo "== failed tests and their issues =="
    grep -A4 '✘' "$log" | head -100
    rm -f "$log"
    exit 1
fi
rm -f "$log"
# The official RocketMQ C++ client against mqnamesrv + mqbroker (docs/COMPAT.md).
scripts/compat.sh
