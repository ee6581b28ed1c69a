#!/usr/bin/env bash
# The main job: set-up, a release build, a pressure test of the embedded broker at
# four rates of the promotion workload (2k, 5k, 10k, 20k msg/s of 1 KiB order events,
# four consumer groups, verification on), then a sizing plan for the 2,000 TPS
# evening peak and the 20,000 TPS promotion peak from those measurements.
#
#   scripts/main.sh                 # about 8 minutes
#   scripts/main.sh --step 30s      # shorter steps
#   scripts/main.sh --quick         # 10 s steps at 2k and 20k only (minutes; a smoke of the pipeline)
#
# Results: reports/main-<time>/ with runs/<rate>/{results.json,report.*} and plan/report.{md,json,html}.
set -euo pipefail
cd "$(dirname "$0")/.."

step=60s
warmup=10s
rates=(2000 5000 10000 20000)
while [ $# -gt 0 ]; do
  case "$1" in
    --step) step="$2"; shift 2 ;;
    --quick) step=10s; warmup=3s; rates=(2000 20000); shift ;;
    *) echo "usage: scripts/main.sh [--step DURATION] [--quick]" >&2; exit 64 ;;
  esac
done

scripts/setup.sh
swift build -c release
bin="$(swift build -c release --show-bin-path)"
out="reports/main-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/runs"

"$bin/mqbench" doctor --json >"$out/doctor.json" || true

failed_slo=()
for rate in "${rates[@]}"; do
  echo "== step: $rate msg/s for $step (warm-up $warmup)" >&2
  status=0
  "$bin/mqbench" run profiles/promotion-20000tps.yaml --rate "$rate" --duration "$step" --warmup "$warmup" \
    --out "$out/runs/$rate" || status=$?
  # 0: every SLO and verification passed; 1: a threshold failed (a measurement, kept for
  # the planner); anything else: the run itself broke.
  case "$status" in
    0) ;;
    1) failed_slo+=("$rate") ;;
    *) echo "main: the $rate msg/s step failed (exit $status); see $out/runs/$rate" >&2; exit "$status" ;;
  esac
  lost=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["lost"])' "$out/runs/$rate/results.json")
  if [ "$lost" != "0" ]; then
    echo "main: $lost acknowledged messages were lost at $rate msg/s; see $out/runs/$rate/results.json" >&2
    exit 1
  fi
done

echo "== plan: normal=2000, promotion=20000" >&2
"$bin/mqbench" plan --from "$out"/runs/* --target normal=2000 --target promotion=20000 --out "$out/plan"

echo
echo "runs:  $out/runs/<rate>/results.json (report.md, report.html)"
echo "plan:  $out/plan/report.md, report.json, report.html"
if [ ${#failed_slo[@]} -gt 0 ]; then
  echo "SLO not met at: ${failed_slo[*]} msg/s (each run's report says which threshold)"
fi
