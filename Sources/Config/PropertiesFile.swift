import Foundation

/// A Java-style `.properties` file as RocketMQ's broker.conf and namesrv.conf use it:
/// `key=value` (or `key: value`), `#`/`!` comments, surrounding blanks ignored.
/// A key set twice is an error (Java would silently keep the last one, which
/// hides typos in long files).
public struct PropertiesFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: String
        public var line: Int

        public init(key: String, value: String, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }
    public var entries: [Entry]
    public var path: String

    public init(text: String, path: String = "<text>") throws(ConfigError) {
        self.path = path
        entries = []
        var seen: [String: Int] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("!") { continue }
            guard let sep = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigError(key: String(line), reason: "\(path):\(i + 1): expected key=value")
            }
            let key = String(line[..<sep]).trimmingCharacters(in: " \t")
            let value = String(line[line.index(after: sep)...]).trimmingCharacters(in: " \t")
            guard !key.isEmpty else {
                throw ConfigError(key: "", reason: "\(path):\(i + 1): empty key")
            }
            if let first = seen[key] {
                throw ConfigError(key: key, reason: "\(path):\(i + 1): set twice (first on line \(first))")
            }
            seen[key] = i + 1
            entries.append(Entry(key: key, value: value, line: i + 1))
        }
    }

    public init(contentsOf path: String) throws(ConfigError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(key: "-c", reason: "cannot read \(path): \(error.localizedDescription)")
        }
        try self.init(text: text, path: path)
    }
}

/// A configuration that cannot be used: which key, and why (file and line when known).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var key: String
    public var reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String { "invalid value for \(key): \(reason)" }
}

extension StringProtocol {
    /// `self` without leading and trailing characters from `set`.
    public func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
