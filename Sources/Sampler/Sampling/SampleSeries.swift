/// A sampling run as stored in results: settings, the samples and the cost.
public struct SampleSeries: Sendable, Codable {
    public var intervalSeconds: Double
    public var storeDisks: [String]
    public var samples: [Sample]
    public var samplerCost: Sampler.Cost

    public init(intervalSeconds: Double, storeDisks: [String], samples: [Sample], samplerCost: Sampler.Cost) {
        self.intervalSeconds = intervalSeconds
        self.storeDisks = storeDisks
        self.samples = samples
        self.samplerCost = samplerCost
    }
}
