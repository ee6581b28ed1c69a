/// Why results cannot be merged, said so a person can fix the inputs.
public struct MergeError: Error, CustomStringConvertible, Equatable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
