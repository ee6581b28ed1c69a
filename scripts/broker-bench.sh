#!/usr/bin/env bash
# Broker + client benchmark (docs/PERFORMANCE.md, "Broker and client").
#
# Builds release, starts mqnamesrv and mqbroker as processes on 127.0.0.1 with a
# fresh store in a temp directory (ASYNC_FLUSH), and runs `mqclient perf`:
#   window   per-message async sends, closed loop, --window in flight
#   batch    SEND_BATCH_MESSAGE of --batch messages, closed loop
#   rate     async sends paced at --rate msg/s (latency percentiles)
#   consume  a fresh backlog drained by a pull consumer (page-cache reads), with
#            RocketMQ's default 32 messages per pull and with --pull-batch
# Before and after each case it reads the broker's utime+stime (/proc/PID/stat)
# for CPU-seconds per 100,000 messages. Prints a table and writes
# reports/broker-bench-<time>/report.{md,json}; stops the processes by PID.
#
# Usage: scripts/broker-bench.sh [--duration 20] [--size 1024] [--window 1024]
#          [--batch 32] [--rate 20000] [--backlog 1000000] [--pull-batch 512]
#          [--cases window,batch,rate,consume] [--repeat 1] [--prefill 1000] [--profile]
#          [--interval 10] [--no-build] [--bin DIR] [--out DIR]
#   --profile   perf record -g on the broker and on the client during each case
#               (needs perf); the reports (symbols demangled) go next to report.md.
#   --repeat N  runs every case N times (A/B comparisons: alternate builds).
#   --prefill N messages sent before the first case (default 1000). 800000 fills
#               most of the first 1 GiB CommitLog segment, so a 20 s rate case
#               crosses into the next one and the broker prepares the segment
#               after it during the case (the worst case for latency).
#   --bin DIR   where the mqnamesrv, mqbroker, mqclient and mqadmin binaries are.
#   --interval S  seconds per progress line of the send cases (mqclient perf
#               --interval); report.md lists the worst interval of each case and
#               report.json keeps them all, so a tail can be placed in time.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=20 size=1024 window=1024 batch=32 rate=20000 backlog=1000000 pullbatch=512
cases=window,batch,rate,consume repeat=1 profile=0 build=1 out="" bin=.build/release prefill=1000 interval=10
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift ;;
    --size) size=$2; shift ;;
    --window) window=$2; shift ;;
    --batch) batch=$2; shift ;;
    --rate) rate=$2; shift ;;
    --backlog) backlog=$2; shift ;;
    --pull-batch) pullbatch=$2; shift ;;
    --cases) cases=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    --prefill) prefill=$2; shift ;;
    --interval) interval=$2; shift ;;
    --profile) profile=1 ;;
    --no-build) build=0 ;;
    --bin) bin=$2; shift ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  for p in mqbroker mqnamesrv mqclient mqadmin; do swift build -c release --product "$p" >&2; done
fi
stamp=$(date -u +%Y%m%d-%H%M%S)
out=${out:-reports/broker-bench-$stamp}
mkdir -p "$out"
work=$(mktemp -d /tmp/peakmq-broker-bench.XXXXXX)
ns_pid="" broker_pid=""

stop() {
  # Only the processes this script started, by PID.
  for pid in $broker_pid $ns_pid; do
    if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
  done
  for pid in $broker_pid $ns_pid; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  done
  rm -rf "$work"
}
trap stop EXIT

