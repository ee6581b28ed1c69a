import Foundation

extension Profile {
    /// One line for listings: shape of the load, duration, and the description.
    public var summaryLine: String {
        let load: String
        if producers.closedLoop {
            load = "closed loop, \(producers.count) producers × window \(producers.window)"
        } else {
            let peak = producers.schedule.map(\.peakRate).max() ?? 0
            let first = producers.schedule.first.map { $0.rate(at: 0) } ?? 0
            load = producers.schedule.count == 1 && peak == first
                ? "\(Self.rate(peak)) msg/s" : "\(Self.rate(first))→\(Self.rate(peak)) msg/s peak"
        }
        let size = message.sizes.count == 1 ? Self.bytes(message.sizes[0].bytes) : "~\(Self.bytes(Int(message.meanSize)))"
        return "\(load), \(size), \(Self.seconds(warmup + duration)), \(consumers.count) consumer group\(consumers.count == 1 ? "" : "s")"
    }

    static func rate(_ r: Double) -> String { r >= 1000 && r.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(r / 1000))k" : String(Int(r)) }
    static func bytes(_ b: Int) -> String { b % 1024 == 0 ? "\(b / 1024) KiB" : "\(b) B" }
    static func seconds(_ s: Double) -> String { s >= 60 && s.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(s / 60)) min" : "\(Int(s)) s" }

    /// Where shipped profiles live: `dir` if given, else `./profiles`, else
    /// next to the package the executable was built from (`.build/<config>/mqbench`).
    public static func profilesDirectory(_ dir: String?, executable: String = CommandLine.arguments[0]) -> String? {
        if let dir { return dir }
        let fm = FileManager.default
        if fm.fileExists(atPath: "profiles") { return "profiles" }
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            url = url.deletingLastPathComponent()
            let candidate = url.appendingPathComponent("profiles").path
            if fm.fileExists(atPath: candidate) { return candidate }
        }
        return nil
    }
}

extension Profile {
    /// A rate as profiles write it (`20000`, `20k`, `1.5M`), for command-line options; nil if malformed.
    public static func parseRate(_ text: String) -> Double? {
        guard !text.hasSuffix("%"), let x = YAMLFields.parseNumber(text.trimmingCharacters(in: .whitespaces)), x.isFinite else { return nil }
        return x
    }
}
