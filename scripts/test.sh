#!/usr/bin/env bash
# The test command: set-up, build, and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh sysstat strace
swift build --build-tests
swift test --skip-build "$@"
