/// A text table with aligned columns, as mqadmin prints them: a `#`-prefixed
/// header row, then rows; numeric columns are right-aligned.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns aligned right (numbers).
    var numeric: Set<Int> = []

    init(_ headers: [String], numeric: Set<Int> = []) {
        self.headers = headers
        self.numeric = numeric
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The lines, columns separated by two spaces, no trailing blanks.
    var text: String {
        let head = headers.map { "#" + $0 }
        var widths = head.map(\.count)
        for r in rows {
            for (i, cell) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                let last = i == cells.count - 1
                out += numeric.contains(i) ? pad + cell : (last ? cell : cell + pad)
                if !last { out += "  " }
            }
            return out
        }
        return ([line(head)] + rows.map(line)).joined(separator: "\n")
    }
}

/// `key: value` lines with the keys padded to one width (brokerStatus, message views).
func keyValueLines(_ pairs: [(String, String)], indent: String = "") -> String {
    let width = pairs.map(\.0.count).max() ?? 0
    return pairs.map { k, v in indent + k + ":" + String(repeating: " ", count: width - k.count + 1) + v }
        .joined(separator: "\n")
}
