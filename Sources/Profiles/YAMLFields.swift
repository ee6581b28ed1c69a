import Sampler
import Yams

/// Typed, line-aware reading of one YAML mapping: every unknown key, wrong
/// type or impossible value becomes a `ProfileError` naming the file, the line
/// and, for typos, the key or value that was probably meant.
struct YAMLFields {
    let file: String
    let path: String
    let node: Node
    let mapping: Node.Mapping

    init(_ node: Node, file: String, path: String) throws(ProfileError) {
        guard let m = node.mapping else {
            throw ProfileError(file: file, line: node.mark?.line, column: node.mark?.column,
                               message: "\(path.isEmpty ? "the profile" : path) must be a mapping of keys to values", suggestion: nil)
        }
        self.file = file
        self.path = path
        self.node = node
        self.mapping = m
    }

    func error(_ at: Node?, _ message: String, _ suggestion: String? = nil) -> ProfileError {
        ProfileError(file: file, line: (at ?? node).mark?.line, column: (at ?? node).mark?.column, message: message, suggestion: suggestion)
    }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Rejects keys outside `allowed`, suggesting the nearest one.
    func onlyKeys(_ allowed: [String]) throws(ProfileError) {
        for (k, _) in mapping {
            let key = k.string ?? "?"
            if !allowed.contains(key) {
                let hint = closest(key, in: allowed).map { "did you mean '\($0)'?" } ?? "known keys: \(allowed.joined(separator: ", "))"
                throw error(k, "unknown key '\(qualified(key))'", hint)
            }
        }
    }

    func value(_ key: String) -> Node? { mapping[Node(key)] }

    func string(_ key: String, default d: String) throws(ProfileError) -> String {
        guard let v = value(key) else { return d }
        guard let s = v.scalar?.string, !s.isEmpty else { throw error(v, "\(qualified(key)) must be a non-empty text") }
        return s
    }

    func bool(_ key: String, default d: Bool) throws(ProfileError) -> Bool {
        guard let v = value(key) else { return d }
        guard let b = v.bool else { throw error(v, "\(qualified(key)) must be true or false, not '\(v.string ?? "?")'") }
        return b
    }

    func number(_ key: String, default d: Double?, range: ClosedRange<Double>) throws(ProfileError) -> Double? {
        guard let v = value(key) else { return d }
        return try number(v, qualified(key), range: range)
    }

    func number(_ v: Node, _ name: String, range: ClosedRange<Double>) throws(ProfileError) -> Double {
        guard let text = v.scalar?.string, let x = Self.parseNumber(text) else {
            throw error(v, "\(name) must be a number, not '\(v.string ?? "a \(v.kind)")'", "write e.g. 2000, 20k or 1.5")
        }
        guard range.contains(x) else {
            throw error(v, "\(name) is \(text), outside \(Self.show(range.lowerBound))…\(Self.show(range.upperBound))")
        }
        return x
    }

    func int(_ key: String, default d: Int, range: ClosedRange<Int>) throws(ProfileError) -> Int {
        guard let v = value(key) else { return d }
        let x = try number(v, qualified(key), range: Double(range.lowerBound)...Double(range.upperBound))
        guard x == x.rounded() else { throw error(v, "\(qualified(key)) must be a whole number, not \(x)") }
        return Int(x)
    }

    /// Seconds, from `30s`, `5m`, `1h`, `500ms` or a bare number of seconds.
    func duration(_ key: String, default d: Double?) throws(ProfileError) -> Double? {
        guard let v = value(key) else { return d }
        return try duration(v, qualified(key))
    }

    func duration(_ v: Node, _ name: String) throws(ProfileError) -> Double {
        guard let text = v.scalar?.string else { throw error(v, "\(name) must be a duration such as 30s or 5m") }
        do {
            return try DurationText.seconds(text)
        } catch {
            throw self.error(v, "\(name): \(error.description)")
        }
    }

    /// Milliseconds, from `5ms`, `1.5s` or a bare number of milliseconds.
    func milliseconds(_ key: String) throws(ProfileError) -> Double? {
        guard let v = value(key) else { return nil }
        if let text = v.scalar?.string, let ms = Double(text) { return ms }
        return try duration(v, qualified(key)) * 1000
    }

    func bytes(_ v: Node, _ name: String) throws(ProfileError) -> Int {
        guard let text = v.scalar?.string else { throw error(v, "\(name) must be a size such as 1KiB or 512") }
        do {
            let b = try ByteSizeText.bytes(text)
            guard b > 0, b <= 64 << 20 else { throw error(v, "\(name) is \(text); a message body must be 1 B…64 MiB") }
            return Int(b)
        } catch let e as ProfileError {
            throw e
        } catch {
            throw self.error(v, "\(name): invalid size '\(text)'", "write e.g. 1KiB, 512B or 16384")
        }
    }

    func map(_ key: String) throws(ProfileError) -> YAMLFields? {
        guard let v = value(key) else { return nil }
        return try YAMLFields(v, file: file, path: qualified(key))
    }

    func list(_ key: String) throws(ProfileError) -> [Node]? {
        guard let v = value(key) else { return nil }
        guard let s = v.sequence else { throw error(v, "\(qualified(key)) must be a list (lines starting with '- ')") }
        return Array(s)
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ key: String, default d: T) throws(ProfileError) -> T where T.RawValue == String {
        guard let v = value(key) else { return d }
        let text = v.string ?? ""
        guard let x = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue)
            throw error(v, "\(qualified(key)) is '\(text)'; it must be one of \(names.joined(separator: ", "))",
                        closest(text, in: names).map { "did you mean '\($0)'?" })
        }
        return x
    }

    /// Numbers as people write rates: 2000, 2,000 is not YAML, so 2k / 1.5M are accepted.
    static func parseNumber(_ text: String) -> Double? {
        if let x = Double(text), x.isFinite { return x }
        guard let last = text.last, let base = Double(text.dropLast()) else { return nil }
        switch last {
        case "k", "K": return base * 1_000
        case "M": return base * 1_000_000
        case "%": return base / 100
        default: return nil
        }
    }

    static func show(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}

extension Node {
    var kind: String {
        switch self {
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .scalar: return "value"
        case .alias: return "alias"
        }
    }
}
