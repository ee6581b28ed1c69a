import Foundation

/// The store benchmark's results, as JSON for machines and Markdown for people,
/// with the issue's targets checked.
struct StoreBenchReport: Codable {
    struct Target: Codable {
        var name: String
        var required: String
        var measured: String
        var met: Bool
    }
    var schema = "peakmq.store-bench/1"
    var date = ISO8601DateFormatter().string(from: Date())
    var host: [String: String] = HostFacts.collect()
    var command: String
    var results: [StoreWorkloads.Result]
    var targets: [Target] = []

    init(results: [StoreWorkloads.Result], command: String) {
        self.results = results
        self.command = command
        targets = evaluate()
    }

    func find(_ name: String, _ body: Int, _ writers: Int, warm: Bool? = nil) -> StoreWorkloads.Result? {
        results.first { r in
            r.name == name && r.bodyBytes == body && r.writers == writers
                && (warm == nil || r.notes.hasPrefix(warm! ? "warm: segment" : "cold"))
        }
    }

    /// The raw baseline reported just before a given append case (same bytes, same rounds).
    func baseline(before r: StoreWorkloads.Result) -> StoreWorkloads.Result? {
        guard let i = results.firstIndex(where: { $0.name == r.name && $0.bodyBytes == r.bodyBytes && $0.writers == r.writers && $0.notes == r.notes }),
              i > 0, results[i - 1].name == "raw-write" else { return nil }
        return results[i - 1]
    }

    func evaluate() -> [Target] {
        var t: [Target] = []
        for warm in [true, false] {
            if let a = find("append-async", 1024, 1, warm: warm), let b = baseline(before: a) {
                let ratio = a.megabytesPerSecond / b.megabytesPerSecond
                t.append(Target(name: "1 KiB append vs raw write() (\(warm ? "warm" : "cold"))", required: "≥ 80 %",
                                measured: String(format: "%.0f %% (%.0f vs %.0f MB/s)", ratio * 100, a.megabytesPerSecond, b.megabytesPerSecond),
                                met: ratio >= 0.8))
            }
        }
        if let a = find("append-async", 128, 1, warm: true) {
            t.append(Target(name: "128 B appends, one writer", required: "≥ 1,000,000 /s",
                            measured: String(format: "%.0f /s", a.messagesPerSecond), met: a.messagesPerSecond >= 1_000_000))
        }
        if let s = find("append-sync", 1024, 256) {
            t.append(Target(name: "SYNC_FLUSH, 256 writers", required: "≥ 50,000 /s",
                            measured: String(format: "%.0f /s", s.messagesPerSecond), met: s.messagesPerSecond >= 50_000))
        }
        return t
    }

    var markdown: String {
        var md = "# Store benchmark\n\n"
        md += "- date: \(date)\n- command: `\(command)`\n"
        for (k, v) in host.sorted(by: { $0.key < $1.key }) { md += "- \(k): \(v)\n" }
        md += "\nAsync cases: median of the rounds (each round: raw baseline, then the append, same bytes).\n"
        md += "\n| case | body B | writers | msg/s | MB/s | rounds MB/s | notes |\n|---|---:|---:|---:|---:|---|---|\n"
        for r in results {
            let rounds = r.roundsMegabytesPerSecond.map { $0.map { String(format: "%.0f", $0) }.joined(separator: " / ") } ?? ""
            md += String(format: "| %@ | %d | %d | %.0f | %.1f | %@ | %@ |\n", r.name, r.bodyBytes, r.writers,
                         r.messagesPerSecond, r.megabytesPerSecond, rounds, r.notes)
        }
        md += "\n| target | required | measured | met |\n|---|---|---|---|\n"
        for x in targets { md += "| \(x.name) | \(x.required) | \(x.measured) | \(x.met ? "yes" : "**no**") |\n" }
        return md
    }

    func write(to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try enc.encode(self).write(to: URL(fileURLWithPath: dir + "/report.json"))
        try markdown.write(toFile: dir + "/report.md", atomically: true, encoding: .utf8)
    }
}

/// Facts about the machine a figure was measured on.
enum HostFacts {
    static func collect() -> [String: String] {
        var h: [String: String] = [:]
        h["cores"] = String(ProcessInfo.processInfo.activeProcessorCount)
        h["memoryGiB"] = String(format: "%.1f", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824)
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") }) {
            h["cpu"] = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var u = utsname()
        uname(&u)
        h["kernel"] = withUnsafeBytes(of: u.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return h
    }
}
