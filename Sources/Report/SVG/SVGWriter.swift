import Foundation

/// Appends SVG (or HTML) markup to a string: elements with ordered attributes,
/// escaped text, coordinates rounded to 0.1 px to keep files small.
struct SVGWriter {
    private(set) var text = ""

    /// `<tag a="v" …>`; `selfClosing` writes `/>`.
    mutating func open(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], selfClosing: Bool = false) {
        text += "<" + tag
        for (k, v) in attributes { text += " \(k)=\"\(Markup.escape(v))\"" }
        text += selfClosing ? "/>" : ">"
    }

    mutating func close(_ tag: String) { text += "</\(tag)>" }

    /// A leaf element with optional escaped text content.
    mutating func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], _ content: String? = nil) {
        guard let content else { open(tag, attributes, selfClosing: true); return }
        open(tag, attributes)
        text += Markup.escape(content)
        close(tag)
    }

    mutating func raw(_ markup: String) { text += markup }
}

/// Escaping and number formatting shared by the SVG and HTML writers.
enum Markup {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal ("12", "12.5").
    static func coordinate(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
