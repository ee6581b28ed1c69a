import Profiles

/// A consumer group as verification and backlog accounting see it: who must
/// receive each acknowledged message.
///
/// A clustering group must receive every message once (any of its consumers);
/// a broadcasting group must deliver every message to each of its `consumers`.
/// Broadcasting consumers are told apart by `ReceiveRecord.consumer`, so in a run
/// split over agents the runner numbers them over the whole group (0..<consumers),
/// not per agent.
public struct GroupSpec: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var model: Profile.ConsumeModel
    /// Consumers in the whole group (all agents).
    public var consumers: Int

    public init(name: String, model: Profile.ConsumeModel = .clustering, consumers: Int = 1) {
        self.name = name
        self.model = model
        self.consumers = max(1, consumers)
    }

    /// How many times each message must be delivered to this group.
    public var deliveriesPerMessage: Int { model == .broadcasting ? consumers : 1 }

    /// The groups of a profile, in its order.
    public static func groups(of profile: Profile) -> [GroupSpec] {
        profile.consumers.map { GroupSpec(name: $0.name, model: $0.model, consumers: $0.count) }
    }
}
