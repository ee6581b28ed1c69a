import Foundation
import Yams

/// Reads and validates a load profile. Everything that can be checked before
/// a run starts is checked here: unknown keys, wrong types, impossible values,
/// and contradictions between sections.
public enum ProfileParser {
    public static func parse(contentsOf path: String) throws(ProfileError) -> Profile {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ProfileError(file: path, line: nil, column: nil, message: "cannot read the profile: \(error.localizedDescription)", suggestion: nil)
        }
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(text, file: path, defaultName: base)
    }

    public static func parse(_ text: String, file: String, defaultName: String = "profile") throws(ProfileError) -> Profile {
        let root: Node
        do {
            guard let n = try Yams.compose(yaml: text) else {
                throw ProfileError(file: file, line: nil, column: nil, message: "the profile is empty", suggestion: "see profiles/smoke.yaml for a minimal one")
            }
            root = n
        } catch let e as ProfileError {
            throw e
        } catch let e as YamlError {
            throw ProfileError(file: file, line: Self.line(of: e), column: nil, message: "not valid YAML: \(e)", suggestion: nil)
        } catch {
            throw ProfileError(file: file, line: nil, column: nil, message: "not valid YAML: \(error)", suggestion: nil)
        }
        let top = try YAMLFields(root, file: file, path: "")
        try top.onlyKeys(["name", "description", "duration", "warmup", "sampleInterval", "topics", "message", "producers",
                          "consumers", "slo", "broker", "faults", "verification"])
        let topics = try parseTopics(top)
        let message = try parseMessage(top)
        var producers = try parseProducers(top)
        let duration = try top.duration("duration", default: nil)
        let warmup = try top.duration("warmup", default: 0) ?? 0
        // The schedule covers warm-up + duration; a bare rate becomes one constant phase.
        let total = (duration ?? producers.schedule.reduce(0) { $0 + $1.seconds })
        guard total > 0 || producers.closedLoop else {
            throw top.error(top.value("duration") ?? root, "the profile needs a duration (or a schedule whose phases add up to one)")
        }
        let scheduled = producers.schedule.reduce(0) { $0 + $1.seconds }
        if producers.schedule.isEmpty, let rate = producers.pendingRate {
            producers.schedule = [Profile.Phase(shape: .constant(rate), seconds: warmup + total, line: producers.rateLine)]
        } else if let d = duration, scheduled > 0, abs(scheduled - (warmup + d)) > 0.001 {
            throw top.error(top.value("duration"), "producers.schedule adds up to \(YAMLFields.show(scheduled)) s but warmup + duration is \(YAMLFields.show(warmup + d)) s",
                            "make them agree, or leave out duration to use the schedule's length")
        }
        let measured = duration ?? (scheduled - warmup)
        guard measured > 0 else {
            throw top.error(top.value("warmup"), "warm-up (\(YAMLFields.show(warmup)) s) leaves no time to measure")
        }
        let consumers = try parseConsumers(top, topicCount: topics.count * topics.queuesPerTopic)
        let profile = Profile(
            name: try top.string("name", default: defaultName),
            description: try top.string("description", default: ""),
            duration: measured, warmup: warmup,
            sampleInterval: try top.duration("sampleInterval", default: 1) ?? 1,
            topics: topics, message: message, producers: producers.value, consumers: consumers,
            slo: try parseSLO(top), broker: try parseBroker(top),
            faults: try parseFaults(top, consumers: consumers.map(\.name), end: warmup + measured),
            verification: try top.bool("verification", default: true))
        if profile.sampleInterval > profile.duration {
            throw top.error(top.value("sampleInterval"), "sampleInterval is longer than the measured duration")
        }
        return profile
    }

    static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func parseTopics(_ top: YAMLFields) throws(ProfileError) -> Profile.Topics {
        guard let t = try top.map("topics") else { return Profile.Topics(count: 1, prefix: "BenchTopic", queuesPerTopic: 8) }
        try t.onlyKeys(["count", "prefix", "queuesPerTopic"])
        let prefix = try t.string("prefix", default: "BenchTopic")
        if prefix.utf8.count > 120 || !prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "%|_-".contains($0)) }) {
            throw t.error(t.value("prefix"), "topics.prefix '\(prefix)' is not a legal topic name", "letters, digits, % | _ - and at most 120 characters")
        }
        return Profile.Topics(count: try t.int("count", default: 1, range: 1...10_000), prefix: prefix,
                              queuesPerTopic: try t.int("queuesPerTopic", default: 8, range: 1...1024))
    }

    static func parseMessage(_ top: YAMLFields) throws(ProfileError) -> Profile.MessageSpec {
        guard let m = try top.map("message") else {
            return Profile.MessageSpec(sizes: [.init(bytes: 1024, weight: 1)], randomRatio: 0.5, tags: [], keys: false)
        }
        try m.onlyKeys(["size", "sizes", "randomRatio", "tags", "keys"])
        var sizes: [Profile.WeightedSize] = []
        if let s = m.value("size") {
            if m.value("sizes") != nil { throw m.error(s, "give message.size or message.sizes, not both") }
            sizes = [.init(bytes: try m.bytes(s, "message.size"), weight: 1)]
        } else if let list = try m.list("sizes") {
            for item in list {
                let f = try YAMLFields(item, file: m.file, path: "message.sizes[]")
                try f.onlyKeys(["size", "weight"])
                guard let sv = f.value("size") else { throw f.error(item, "each message.sizes entry needs a size") }
                sizes.append(.init(bytes: try f.bytes(sv, "message.sizes[].size"),
                                   weight: try f.number("weight", default: 1, range: 0.000_001...1e9) ?? 1))
            }
            if sizes.isEmpty { throw m.error(m.value("sizes"), "message.sizes is empty") }
        } else {
            sizes = [.init(bytes: 1024, weight: 1)]
        }
        var tags: [String] = []
        if let t = try m.list("tags") {
            for n in t {
                guard let s = n.string, !s.isEmpty, !s.contains("||") else { throw m.error(n, "message.tags entries must be non-empty text without '||'") }
                tags.append(s)
            }
        }
        return Profile.MessageSpec(sizes: sizes, randomRatio: try m.number("randomRatio", default: 0.5, range: 0...1) ?? 0.5,
                                   tags: tags, keys: try m.bool("keys", default: false))
    }

    /// Producers with the rate still to be turned into a schedule.
    struct PendingProducers {
        var value: Profile.Producers
        var pendingRate: Double?
        var rateLine: Int?
        var schedule: [Profile.Phase] {
            get { value.schedule }
            set { value.schedule = newValue }
        }
        var closedLoop: Bool { value.closedLoop }
    }

    static func parseProducers(_ top: YAMLFields) throws(ProfileError) -> PendingProducers {
        guard let p = try top.map("producers") else {
            throw top.error(nil, "the profile has no producers section", "add e.g. producers: {count: 4, rate: 2000}")
        }
        try p.onlyKeys(["count", "rate", "ratePerProducer", "schedule", "closedLoop", "mode", "window", "batchSize", "orderKeys", "group"])
        let count = try p.int("count", default: 1, range: 1...100_000)
        let closedLoop = try p.bool("closedLoop", default: false)
        var rate = try p.number("rate", default: nil, range: 0.001...10_000_000)
        if let per = try p.number("ratePerProducer", default: nil, range: 0.001...10_000_000) {
            if rate != nil { throw p.error(p.value("ratePerProducer"), "give producers.rate or producers.ratePerProducer, not both") }
            rate = per * Double(count)
        }
        var schedule: [Profile.Phase] = []
        if let list = try p.list("schedule") {
            if rate != nil { throw p.error(p.value("schedule"), "give producers.rate or producers.schedule, not both") }
            for item in list { schedule.append(try parsePhase(item, file: p.file)) }
            if schedule.isEmpty { throw p.error(p.value("schedule"), "producers.schedule is empty") }
        }
        if closedLoop && (rate != nil || !schedule.isEmpty) {
            throw p.error(p.value("closedLoop"), "a closed-loop run has no rate", "remove rate/schedule, or set closedLoop: false")
        }
        if !closedLoop && rate == nil && schedule.isEmpty {
            throw p.error(nil, "producers need a rate, a schedule, or closedLoop: true", "e.g. rate: 2000")
        }
        let mode = try p.oneOf("mode", default: Profile.SendMode.async)
        let value = Profile.Producers(
            count: count, schedule: schedule, closedLoop: closedLoop, mode: mode,
            window: try p.int("window", default: 256, range: 1...65_535),
            batchSize: try p.int("batchSize", default: mode == .batch ? 16 : 1, range: 1...4096),
            orderKeys: try p.int("orderKeys", default: 1000, range: 1...100_000_000),
            group: try p.string("group", default: "mqbench_producer"))
        if value.batchSize > 1 && mode != .batch {
            throw p.error(p.value("batchSize"), "producers.batchSize applies to mode: batch only")
        }
        return PendingProducers(value: value, pendingRate: rate, rateLine: (p.value("rate") ?? p.value("ratePerProducer"))?.mark?.line)
    }

    static func parsePhase(_ item: Node, file: String) throws(ProfileError) -> Profile.Phase {
        let f = try YAMLFields(item, file: file, path: "producers.schedule[]")
        try f.onlyKeys(["constant", "spike", "ramp", "steps", "for"])
        guard let forNode = f.value("for") else {
            throw f.error(item, "each schedule phase needs 'for:' (how long it lasts)", "e.g. - constant: 2000\n    for: 60s")
        }
        let seconds = try f.duration(forNode, "producers.schedule[].for")
        let shapes = ["constant", "spike", "ramp", "steps"].filter { f.value($0) != nil }
        guard shapes.count == 1 else {
            throw f.error(item, "each schedule phase needs exactly one of constant, spike, ramp, steps (found \(shapes.isEmpty ? "none" : shapes.joined(separator: ", ")))")
        }
        let rateRange = 0.0...10_000_000
        let shape: Profile.Phase.Shape
        switch shapes[0] {
        case "constant": shape = .constant(try f.number(f.value("constant")!, "constant", range: rateRange))
        case "spike": shape = .spike(try f.number(f.value("spike")!, "spike", range: rateRange))
        case "ramp":
            let r = try YAMLFields(f.value("ramp")!, file: file, path: "ramp")
            try r.onlyKeys(["from", "to"])
            shape = .ramp(from: try r.number("from", default: 0, range: rateRange) ?? 0,
                          to: try requireNumber(r, "to", rateRange))
        default:
            let s = try YAMLFields(f.value("steps")!, file: file, path: "steps")
            try s.onlyKeys(["from", "to", "count"])
            shape = .steps(from: try requireNumber(s, "from", rateRange), to: try requireNumber(s, "to", rateRange),
                           count: try s.int("count", default: 5, range: 1...1000))
        }
        return Profile.Phase(shape: shape, seconds: seconds, line: item.mark?.line)
    }

    static func requireNumber(_ f: YAMLFields, _ key: String, _ range: ClosedRange<Double>) throws(ProfileError) -> Double {
        guard let v = f.value(key) else { throw f.error(nil, "\(f.qualified(key)) is required") }
        return try f.number(v, f.qualified(key), range: range)
    }

    static func parseConsumers(_ top: YAMLFields, topicCount: Int) throws(ProfileError) -> [Profile.ConsumerGroup] {
        guard let list = try top.list("consumers") else { return [] }
        var groups: [Profile.ConsumerGroup] = []
        for item in list {
            let g = try YAMLFields(item, file: top.file, path: "consumers[]")
            try g.onlyKeys(["group", "count", "model", "processing", "resumeAtBacklog", "pauses"])
            guard g.value("group") != nil else { throw g.error(item, "each consumer group needs 'group:' (its name)") }
            let name = try g.string("group", default: "")
            if groups.contains(where: { $0.name == name }) { throw g.error(g.value("group"), "consumer group '\(name)' is listed twice") }
            var pauses: [Profile.Pause] = []
            for p in try g.list("pauses") ?? [] {
                let pf = try YAMLFields(p, file: top.file, path: "consumers[].pauses[]")
                try pf.onlyKeys(["at", "for"])
                guard let at = try pf.duration("at", default: nil), let len = try pf.duration("for", default: nil) else {
                    throw pf.error(p, "a pause needs 'at:' and 'for:'")
                }
                pauses.append(.init(at: at, seconds: len))
            }
            groups.append(Profile.ConsumerGroup(
                name: name, count: try g.int("count", default: 1, range: 1...10_000),
                model: try g.oneOf("model", default: Profile.ConsumeModel.clustering),
                processing: try parseProcessing(g), resumeAtBacklog: try g.int("resumeAtBacklog", default: 0, range: 0...1_000_000_000),
                pauses: pauses))
        }
        return groups
    }

    static func parseProcessing(_ g: YAMLFields) throws(ProfileError) -> Profile.Processing {
        guard let v = g.value("processing") else { return .none }
        if v.scalar != nil {
            let ms = try g.milliseconds("processing") ?? 0
            return ms == 0 ? .none : .fixed(ms)
        }
        let p = try YAMLFields(v, file: g.file, path: "consumers[].processing")
        try p.onlyKeys(["fixed", "uniform", "exponential"])
        if p.value("fixed") != nil { return .fixed(try p.milliseconds("fixed") ?? 0) }
        if let e = try p.map("exponential") {
            try e.onlyKeys(["mean"])
            return .exponential(mean: try e.milliseconds("mean") ?? 0)
        }
        if let u = try p.map("uniform") {
            try u.onlyKeys(["min", "max"])
            let lo = try u.milliseconds("min") ?? 0, hi = try u.milliseconds("max") ?? 0
            guard hi >= lo else { throw u.error(u.value("max"), "processing.uniform max is below min") }
            return .uniform(min: lo, max: hi)
        }
        throw p.error(v, "processing must be a time (e.g. 2ms) or one of fixed, uniform, exponential")
    }

    static func parseSLO(_ top: YAMLFields) throws(ProfileError) -> Profile.SLO {
        guard let s = try top.map("slo") else { return Profile.SLO(maxLost: 0) }
        try s.onlyKeys(["sendP99", "sendP999", "endToEndP99", "maxErrorRate", "maxBacklog", "maxLost"])
        return Profile.SLO(sendP99: try s.milliseconds("sendP99"), sendP999: try s.milliseconds("sendP999"),
                           endToEndP99: try s.milliseconds("endToEndP99"),
                           maxErrorRate: try s.number("maxErrorRate", default: nil, range: 0...1),
                           maxBacklog: try s.value("maxBacklog") == nil ? nil : s.int("maxBacklog", default: 0, range: 0...Int(Int32.max)),
                           maxLost: try s.int("maxLost", default: 0, range: 0...Int(Int32.max)))
    }

    static func parseBroker(_ top: YAMLFields) throws(ProfileError) -> Profile.BrokerSettings {
        guard let b = try top.map("broker") else { return Profile.BrokerSettings(flushDiskType: "ASYNC_FLUSH", defaultTopicQueueNums: 8, extra: [:]) }
        try b.onlyKeys(["flushDiskType", "defaultTopicQueueNums", "extra"])
        let flush = try b.string("flushDiskType", default: "ASYNC_FLUSH")
        guard ["ASYNC_FLUSH", "SYNC_FLUSH"].contains(flush) else {
            throw b.error(b.value("flushDiskType"), "broker.flushDiskType is '\(flush)'; it must be ASYNC_FLUSH or SYNC_FLUSH",
                          closest(flush, in: ["ASYNC_FLUSH", "SYNC_FLUSH"]).map { "did you mean '\($0)'?" })
        }
        var extra: [String: String] = [:]
        if let e = try b.map("extra") {
            for (k, v) in e.mapping {
                guard let key = k.string, let value = v.string else { throw e.error(k, "broker.extra holds broker.conf keys with text values") }
                extra[key] = value
            }
        }
        return Profile.BrokerSettings(flushDiskType: flush, defaultTopicQueueNums: try b.int("defaultTopicQueueNums", default: 8, range: 1...1024),
                                      extra: extra)
    }

    static func parseFaults(_ top: YAMLFields, consumers: [String], end: Double) throws(ProfileError) -> [Profile.Fault] {
        var out: [Profile.Fault] = []
        for item in try top.list("faults") ?? [] {
            let f = try YAMLFields(item, file: top.file, path: "faults[]")
            try f.onlyKeys(["at", "action", "restartAfter", "group", "rate"])
            guard let at = try f.duration("at", default: nil) else { throw f.error(item, "each fault needs 'at:' (when)") }
            guard at < end else { throw f.error(f.value("at"), "fault at \(YAMLFields.show(at)) s is after the run ends (\(YAMLFields.show(end)) s)") }
            guard f.value("action") != nil else { throw f.error(item, "each fault needs 'action:'") }
            let action = try f.oneOf("action", default: Profile.Fault.Action.killBroker)
            let group = try f.value("group") == nil ? nil : f.string("group", default: "")
            if let group, !consumers.contains(group) {
                throw f.error(f.value("group"), "fault names consumer group '\(group)', which the profile does not define",
                              closest(group, in: consumers).map { "did you mean '\($0)'?" })
            }
            let rate = try f.number("rate", default: nil, range: 0...10_000_000)
            if action == .throttleConsumers && rate == nil { throw f.error(item, "throttle-consumers needs 'rate:' (messages per second)") }
            let restart = try f.duration("restartAfter", default: nil)
            if restart != nil && action != .killBroker && action != .stopBroker {
                throw f.error(f.value("restartAfter"), "restartAfter applies to kill-broker and stop-broker only")
            }
            out.append(.init(at: at, action: action, restartAfter: restart, group: group, rate: rate))
        }
        return out.sorted { $0.at < $1.at }
    }
}
