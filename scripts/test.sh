#!/usr/bin/env bash
# The test command: set-up, build, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# chromium: the report test renders report.html in a real (headless) browser.
scripts/setup.sh sysstat strace chromium
swift build --build-tests
# Serially: suites start brokers, burn CPU on purpose and compare /proc against
# sysstat; on 2 cores, running them on top of each other starves request timeouts.
swift test --skip-build --no-parallel "$@"
# The official RocketMQ C++ client against mqnamesrv + mqbroker (docs/COMPAT.md).
scripts/compat.sh
