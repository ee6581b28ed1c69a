import Foundation
import Synchronization
import Protocol
import Remoting
import TestSupport
import Testing


/// Collects a child's output pipe in the background.
final class OutputCollector: Sendable {
    private let text = SendableText()
    init(_ handle: FileHandle) {
        let text = self.text
        handle.readabilityHandler = { h in
            let data = h.availableData
            if data.isEmpty { h.readabilityHandler = nil } else { text.append(String(decoding: data, as: UTF8.self)) }
        }
    }
    var value: String { text.value }
}



final class SendableText: Sendable {
    private let s = Mutex("")
    func append(_ t: String) { s.withLock { $0 += t } }
    var value: String { s.withLock { $0 } }
}

@Suite(.timeLimit(.minutes(1))) struct MQNamesrvProcessTests {
    func launch(_ args: [String]) throws -> (Process, OutputCollector, OutputCollector) {
        let exe = productsDirectory + "/mqnamesrv"
        try #require(FileManager.default.isExecutableFile(atPath: exe), "mqnamesrv not built at \(exe)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let o = OutputCollector(out.fileHandleForReading), e = OutputCollector(err.fileHandleForReading)
        try p.run()
        return (p, o, e)
    }

    @Test func runsAnsweringAndStopsCleanlyOnSIGTERM() async throws {
        let conf = FileManager.default.temporaryDirectory.appendingPathComponent("namesrv-\(getpid()).conf").path
        try "listenPort=0\nbindAddress=127.0.0.1\nrocketmqHome=/opt/rocketmq\nnoSuchKey=1\n".write(
            toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let (p, out, err) = try launch(["-c", conf])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        try await eventually("the boot line", timeout: .seconds(20)) { out.value.contains("boot success") || !p.isRunning }
        let line = try #require(out.value.split(separator: "\n").first { $0.contains("boot success") })
        let port = try #require(line.split(separator: ":").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        #expect(err.value.contains("unknown key 'noSuchKey'"))
        #expect(!err.value.contains("rocketmqHome"), "RocketMQ keys without meaning here are accepted quietly")
        #expect(err.value.contains("allocator=jemalloc"))

        let client = RemotingClient()
        let addr = "127.0.0.1:\(port)"
        let header = RegisterBrokerRequestHeader(
            brokerName: "broker-a", brokerAddr: "10.0.0.1:10911", clusterName: "C", haServerAddr: "", brokerId: 0)
        let body = RegisterBrokerBody(topicConfigSerializeWrapper: TopicConfigSerializeWrapper(
            topicConfigTable: ["T": TopicConfig(topicName: "T", readQueueNums: 4, writeQueueNums: 4)],
            dataVersion: DataVersion(timestamp: 1)))
        _ = try await client.invoke(.request(.registerBroker, header: header, body: body.bodyBuffer(), opaque: 0), to: addr)
            .requireSuccess()
        let r = try await client.invoke(
            .request(.getRouteInfoByTopic, header: GetRouteInfoRequestHeader(topic: "T"), opaque: 0, serializeType: .json),
            to: addr
        ).requireSuccess()
        #expect(try TopicRouteData(bodyOf: r).queueDatas.first?.writeQueueNums == 4)
        await client.shutdown()

        kill(p.processIdentifier, SIGTERM)
        try await eventually("mqnamesrv exits", timeout: .seconds(10)) { !p.isRunning }
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
        try await eventually("the shutdown log") { err.value.contains("mqnamesrv stopped") }
    }

    @Test func rejectsInvalidValuesNamingTheKey() async throws {
        let conf = FileManager.default.temporaryDirectory.appendingPathComponent("namesrv-bad-\(getpid()).conf").path
        try "# c\nscanNotActiveBrokerInterval=soon\n".write(toFile: conf, atomically: true, encoding: .utf8)
        defer { unlink(conf) }
        let (p, _, err) = try launch(["-c", conf])
        try await eventually("mqnamesrv exits", timeout: .seconds(20)) { !p.isRunning }
        #expect(p.terminationStatus != 0)
        try await eventually("the reason") { err.value.contains("scanNotActiveBrokerInterval") }
        #expect(err.value.contains(":2:"), "names the line: \(err.value)")
    }

    @Test func printsTheConfiguration() async throws {
        let (p, out, _) = try launch(["-p"])
        try await eventually("mqnamesrv exits", timeout: .seconds(20)) { !p.isRunning }
        #expect(p.terminationStatus == 0)
        try await eventually("the printed keys") { out.value.contains("listenPort=9876") }
        #expect(out.value.contains("brokerChannelExpiredTime=120000"))
    }
}
