#!/usr/bin/env python3
"""Summarises a `perf record -g` profile for docs/PERFORMANCE.md.

Usage: perf script -i FILE.perf.data | swift demangle --simplified | scripts/profile-summary.py [--top N] [--match TEXT ...]

Prints the share of samples per thread (the broker names its threads: NIO-ELT-*,
SendMessageThr1, Dispatcher, SegmentAllocato, Flush*), the functions with the
largest inclusive share (a function counts once per sample, wherever it is on
the stack), the largest self shares, and, for each --match, what it calls.
"""
import collections, re, sys

def stacks(lines):
    comm, frames = None, []
    for line in lines:
        if not line.strip():
            if comm is not None: yield comm, frames
            comm, frames = None, []
        elif line[0] in " \t":
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                sym = re.sub(r"\+0x[0-9a-f]+ \(.*\)$", "", parts[1])
                frames.append(re.sub(r" \(.*\)$", "", sym).strip())
        else:
            comm, frames = line.split()[0], []
    if comm is not None: yield comm, frames

def group(comm):
    for prefix, name in (("NIO-ELT", "event loops"), ("SendMessageThr", "send threads"), ("Dispatcher", "dispatcher"),
                         ("SegmentAllocato", "segment preparation"), ("Flush", "flush"), ("GroupCommit", "flush")):
        if comm.startswith(prefix): return name
    return comm

def main():
    args = sys.argv[1:]
    top = 25
    matches = []
    while args:
        a = args.pop(0)
        if a == "--top": top = int(args.pop(0))
        elif a == "--match": matches.append(args.pop(0))
        else: sys.exit(__doc__)
    threads, inclusive, selfs = collections.Counter(), collections.Counter(), collections.Counter()
    callees = {m: collections.Counter() for m in matches}
    total = 0
    for comm, frames in stacks(sys.stdin):
        if not frames: continue
        total += 1
        threads[group(comm)] += 1
        selfs[frames[0]] += 1
        for f in set(frames): inclusive[f] += 1
        for m in matches:
            idx = [i for i, f in enumerate(frames) if m in f]
            if idx:
                i = max(idx)
                callees[m][frames[i - 1] if i > 0 else "(self)"] += 1
    if not total: sys.exit("no samples")
    pct = lambda n: f"{100 * n / total:5.1f} %"
    print(f"{total} samples\n\nby thread:")
    for k, n in threads.most_common(): print(f"  {pct(n)}  {k}")
    print("\ninclusive (on the stack):")
    skip = ("start_thread", "NSThreadStart", "Thread.main", "thunk for", "ThreadOpsPosix", "setupThreadAndEventLoop",
            "_dispatch_worker_thread", "entry_SYSCALL", "do_syscall_64")
    shown = 0
    for f, n in inclusive.most_common():
        if any(s in f for s in skip): continue
        print(f"  {pct(n)}  {f[:140]}")
        shown += 1
        if shown >= top: break
    print("\nself:")
    for f, n in selfs.most_common(top): print(f"  {pct(n)}  {f[:140]}")
    for m in matches:
        print(f"\n{m} calls:")
        for f, n in callees[m].most_common(12): print(f"  {pct(n)}  {f[:140]}")

main()
