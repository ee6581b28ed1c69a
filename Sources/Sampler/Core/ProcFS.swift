/// Where the kernel's pseudo file systems are mounted.
///
/// Every reader resolves its paths through a `ProcFS` so that tests can point the
/// whole sampler and the doctor at a directory tree they wrote themselves
/// (`<root>/proc/...`, `<root>/sys/...`) instead of the live kernel.
public struct ProcFS: Sendable, Hashable {
    /// The directory holding `proc/` and `sys/`; `/` for the live system.
    public let root: String

    /// - Parameter root: directory containing `proc` and `sys`; defaults to the live system.
    public init(root: String = "/") {
        self.root = root.hasSuffix("/") ? root : root + "/"
    }

    /// The live kernel.
    public static let live = ProcFS()

    /// Absolute path of `relative` (e.g. `"proc/stat"`) under the root.
    public func path(_ relative: String) -> String {
        root + relative
    }
}