wait_for_line() { # file pattern -> prints the matching line
  for _ in $(seq 1 300); do
    if grep -q "$2" "$1" 2>/dev/null; then grep -m1 "$2" "$1"; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

printf 'listenPort=0\nbindAddress=127.0.0.1\n' > "$work/namesrv.conf"
"$bin/mqnamesrv" -c "$work/namesrv.conf" > "$work/namesrv.out" 2> "$work/namesrv.err" &
ns_pid=$!
ns_addr=$(wait_for_line "$work/namesrv.out" "listening on" | sed 's/.*listening on //')
cat > "$work/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-broker
listenPort=0
bindAddress=127.0.0.1
brokerIP1=127.0.0.1
namesrvAddr=$ns_addr
flushDiskType=ASYNC_FLUSH
storePathRootDir=$work/store
maxTransferCountOnMessageInMemory=$pullbatch
maxTransferBytesOnMessageInMemory=$((pullbatch * (size + 512)))
CONF
"$bin/mqbroker" -c "$work/broker.conf" > "$work/broker.out" 2> "$work/broker.err" &
broker_pid=$!
wait_for_line "$work/broker.out" "listening on" >/dev/null
hz=$(getconf CLK_TCK)

broker_cpu() { # utime + stime of the broker, in seconds
  awk -v hz="$hz" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$broker_pid/stat"
}

# Time the host ran something else on this guest's vCPUs (all CPUs, seconds):
# on a shared host it explains runs whose tail is far off the others.
steal_seconds() { awk -v hz="$hz" '/^cpu /{ print $9 / hz }' /proc/stat; }

broker_threads() { # "tid<TAB>name<TAB>seconds" per broker thread (the threads name themselves)
  for d in /proc/"$broker_pid"/task/*; do
    awk -v hz="$hz" -v tid="${d##*/}" -v name="$(cat "$d/comm" 2>/dev/null)" \
      '{ sub(/^.*\) /, ""); printf "%s\t%s\t%s\n", tid, name, ($12 + $13) / hz }' "$d/stat" 2>/dev/null || true
  done
}

# A fresh store prepares its first CommitLog segments in the background (the
# allocator populates 1 GiB each, ~2 CPU-s on this VM's cold memory): wait until
# the broker is idle (< 3 % of a core over 1 s, at most 90 s) so that cost is not
# charged to the first case, and so each case starts from the same state.
settle() {
  local a b
  for _ in $(seq 1 90); do
    a=$(broker_cpu); sleep 1; b=$(broker_cpu)
    if python3 -c "import sys; sys.exit(0 if $b - $a < 0.03 else 1)"; then return 0; fi
  done
  echo "warning: the broker did not settle" >&2
}

topic_for() { echo "Bench_$1_$2"; }
make_topic() {
  "$bin/mqadmin" updateTopic -n "$ns_addr" -c BenchCluster -t "$1" -r 8 -w 8 > /dev/null
}

# A fresh store prepares its first segment from start-up, and the first append
# asks for the next one: let both finish before measuring, so the cases see a
# running broker on a fresh store (an append that finds its segment still being
# prepared takes it cold and pays the page faults itself).
settle
make_topic Bench_warmup
"$bin/mqclient" perf produce -n "$ns_addr" -t Bench_warmup --size "$size" --count "$prefill" --window 1024 > /dev/null

results="$work/results.jsonl"
: > "$results"
run_case() { # name round args...
  local name=$1 round=$2; shift 2
  local load cpu0 cpu1 perf_pid="" json
  settle
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ "$profile" = 1 ] && [ "$name" != consume-prepare ]; then
    perf record -g -F 999 -p "$broker_pid" -o "$out/$name-$round.perf.data" 2> "$out/$name-$round.perf.log" &
    perf_pid=$!
    sleep 0.5
  fi
  broker_threads > "$work/threads0"
  cpu0=$(broker_cpu)
  steal0=$(steal_seconds)
  if [ -n "$perf_pid" ]; then
    json=$(perf record -g -F 999 -o "$out/$name-$round.client.perf.data" -- "$bin/mqclient" perf "$@" --json 2> "$out/$name-$round.client.perf.log")
    perf report -i "$out/$name-$round.client.perf.data" --no-children --sort symbol --stdio 2>/dev/null \
      | swift demangle --simplified > "$out/$name-$round.client.perf.txt" || true
  else
    json=$(${CLIENT_WRAP:-} "$bin/mqclient" perf "$@" --json)
  fi
  cpu1=$(broker_cpu)
  steal1=$(steal_seconds)
  broker_threads > "$work/threads1"
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" || true
    perf report -i "$out/$name-$round.perf.data" --no-children --sort symbol --stdio 2>/dev/null \
      | swift demangle --simplified > "$out/$name-$round.perf.txt" || true
  fi
  python3 - "$name" "$round" "$cpu0" "$cpu1" "$load" "$json" "$work/threads0" "$work/threads1" "$steal0" "$steal1" >> "$results" <<'PY'
