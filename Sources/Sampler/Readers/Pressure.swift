/// One line of a /proc/pressure file (`some` or `full`).
public struct PressureLine: Sendable, Equatable, Codable {
    /// Share of wall time (percent) with stalled tasks, averaged over 10/60/300 s by the kernel.
    public var avg10: Double
    public var avg60: Double
    public var avg300: Double
    /// Cumulative stall time in microseconds; its delta gives the stall share of our own interval.
    public var totalMicroseconds: UInt64

    public init(avg10: Double, avg60: Double, avg300: Double, totalMicroseconds: UInt64) {
        self.avg10 = avg10; self.avg60 = avg60; self.avg300 = avg300; self.totalMicroseconds = totalMicroseconds
    }
}

/// /proc/pressure/{cpu,io,memory} (PSI, Linux 4.20+ with CONFIG_PSI).
public struct Pressure: Sendable, Equatable, Codable {
    /// At least one task stalled.
    public var some: PressureLine
    /// All non-idle tasks stalled; absent for `cpu` before 5.13.
    public var full: PressureLine?

    public init(some: PressureLine, full: PressureLine?) {
        self.some = some; self.full = full
    }

    /// Parses `some avg10=0.00 avg60=0.00 avg300=0.00 total=0` (+ optional `full` line).
    public static func parse(_ s: inout ByteScanner) -> Pressure? {
        var some: PressureLine?
        var full: PressureLine?
        while !s.atEnd {
            let kind = s.token()
            let isSome = kind.equals("some")
            if isSome || kind.equals("full") {
                var line = PressureLine(avg10: 0, avg60: 0, avg300: 0, totalMicroseconds: 0)
                var fields = 0
                while !s.atEndOfLine {
                    let name = s.token(stoppingAt: UInt8(ascii: "="))
                    guard s.consume(UInt8(ascii: "=")) else { break }
                    if name.equals("total"), let v = s.unsigned() {
                        line.totalMicroseconds = v; fields += 1
                    } else if let v = s.decimal() {
                        if name.equals("avg10") { line.avg10 = v; fields += 1 }
                        else if name.equals("avg60") { line.avg60 = v; fields += 1 }
                        else if name.equals("avg300") { line.avg300 = v; fields += 1 }
                    } else { break }
                }
                if fields == 4 {
                    if isSome { some = line } else { full = line }
                }
            }
            s.nextLine()
        }
        guard let some else { return nil }
        return Pressure(some: some, full: full)
    }
}
