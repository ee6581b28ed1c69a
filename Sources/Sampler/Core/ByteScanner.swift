/// A forward-only parser over the bytes of a /proc file.
///
/// /proc formats are ASCII, whitespace-separated and line-oriented. Parsing the
/// bytes by hand avoids building `String`s and arrays of substrings on the hot
/// path; only names (device, interface, process) are turned into `String`s.
public struct ByteScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    public private(set) var position = 0

    /// Scans `bytes`, which must outlive the scanner.
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// True when every byte has been consumed.
    public var atEnd: Bool { position >= bytes.count }

    /// True at the end of the current line (or of the input).
    public var atEndOfLine: Bool { atEnd || bytes[position] == UInt8(ascii: "\n") }

    /// The next byte without consuming it.
    public var peek: UInt8? { atEnd ? nil : bytes[position] }

    /// Skips spaces and tabs, but not newlines, so fields stay within their line.
    public mutating func skipBlanks() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 {
            position += 1
        }
    }

    /// Moves past the next newline.
    public mutating func nextLine() {
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") { position += 1 }
        if position < bytes.count { position += 1 }
    }

    /// Consumes `byte` if it is next (after blanks); reports whether it did.
    public mutating func consume(_ byte: UInt8) -> Bool {
        skipBlanks()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Parses an unsigned decimal integer after optional blanks.
    ///
    /// Returns `nil` when no digit follows, which callers use to detect a line
    /// with fewer columns (older kernels) rather than inventing zeros.
    public mutating func unsigned() -> UInt64? {
        skipBlanks()
        var value: UInt64 = 0
        var digits = 0
        while position < bytes.count {
            let b = bytes[position]
            guard b >= 0x30, b <= 0x39 else { break }
            // Wrapping arithmetic: a corrupt 21-digit field must not trap the broker.
            value = value &* 10 &+ UInt64(b - 0x30)
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    /// Parses a signed decimal integer (e.g. `-1` in a NIC speed file).
    public mutating func signed() -> Int64? {
        skipBlanks()
        let negative = peek == UInt8(ascii: "-")
        if negative { position += 1 }
        guard let magnitude = unsigned(), magnitude <= UInt64(Int64.max) else { return nil }
        return negative ? -Int64(magnitude) : Int64(magnitude)
    }

    /// Parses a non-negative decimal number such as `0.42` (loadavg, PSI averages).
    public mutating func decimal() -> Double? {
        skipBlanks()
        guard let whole = unsigned() else { return nil }
        var result = Double(whole)
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            // Accumulate the fraction as an integer and divide once, so "0.75"
            // is the same Double as the literal 0.75.
            var fraction: UInt64 = 0
            var scale = 1.0
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                if scale < 1e18 {
                    fraction = fraction * 10 + UInt64(bytes[position] - 0x30)
                    scale *= 10
                }
                position += 1
            }
            result += Double(fraction) / scale
        }
        return result
    }

    /// Returns the next whitespace-delimited token, stopping also at `stop`
    /// (e.g. `:` in `/proc/net/dev`), without consuming the stop byte.
    public mutating func token(stoppingAt stop: UInt8 = 0x20) -> UnsafeBufferPointer<UInt8> {
        skipBlanks()
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == stop { break }
            position += 1
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    /// The next token as a `String` (for names that are kept).
    public mutating func word(stoppingAt stop: UInt8 = 0x20) -> String {
        String(decoding: token(stoppingAt: stop), as: UTF8.self)
    }

    /// The rest of the current line, trimmed of leading blanks, without the newline.
    public mutating func restOfLine() -> String {
        skipBlanks()
        let start = position
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Moves to just after the last occurrence of `byte` in the input; returns
    /// false if it does not occur. Used for `/proc/PID/stat`, whose `comm` field may
    /// itself contain `)` and spaces.
    public mutating func seekPastLast(_ byte: UInt8) -> Bool {
        var i = bytes.count - 1
        while i >= position {
            if bytes[i] == byte {
                position = i + 1
                return true
            }
            i -= 1
        }
        return false
    }

    /// Moves to just after the first occurrence of `byte` from the current position.
    public mutating func seekPast(_ byte: UInt8) -> Bool {
        while position < bytes.count {
            defer { position += 1 }
            if bytes[position] == byte { return true }
        }
        return false
    }

    /// The bytes between two offsets as a `String`.
    public func text(from start: Int, to end: Int) -> String {
        let lo = max(0, min(start, bytes.count)), hi = max(lo, min(end, bytes.count))
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[lo..<hi]), as: UTF8.self)
    }

    /// Walks a `key value` or `Key: value [kB]` file (meminfo, vmstat,
    /// /proc/PID/status, /proc/PID/io), calling `body` with each line's key and
    /// first number. Lines without a number are skipped. Returns how many lines
    /// had one, so callers can tell an empty or foreign file from a real one.
    @discardableResult
    public mutating func forEachKeyedNumber(_ body: (UnsafeBufferPointer<UInt8>, UInt64) -> Void) -> Int {
        var lines = 0
        while !atEnd {
            let key = token(stoppingAt: UInt8(ascii: ":"))
            _ = consume(UInt8(ascii: ":"))
            if let value = unsigned() {
                body(key, value)
                lines += 1
            }
            nextLine()
        }
        return lines
    }

    /// Skips `n` whitespace-separated fields on the current line.
    public mutating func skipFields(_ n: Int) {
        for _ in 0..<n { _ = token() }
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Byte-wise comparison with an ASCII literal, without creating a `String`.
    public func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let other = literal.utf8Start
        for i in 0..<count where self[i] != other[i] { return false }
        return true
    }

    /// True when the bytes start with the ASCII literal.
    public func hasPrefix(_ literal: StaticString) -> Bool {
        guard count >= literal.utf8CodeUnitCount else { return false }
        let other = literal.utf8Start
        for i in 0..<literal.utf8CodeUnitCount where self[i] != other[i] { return false }
        return true
    }
}
