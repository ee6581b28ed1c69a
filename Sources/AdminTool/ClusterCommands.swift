import ArgumentParser
import Client
import Foundation
import Protocol

/// `clusterList`: every broker of every cluster with its load (from its runtime info).
struct ClusterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clusterList", abstract: "List clusters and brokers.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("c"), help: ArgumentHelp("Only this cluster.", valueName: "cluster")) var clusterName: String?

    struct Row {
        let cluster: String, brokerName: String, brokerId: Int64, address: String
        let info: [String: String]?
    }

    func run() async throws {
        let rows: [Row] = try await common.withAdmin { admin in
            let info = try await admin.clusterInfo()
            if let clusterName, info.clusterAddrTable[clusterName] == nil {
                let known = info.clusterAddrTable.keys.sorted().joined(separator: ", ")
                throw AdminError("cluster '\(clusterName)' not found (known: \(known.isEmpty ? "none" : known))")
            }
            var rows: [Row] = []
            for cluster in info.clusterAddrTable.keys.sorted() where clusterName == nil || cluster == clusterName {
                for name in (info.clusterAddrTable[cluster] ?? []).sorted() {
                    for (id, addr) in (info.brokerAddrTable[name]?.brokerAddrs ?? [:]).sorted(by: { $0.key < $1.key }) {
                        // A broker that does not answer still gets its row, with blanks.
                        let runtime = try? await admin.brokerRuntimeInfo(addr)
                        rows.append(Row(cluster: cluster, brokerName: name, brokerId: id, address: addr, info: runtime))
                    }
                }
            }
            return rows
        }
        var table = Table(["Cluster Name", "Broker Name", "BID", "Addr", "Version", "InTPS", "OutTPS", "PCWait(ms)", "Hour", "SPACE"],
                          numeric: [2, 5, 6, 7, 8, 9])
        var json: [JSONValue] = []
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        for r in rows {
            let i = r.info ?? [:]
            let firstRate: (String) -> String = { key in i[key].map { String($0.split(separator: " ").first ?? "") } ?? "-" }
            let hours = Int64(i["earliestMessageTimeStamp"] ?? "").map { $0 > 0 ? String(format: "%.2f", Double(now - $0) / 3_600_000) : "0" } ?? "-"
            let space = Double(i["commitLogDiskRatio"] ?? "").map { String(format: "%.4f", $0) } ?? "-"
            table.add([r.cluster, r.brokerName, "\(r.brokerId)", r.address, i["brokerVersionDesc"] ?? "-",
                       firstRate("putTps"), firstRate("getTransferedTps"), i["pageCacheLockTimeMills"] ?? "-", hours, space])
            var member: [JSONMember] = [
                JSONMember("address", .string(r.address)), JSONMember("brokerId", .int(r.brokerId)),
                JSONMember("brokerName", .string(r.brokerName)), JSONMember("cluster", .string(r.cluster)),
                JSONMember("reachable", .bool(r.info != nil)),
            ]
            if let info = r.info { member.append(JSONMember("runtimeInfo", .map(info) { .string($0) })) }
            json.append(.object(member))
        }
        common.emit(.object(["brokers": .array(json)]), table.text)
    }
}

/// `brokerStatus`: a broker's runtime figures (-b), or every master's in a cluster (-c).
struct BrokerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "brokerStatus", abstract: "Show broker runtime figures.")

    @OptionGroup var common: CommonOptions
    @Option(name: .customShort("b"), help: ArgumentHelp("Broker address (host:port).", valueName: "host:port")) var brokerAddr: String?
    @Option(name: .customShort("c"), help: ArgumentHelp("Cluster: every master of it.", valueName: "cluster")) var clusterName: String?

    func validate() throws {
        guard (brokerAddr == nil) != (clusterName == nil) else { throw ValidationError("give exactly one of -b broker address or -c cluster") }
    }

    func run() async throws {
        let results: [(String, [String: String])] = try await common.withAdmin { admin in
            var addresses: [String] = []
            if let brokerAddr { addresses = [brokerAddr] } else { addresses = try await admin.masters(cluster: clusterName).map(\.address) }
            var out: [(String, [String: String])] = []
            for a in addresses {
                do { out.append((a, try await admin.brokerRuntimeInfo(a))) } catch {
                    throw AdminError("broker \(a) did not answer: \(error)")
                }
            }
            return out
        }
        let text = results.map { addr, info in
            let pairs = info.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return brokerAddr != nil ? keyValueLines(pairs) : "\(addr)\n" + keyValueLines(pairs, indent: "  ")
        }.joined(separator: "\n\n")
        let json = JSONValue.object(["brokers": .array(results.map { addr, info in
            .object(["address": .string(addr), "runtimeInfo": .map(info) { .string($0) }])
        })])
        common.emit(json, text)
    }
}
