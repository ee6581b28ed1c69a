/// Colours of the charts (Tableau 10: distinguishable, also in grey-scale print).
public enum Palette {
    public static let series = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
    /// Fault markers.
    public static let marker = "#b00020"
    static let grid = "#e5e5e5"
    static let axis = "#333333"
    static let text = "#222222"
    static let muted = "#666666"
    static let band = "#000000"
    static let diagonal = "#999999"

    public static func color(_ index: Int) -> String { series[index % series.count] }
}
