/// Which part of a profile this process runs when several agents share the load
/// (`--agent I/N`): producers and consumers whose global index is `index` modulo
/// `count`. Global indices keep producer ids unique over all agents.
public struct AgentSlice: Sendable, Equatable, CustomStringConvertible {
    /// 0-based.
    public let index: Int
    public let count: Int

    public static let single = AgentSlice(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 ≤ I ≤ N (1-based on the command line).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        self.init(uncheckedIndex: i - 1, count: n)
    }

    /// The global indices among `0..<total` this agent runs.
    public func indices(of total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }

    public var description: String { "\(index + 1)/\(count)" }
}
