import Broker
import Config
import Foundation
import NIOCore
import Protocol
import Remoting
import Synchronization
import TestSupport
import Testing

/// Records the requests a stand-in NameServer receives and answers SUCCESS.
final class Recorder: RemotingInlineProcessor, Sendable {
    let requests = Mutex<[RemotingCommand]>([])
    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        requests.withLock { $0.append(request) }
        return .response(.command(request.response(.success)))
    }
    var all: [RemotingCommand] { requests.withLock { $0 } }
}

/// A NameServer stand-in that answers REGISTER_BROKER only after `delay`,
/// logging "register[topics…]" as it answers, so tests can order what a
/// client saw against what the NameServer knew.
final class SlowNameServer: RemotingInlineProcessor, Sendable {
    let delay: TimeAmount
    let events = Mutex<[String]>([])

    init(delay: TimeAmount) { self.delay = delay }

    func process(_ request: RemotingCommand, context: RemotingContext) -> InlineOutcome {
        let topics = (try? RegisterBrokerBody(bodyOf: request))?.topicConfigSerializeWrapper.topicConfigTable.keys.sorted() ?? []
        context.connection.eventLoop.scheduleTask(in: delay) {
            self.log("register\(topics)")
            context.reply(.command(request.response(.success)))
        }
        return .deferred
    }

    func log(_ event: String) { events.withLock { $0.append(event) } }

    /// Index of the first event containing `text`.
    func first(_ text: String) -> Int? { events.withLock { $0.firstIndex { $0.contains(text) } } }
}

@Suite struct RegistrationAndConfigTests {
    /// RocketMQ registers a topic the broker creates before answering the
    /// request that created it, so a client can look the route up as soon as it
    /// has the answer (a consumer started right after the first send found no
    /// route while the registration was still on its way).
    @Test func topicCreationIsAnsweredAfterTheNameServersKnowIt() async throws {
        let slow = SlowNameServer(delay: .milliseconds(300))
        let ns = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0))
        ns.register(.registerBroker, inline: slow)
        let nsPort = try await ns.start()
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        _ = try config.set("namesrvAddr", "127.0.0.1:\(nsPort)")
        let f = try await Fixture.start(config)
        #expect(try await f.send(topic: "Fresh", body: [1]).responseCode == .success)
        slow.log("send answered")
        let create = CreateTopicRequestHeader(topic: "Made", defaultTopic: "TBW102", readQueueNums: 2, writeQueueNums: 2,
                                              perm: 6, topicFilterType: "SINGLE_TAG")
        #expect(try await f.invoke(.request(.updateAndCreateTopic, header: create, opaque: 0)).responseCode == .success)
        slow.log("create answered")
        let fresh = try #require(slow.first("\"Fresh\""))
        let made = try #require(slow.first("\"Made\""))
        #expect(fresh < slow.first("send answered")!)
        #expect(made < slow.first("create answered")!)
        await f.stop()
        await ns.shutdown()
    }

    @Test func registersWithNameServerAndUnregistersAtShutdown() async throws {
        let recorder = Recorder()
        let ns = RemotingServer(configuration: .init(host: "127.0.0.1", port: 0))
        ns.register(.registerBroker, inline: recorder)
        ns.register(.unregisterBroker, inline: recorder)
        let nsPort = try await ns.start()
        let dir = TempDir(); defer { dir.cleanup() }
        var config = testConfig(dir.path)
        _ = try config.set("namesrvAddr", "127.0.0.1:\(nsPort)")
        let f = try await Fixture.start(config)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) { recorder.all.count >= 1 }
        let reg = recorder.all[0]
        #expect(reg.requestCode == .registerBroker)
        let h = try RegisterBrokerRequestHeader(extFields: reg.extFields)
        #expect(h.brokerName == "broker-a" && h.clusterName == "DefaultCluster" && h.brokerId == 0)
        #expect(h.brokerAddr == f.address)
        let body = try RegisterBrokerBody(bodyOf: reg)
        #expect(body.topicConfigSerializeWrapper.topicConfigTable["TBW102"] != nil)
        // An auto-created topic is registered at once, not at the next period (30 s).
        #expect(try await f.send(topic: "Reg", body: [1]).responseCode == .success)
        try await waitUntil(timeout: .seconds(30), every: .milliseconds(5)) {
            recorder.all.contains { r in
                r.requestCode == .registerBroker
                    && (try? RegisterBrokerBody(bodyOf: r))?.topicConfigSerializeWrapper.topicConfigTable["Reg"] != nil
            }
        }
        #expect(await f.broker.registerWithNameServers() == 1)
        let last = try RegisterBrokerBody(bodyOf: recorder.all.last!)
        #expect(last.topicConfigSerializeWrapper.topicConfigTable["Reg"] != nil)
        await f.stop()
        #expect(recorder.all.last?.requestCode == .unregisterBroker)
        await ns.shutdown()
    }

    @Test func configParsing() throws {
        let file = try PropertiesFile(text: """
            brokerClusterName=C1
            brokerName=b1
            brokerId=0
            namesrvAddr=127.0.0.1:9876;127.0.0.2:9876
            listenPort=10921
            autoCreateTopicEnable=false
            defaultTopicQueueNums=4
            brokerRole=SYNC_MASTER
            flushDiskType=SYNC_FLUSH
            storePathRootDir=/tmp/x
            someUnknownKey=1
            """)
        let loaded = try BrokerConfig.load(file)
        let c = loaded.config
        #expect(c.brokerClusterName == "C1" && c.brokerName == "b1" && c.listenPort == 10921)
        #expect(c.namesrvAddrs == ["127.0.0.1:9876", "127.0.0.2:9876"])
        #expect(!c.autoCreateTopicEnable && c.defaultTopicQueueNums == 4 && c.brokerRole == .syncMaster)
        #expect(c.store.flushDiskType == .syncFlush && c.store.storePathRootDir == "/tmp/x")
        #expect(loaded.unknown.map(\.key) == ["someUnknownKey"])
        for (k, v) in [("listenPort", "x"), ("brokerRole", "MASTER"), ("namesrvAddr", "nohost"),
                       ("autoCreateTopicEnable", "yes"), ("flushDiskType", "SOMETIMES")] {
            var b = BrokerConfig()
            #expect(throws: ConfigError.self) { _ = try b.set(k, v) }
            do { _ = try b.set(k, v) } catch { #expect(error.key == k) }
        }
    }
}
