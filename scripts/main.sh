#!/usr/bin/env bash
# The main job: set-up, a release build, and the store pressure benchmark
# (until the load generator lands, see README). Results: reports/store-bench-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product mqstore
out="reports/store-bench-$(date +%Y%m%d-%H%M%S)"
.build/release/mqstore bench --out "$out" "$@"
echo "results: $out/report.md and $out/report.json"
