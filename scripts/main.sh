#!/usr/bin/env bash
# The main job: set-up, a release build, the host checklist, a sweep of the promotion
# workload on the embedded broker (1 KiB order events, four consumer groups, verification
# on) from a closed-loop estimate up to the knee, then a sizing plan for the 2,000 TPS
# evening peak and the 20,000 TPS promotion peak from the sweep's steps.
#
#   scripts/main.sh                 # 60 s steps, at most 8: about 15 minutes
#   scripts/main.sh --step 30s      # shorter steps
#   scripts/main.sh --quick         # 10 s steps, at most 4 (a few minutes; a smoke of the pipeline)
#
# Results: reports/main-<time>/ with doctor.json, sweep/ (estimate/, steps/<n>-<rate>/results.json,
# sweep.json, report.{md,html,json}) and plan/report.{md,json,html}.
set -euo pipefail
cd "$(dirname "$0")/.."

step=60s
warmup=10s
estimate=20s
steps=8
while [ $# -gt 0 ]; do
  case "$1" in
    --step) step="$2"; shift 2 ;;
    --quick) step=10s; warmup=3s; estimate=10s; steps=4; shift ;;
    *) echo "usage: scripts/main.sh [--step DURATION] [--quick]" >&2; exit 64 ;;
  esac
done

scripts/setup.sh
swift build -c release
bin="$(swift build -c release --show-bin-path)"
out="reports/main-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

"$bin/mqbench" doctor --json >"$out/doctor.json" || true

echo "== sweep: promotion-20000tps, steps of $step (warm-up $warmup), at most $steps" >&2
status=0
"$bin/mqbench" sweep profiles/promotion-20000tps.yaml --step "$step" --warmup "$warmup" \
  --estimate-duration "$estimate" --max-steps "$steps" --out "$out/sweep" || status=$?
# 0: a sustainable maximum was found; 1: no step held within the SLO (still measurements
# for the planner); 2: a step lost acknowledged messages; anything else: the sweep broke.
case "$status" in
  0|1) ;;
  2) echo "main: acknowledged messages were lost; see $out/sweep/steps/*/results.json" >&2; exit 1 ;;
  *) echo "main: the sweep failed (exit $status); see $out/sweep" >&2; exit "$status" ;;
esac

echo "== plan: normal=2000, promotion=20000" >&2
"$bin/mqbench" plan --from "$out"/sweep/steps/* --target normal=2000 --target promotion=20000 --out "$out/plan"

echo
echo "sweep: $out/sweep/report.md, report.html (steps in $out/sweep/steps/)"
echo "plan:  $out/plan/report.md, report.json, report.html"
