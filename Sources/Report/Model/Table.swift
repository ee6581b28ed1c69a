/// A table of already formatted cells.
public struct Table: Sendable, Codable, Equatable {
    public enum Alignment: String, Sendable, Codable { case left, right, center }

    public struct Column: Sendable, Codable, Equatable {
        public var title: String
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title; self.alignment = alignment
        }
    }

    /// Stable identifier (HTML id `table-<id>`).
    public var id: String
    public var caption: String?
    public var columns: [Column]
    /// Each row has one cell per column; short rows are padded when rendered.
    public var rows: [[String]]

    public init(id: String, caption: String? = nil, columns: [Column], rows: [[String]]) {
        self.id = id; self.caption = caption; self.columns = columns; self.rows = rows
    }

    /// A row padded or cut to the number of columns.
    func cells(_ row: [String]) -> [String] {
        Array((row + Array(repeating: "", count: max(0, columns.count - row.count))).prefix(columns.count))
    }
}
