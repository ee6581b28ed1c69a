/// A report as a document: what the run, sweep and plan builders fill and what
/// the Markdown, HTML and JSON writers render. Plain values, so the same model
/// yields every format and a test can build one by hand.
public struct Report: Sendable, Codable, Equatable {
    /// Short machine name (`plan`, `sweep`, `run-promotion`); the directory is `<name>-<timestamp>`.
    public var name: String
    public var title: String
    /// One line under the title (the command, the host).
    public var subtitle: String?
    /// ISO-8601 UTC time the report was made.
    public var createdAt: String
    /// The handful of numbers a reader wants first.
    public var keyFigures: [KeyFigure]
    public var sections: [Section]

    public init(name: String, title: String, subtitle: String? = nil, createdAt: String,
                keyFigures: [KeyFigure] = [], sections: [Section] = []) {
        self.name = name; self.title = title; self.subtitle = subtitle; self.createdAt = createdAt
        self.keyFigures = keyFigures; self.sections = sections
    }

    /// Every chart, in document order (the writers give each its own file or element).
    public var charts: [Chart] {
        sections.flatMap { $0.blocks.compactMap { if case .chart(let c) = $0 { return c } else { return nil } } }
    }
}

/// A headline number: "sustainable maximum 18.2k msg/s".
public struct KeyFigure: Sendable, Codable, Equatable {
    public var label: String
    /// Already formatted, with its unit.
    public var value: String
    /// Where it comes from or what it means, in a few words.
    public var note: String?

    public init(_ label: String, _ value: String, note: String? = nil) {
        self.label = label; self.value = value; self.note = note
    }
}

/// A titled part of the report.
public struct Section: Sendable, Codable, Equatable {
    public var title: String
    public var blocks: [Block]

    public init(_ title: String, _ blocks: [Block] = []) {
        self.title = title; self.blocks = blocks
    }
}

/// One element of a section.
public enum Block: Sendable, Codable, Equatable {
    case paragraph(String)
    /// A bulleted list.
    case list([String])
    /// A highlighted note; `warning` ones are styled as such (extrapolation, failed checks).
    case note(Note)
    case table(Table)
    case chart(Chart)
    /// Preformatted text (commands, the doctor's table).
    case code(String)
}

/// A callout.
public struct Note: Sendable, Codable, Equatable {
    public enum Level: String, Sendable, Codable { case info, warning }
    public var level: Level
    public var text: String

    public init(_ level: Level, _ text: String) {
        self.level = level; self.text = text
    }
}