import json, sys
name, rnd, c0, c1, load, text, t0, t1, s0, s1 = sys.argv[1:11]
r = json.loads(text)
cpu = float(c1) - float(c0)
def threads(path):
    out = {}
    for line in open(path):
        tid, comm, secs = line.rstrip("\n").split("\t")
        out[tid] = (comm, float(secs))
    return out
def group(comm):
    if comm.startswith("NIO-ELT"): return "eventLoops"
    if comm.startswith("SendMessageThr"): return "sendThreads"
    if comm == "Dispatcher": return "dispatcher"
    if comm.startswith(("SegmentAllocato", "WriteAheadPref")): return "segmentPreparation"
    if comm.startswith(("Flush", "GroupCommit")): return "flush"
    return "other"
before, after = threads(t0), threads(t1)
groups = {}
for tid, (comm, secs) in after.items():
    d = secs - before.get(tid, (comm, 0.0))[1]
    groups[group(comm)] = round(groups.get(group(comm), 0.0) + d, 3)
r["brokerThreadCPUSeconds"] = groups
prep = groups.get("segmentPreparation", 0.0)
r["brokerCPUSecondsPer100kWithoutSegmentPreparation"] = round((cpu - prep) / r["messages"] * 1e5, 4) if r["messages"] else None
r.update(case=name, round=int(rnd), brokerCPUSeconds=round(cpu, 3), loadAverage=load,
         stealSeconds=round(float(s1) - float(s0), 2),
         brokerCPUSecondsPer100k=round(cpu / r["messages"] * 1e5, 4) if r["messages"] else None,
         clientCPUSecondsPer100k=round(r["clientCPUSeconds"] / r["messages"] * 1e5, 4) if r["messages"] else None,
         brokerCores=round(cpu / r["seconds"], 3) if r["seconds"] else None)
print(json.dumps(r, sort_keys=True))
PY
  tail -1 "$results" | python3 -c 'import json, sys; r = json.load(sys.stdin); print("%s #%s: %s msg/s, broker %s CPU-s/100k, load %s" % (r["case"], r["round"], format(round(r["messagesPerSecond"]), ","), r["brokerCPUSecondsPer100k"], r["loadAverage"]))' >&2
}

common=(-n "$ns_addr" --size "$size" --interval "${interval}s")
for round in $(seq 1 "$repeat"); do
  for c in ${cases//,/ }; do
    t=$(topic_for "$c" "$round")
    case "$c" in
      window) make_topic "$t"; run_case window "$round" produce -t "$t" "${common[@]}" --window "$window" --duration "${duration}s" ;;
      batch) make_topic "$t"; run_case batch "$round" produce -t "$t" "${common[@]}" --batch "$batch" --window $((window * 2)) --duration "${duration}s" ;;
      rate) make_topic "$t"; run_case rate "$round" produce -t "$t" "${common[@]}" --rate "$rate" --window "$window" --duration "${duration}s" ;;
      consume)
        make_topic "$t"
        run_case consume-prepare "$round" produce -t "$t" "${common[@]}" --batch "$batch" --window $((window * 2)) --count "$backlog" --duration 120s
        run_case consume-32 "$round" consume -n "$ns_addr" -t "$t" -g "bench_cg32_$round" --pull-batch 32
        run_case "consume-$pullbatch" "$round" consume -n "$ns_addr" -t "$t" -g "bench_cg_$round" --pull-batch "$pullbatch" ;;
      *) echo "unknown case $c" >&2; exit 2 ;;
    esac
  done
