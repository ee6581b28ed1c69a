/// /proc/loadavg: run-queue averages and task counts.
public struct LoadAverage: Sendable, Equatable, Codable {
    public var one: Double
    public var five: Double
    public var fifteen: Double
    /// Currently runnable scheduling entities.
    public var running: UInt64
    /// Total scheduling entities (threads) on the system.
    public var total: UInt64

    public init(one: Double, five: Double, fifteen: Double, running: UInt64, total: UInt64) {
        self.one = one; self.five = five; self.fifteen = fifteen; self.running = running; self.total = total
    }

    /// Parses `0.52 0.58 0.59 3/467 12345`.
    public static func parse(_ s: inout ByteScanner) -> LoadAverage? {
        guard let one = s.decimal(), let five = s.decimal(), let fifteen = s.decimal(),
              let running = s.unsigned(), s.consume(UInt8(ascii: "/")), let total = s.unsigned()
        else { return nil }
        return LoadAverage(one: one, five: five, fifteen: fifteen, running: running, total: total)
    }
}
