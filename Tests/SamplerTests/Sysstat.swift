import Foundation

/// Runs sysstat's tools and parses their reports.
enum Sysstat {
    static let tools = ["sar", "iostat", "pidstat"]

    static func locate(_ tool: String) -> String? {
        ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"].map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Paths of sar/iostat/pidstat, installing the Debian package when possible.
    /// Returns a clear reason when they are not available.
    static func ensureInstalled() -> Result<[String: String], SysstatMissing> {
        func found() -> [String: String]? {
            var paths: [String: String] = [:]
            for t in tools { guard let p = locate(t) else { return nil }; paths[t] = p }
            return paths
        }
        if let paths = found() { return .success(paths) }
        if getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get") {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/apt-get")
            p.arguments = ["install", "-y", "-qq", "sysstat"]
            p.environment = ["DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try? p.run()
            p.waitUntilExit()
            if let paths = found() { return .success(paths) }
        }
        return .failure(SysstatMissing())
    }

    struct SysstatMissing: Error, CustomStringConvertible {
        var description: String {
            "sysstat (sar, iostat, pidstat) is not installed and could not be installed; run `apt-get install sysstat` (Debian package sysstat) to enable the accuracy test"
        }
    }

    /// Starts a tool in the C locale ('.' decimals, fixed column names).
    static func start(_ path: String, _ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(path, arguments, environment: ["LC_ALL": "C", "S_TIME_FORMAT": "ISO", "PATH": "/usr/bin:/bin"])
    }

    /// Rows of a whitespace table whose header line contains `headerMarker`,
    /// keyed by column name; only lines that start with `prefix` (e.g. "Average:").
    static func table(_ text: String, headerMarker: String, prefix: String) -> [[String: String]] {
        var header: [String]?
        var rows: [[String: String]] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix(prefix) else { header = nil; continue }
            let cols = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if cols.contains(headerMarker) {
                header = cols
            } else if let h = header, cols.count == h.count {
                rows.append(Dictionary(uniqueKeysWithValues: zip(h, cols)))
            }
        }
        return rows
    }

    /// pidstat -h: one `#` header line, then one line per process.
    static func pidstatRows(_ text: String) -> [String: [String: String]] {
        var header: [String]?
        var rows: [String: [String: String]] = [:]
        for line in text.split(separator: "\n") {
            let cols = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if cols.first == "#" { header = Array(cols.dropFirst()); continue }
            if let h = header, cols.count == h.count {
                let row = Dictionary(uniqueKeysWithValues: zip(h, cols))
                if let pid = row["PID"] { rows[pid] = row }
            }
        }
        return rows
    }

    /// iostat -o JSON: the statistics of `device`.
    static func iostatDevice(_ text: String, _ device: String) -> [String: Double]? {
        guard let start = text.firstIndex(of: "{"),
              let root = try? JSONSerialization.jsonObject(with: Data(text[start...].utf8)) as? [String: Any],
              let hosts = (root["sysstat"] as? [String: Any])?["hosts"] as? [[String: Any]],
              let stats = hosts.first?["statistics"] as? [[String: Any]],
              let disks = stats.last?["disk"] as? [[String: Any]],
              let disk = disks.first(where: { $0["disk_device"] as? String == device })
        else { return nil }
        var values: [String: Double] = [:]
        for (k, v) in disk { if let d = (v as? NSNumber)?.doubleValue { values[k] = d } }
        return values
    }
}
