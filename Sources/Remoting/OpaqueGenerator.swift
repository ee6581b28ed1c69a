import Synchronization

/// Request ids (`opaque`). One generator per client (shared by its connections)
/// and per server; an id needs to be unique only among the requests pending on
/// one connection, which 2^32 ids in flight never threaten.
final class OpaqueGenerator: Sendable {
    private let next = Atomic<Int32>(0)

    func make() -> Int32 {
        next.wrappingAdd(1, ordering: .relaxed).newValue
    }
}