done

python3 - "$results" "$out" "$stamp" "$duration" "$size" <<'PY'
import json, os, platform, sys
path, out, stamp, duration, size = sys.argv[1:6]
rows = [json.loads(l) for l in open(path) if l.strip()]
env = {"time": stamp, "kernel": platform.release(), "cpus": os.cpu_count(),
       "durationSeconds": float(duration), "bodySize": int(size),
       "loadAverageAtEnd": open("/proc/loadavg").read().split()[:3]}
json.dump({"environment": env, "cases": rows}, open(f"{out}/report.json", "w"), indent=2, sort_keys=True)
def f(v, fmt): return "" if v is None else format(v, fmt)
lines = ["# Broker + client benchmark", "",
         f"{stamp} UTC, {env['cpus']} CPUs, kernel {env['kernel']}; mqbroker + mqnamesrv + mqclient (release) on 127.0.0.1, "
         f"ASYNC_FLUSH, fresh store, {size} B bodies.", "",
         "| case | # | msg/s | MB/s | p50 ms | p99 ms | p99.9 ms | broker CPU-s / 100k | (without segment prep.) | broker cores | client CPU-s / 100k | load avg | steal s |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]
for r in rows:
    lat = r.get("latencyMs") or {}
    lines.append(f"| {r['case']} | {r['round']} | {r['messagesPerSecond']:,.0f} | {r['megabytesPerSecond']:.1f} | "
                 f"{f(lat.get('p50'), '.3f')} | {f(lat.get('p99'), '.3f')} | {f(lat.get('p999'), '.3f')} | "
                 f"{f(r.get('brokerCPUSecondsPer100k'), '.3f')} | {f(r.get('brokerCPUSecondsPer100kWithoutSegmentPreparation'), '.3f')} | "
                 f"{f(r.get('brokerCores'), '.2f')} | "
                 f"{f(r.get('clientCPUSecondsPer100k'), '.3f')} | {r['loadAverage']} | {f(r.get('stealSeconds'), '.2f')} |")
names = ["eventLoops", "sendThreads", "dispatcher", "segmentPreparation", "flush", "other"]
lines += ["", "Broker CPU by thread, seconds per 100,000 messages:", "",
          "| case | # | " + " | ".join(names) + " |", "|---|---:|" + "---:|" * len(names)]
for r in rows:
    g = r.get("brokerThreadCPUSeconds", {})
    lines.append(f"| {r['case']} | {r['round']} | " + " | ".join(
        f(g.get(n, 0.0) / r["messages"] * 1e5 if r["messages"] else None, ".3f") for n in names) + " |")
timed = [r for r in rows if r.get("intervals")]
if timed:
    lines += ["", "Send latency per interval (report.json has every interval):", "",
              "| case | # | intervals | with p99 > 1 ms | worst p99 ms | at s | its max ms | its steal s |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in timed:
        iv = [i for i in r["intervals"] if i.get("latencyMs")]
        if not iv: continue
        worst = max(iv, key=lambda i: i["latencyMs"]["p99"])
        lines.append(f"| {r['case']} | {r['round']} | {len(iv)} | {sum(1 for i in iv if i['latencyMs']['p99'] > 1)} | "
                     f"{worst['latencyMs']['p99']:.3f} | {worst['endSecond']:.1f} | {worst['latencyMs']['max']:.3f} | "
                     f"{f(worst.get('stealSeconds'), '.2f')} |")
errors = [(r["case"], e, n) for r in rows for e, n in r.get("errors", {}).items()]
if errors:
    lines += ["", "Errors:"] + [f"- {c}: {n} × {e}" for c, e, n in errors]
text = "\n".join(lines) + "\n"
open(f"{out}/report.md", "w").write(text)
print(text)
PY
echo "report: $out/report.md, $out/report.json" >&2
