/// Parses human durations for command-line options: `500ms`, `30s`, `5m`,
/// `1h`, `1m30s`, or a bare number of seconds.
public enum DurationText {
    /// Why a duration could not be parsed; the message is meant for the user.
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Seconds represented by `text`.
    public static func seconds(_ text: String) throws(ParseError) -> Double {
        let input = text.trimmingBlanks()
        guard !input.isEmpty else { throw ParseError(description: "empty duration; expected e.g. 30s, 5m, 1h, 500ms") }
        if let plain = Double(input), plain.isFinite {
            guard plain > 0 else { throw ParseError(description: "duration must be positive: \(text)") }
            return plain
        }
        var total = 0.0
        var rest = Substring(input)
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            let afterNumber = rest.dropFirst(number.count)
            let unit = afterNumber.prefix { $0.isLetter }
            guard !number.isEmpty, let value = Double(number), !unit.isEmpty else {
                throw ParseError(description: "invalid duration '\(text)'; expected e.g. 30s, 5m, 1h, 1m30s, 500ms")
            }
            let scale: Double
            switch unit {
            case "ms": scale = 0.001
            case "s", "sec": scale = 1
            case "m", "min": scale = 60
            case "h": scale = 3600
            case "d": scale = 86_400
            default: throw ParseError(description: "unknown unit '\(unit)' in duration '\(text)'; use ms, s, m, h or d")
            }
            total += value * scale
            rest = afterNumber.dropFirst(unit.count)
        }
        guard total > 0 else { throw ParseError(description: "duration must be positive: \(text)") }
        return total
    }
}

/// Parses byte sizes such as `200G`, `1.5T`, `512MiB` or a bare byte count
/// (binary multiples, as disk sizes are usually meant in this context).
public enum ByteSizeText {
    public static func bytes(_ text: String) throws(DurationText.ParseError) -> UInt64 {
        let input = text.trimmingBlanks()
        let number = input.prefix { $0.isNumber || $0 == "." }
        var unit = input.dropFirst(number.count).uppercased()
        if unit.hasSuffix("IB") { unit.removeLast(2) } else if unit.hasSuffix("B") { unit.removeLast() }
        guard let value = Double(number), value >= 0 else {
            throw DurationText.ParseError(description: "invalid size '\(text)'; expected e.g. 200G, 1.5T, 512M")
        }
        let powers: [String: Double] = ["": 1, "K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024,
                                        "T": 1024 * 1024 * 1024 * 1024, "P": 1024 * 1024 * 1024 * 1024 * 1024]
        guard let scale = powers[unit] else {
            throw DurationText.ParseError(description: "unknown unit in size '\(text)'; use K, M, G, T or P")
        }
        return UInt64(value * scale)
    }
}

extension String {
    func trimmingBlanks() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
