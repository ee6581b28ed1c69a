import Foundation

extension RunResults {
    /// Combines the results of `mqbench run --agent I/N` on several machines (or
    /// already merged results) into the results of the whole run: histograms
    /// added (not averaged), counters summed, rates summed over agents, interval
    /// series aligned by wall-clock interval, verification re-evaluated on the
    /// union of the ranges, SLOs re-evaluated.
    ///
    /// Throws when the inputs do not belong to one run: different profiles, a
    /// different agent count, an agent given twice or missing.
    public static func merge(_ parts: [RunResults]) throws(MergeError) -> RunResults {
        guard let first = parts.first else { throw MergeError("nothing to merge") }
        try checkSameRun(parts)
        guard parts.count > 1 else { return first }
        let ordered = parts.sorted { ($0.agents.map(\.index).min() ?? 0) < ($1.agents.map(\.index).min() ?? 0) }
        var merged = ordered[0]
        merged.createdAt = Date().timeIntervalSince1970
        merged.agents = ordered.flatMap(\.agents).sorted { $0.index < $1.index }
        merged.groups = try mergedGroups(ordered)
        merged.window = MeasurementWindow(
            startWall: ordered.map(\.window.startWall).min()!, endWall: ordered.map(\.window.endWall).max()!,
            seconds: ordered.map(\.window.seconds).max()!, warmupSeconds: ordered.map(\.window.warmupSeconds).max()!)
        merged.totals = RunTotals()
        merged.histograms = RunHistograms()
        for p in ordered {
            merged.totals.add(p.totals)
            merged.histograms.add(p.histograms)
        }
        merged.intervals = mergeIntervals(ordered, groups: merged.groups, intervalSeconds: first.profile.sampleInterval)
        merged.resources = ordered.flatMap(\.resources)
        merged.faults = ordered.flatMap(\.faults).sorted { $0.wallTime < $1.wallTime }
        let reports = ordered.compactMap(\.verification)
        merged.verification = reports.isEmpty ? nil : try VerificationReport.merge(reports)
        merged.generator = GeneratorCost.combine(merged.agents.compactMap(\.generator))
        var warnings: [String] = []
        for w in ordered.flatMap(\.warnings) where !warnings.contains(w) { warnings.append(w) }
        merged.warnings = warnings
        merged.evaluate()
        return merged
    }

    private static func label(_ r: RunResults) -> String {
        r.agents.map { "agent \($0.index)/\($0.count) on \($0.hostname)" }.joined(separator: " + ")
    }

    private static func checkSameRun(_ parts: [RunResults]) throws(MergeError) {
        let first = parts[0]
        for p in parts.dropFirst() where p.profile != first.profile {
            throw MergeError("\(label(p)) ran a different profile than \(label(first)): \(profileDifference(first, p))")
        }
        let counts = Set(parts.flatMap(\.agents).map(\.count))
        guard counts.count == 1, let n = counts.first else {
            throw MergeError("the results disagree on the number of agents: \(counts.sorted().map(String.init).joined(separator: ", "))")
        }
        var seen: [Int: String] = [:]
        for p in parts {
            for a in p.agents {
                guard (1...n).contains(a.index) else { throw MergeError("agent index \(a.index) is outside 1...\(n)") }
                if let other = seen[a.index] {
                    throw MergeError("agent \(a.index)/\(n) appears twice (on \(other) and on \(a.hostname))")
                }
                seen[a.index] = a.hostname
            }
        }
        let missing = (1...n).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw MergeError("results of agent\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(n)" }.joined(separator: ", ")) missing")
        }
    }

    /// The first top-level profile field that differs, with both values.
    private static func profileDifference(_ a: RunResults, _ b: RunResults) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func fields(_ r: RunResults) -> [String: String] {
            guard let data = try? encoder.encode(r.profile),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            var out: [String: String] = [:]
            for (k, v) in object {
                let json = (try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
                out[k] = String(decoding: json, as: UTF8.self)
            }
            return out
        }
        let fa = fields(a), fb = fields(b)
        for key in Set(fa.keys).union(fb.keys).sorted() where fa[key] != fb[key] {
            return "\(key) is \(fa[key] ?? "absent") vs \(fb[key] ?? "absent")"
        }
        return "(the difference is not in a top-level field)"
    }

    private static func mergedGroups(_ parts: [RunResults]) throws(MergeError) -> [GroupSpec] {
        var groups: [GroupSpec] = []
        for g in parts.flatMap(\.groups) {
            if let existing = groups.first(where: { $0.name == g.name }) {
                guard existing == g else { throw MergeError("group \(g.name) differs between results") }
            } else {
                groups.append(g)
            }
        }
        return groups
    }

    /// Aligns the agents' series on wall-clock slots of `intervalSeconds` from the
    /// earliest interval start, and sums each slot. An agent with no interval in a
    /// slot (it started late or stopped early) still contributes its cumulative
    /// counters as they last stood, so backlog stays right.
    static func mergeIntervals(_ parts: [RunResults], groups: [GroupSpec], intervalSeconds: Double) -> [IntervalStats] {
        let all = parts.flatMap(\.intervals)
        guard let t0 = all.map(\.startWall).min() else { return [] }
        let step = intervalSeconds > 0 ? intervalSeconds : 1
        func slot(_ s: IntervalStats) -> Int { Int(((s.startWall - t0) / step).rounded()) }
        let bySlot = parts.map { p in Dictionary(p.intervals.map { (slot($0), $0) }, uniquingKeysWith: { a, b in a.index <= b.index ? a : b }) }
        let slots = Set(all.map(slot)).sorted()
        var last = Array(repeating: CumulativeCounters(), count: parts.count)
        var result: [IntervalStats] = []
        for s in slots {
            let present = bySlot.compactMap { $0[s] }
            var sent = 0, bytes = 0, errors = 0
            var received: [String: Int] = [:]
            var histograms = IntervalHistograms()
            for i in present {
                sent += i.sent; bytes += i.sentBytes; errors += i.errors
                received.merge(i.received, uniquingKeysWith: +)
                histograms.add(i.histograms)
            }
            var cumulative = CumulativeCounters()
            for (p, slots) in bySlot.enumerated() {
                if let i = slots[s] { last[p] = i.cumulative }
                cumulative.add(last[p])
            }
            let phases = Set(present.map(\.phase))
            let phase: IntervalPhase = phases.count == 1 ? phases.first! : (phases.contains(.warmup) ? .warmup : .drain)
            result.append(IntervalStats(
                index: result.count + 1, phase: phase, startWall: present.map(\.startWall).min()!, endWall: present.map(\.endWall).max()!,
                seconds: present.map(\.seconds).max()!, sent: sent, sentBytes: bytes, errors: errors, received: received,
                histograms: histograms, cumulative: cumulative, groups: groups))
        }
        return result
    }
}
