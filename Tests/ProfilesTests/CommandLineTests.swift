import Foundation
import TestSupport
import Testing

/// `mqbench profiles` and `mqbench validate` as a user runs them.
@Suite struct ProfileCommandLineTests {
    var mqbench: String { productsDirectory + "/mqbench" }

    func run(_ args: [String]) throws -> (Int32, String, String) {
        try runProcess(mqbench, args)
    }

    @Test func profilesListsEveryShippedProfile() throws {
        let (status, out, _) = try run(["profiles", "--dir", profilesDir])
        #expect(status == 0)
        for name in ["normal-2000tps", "promotion-20000tps", "flash-sale-spike", "backlog-drain", "zero-loss", "max-throughput", "smoke"] {
            #expect(out.contains(name + " "), "missing \(name)")
        }
        #expect(out.contains("2k msg/s") && out.contains("closed loop"))
    }

    @Test func validateRejectsABadProfileWithLineAndSuggestion() throws {
        let bad = FileManager.default.temporaryDirectory.path + "/bad-\(getpid()).yaml"
        try "name: x\nduration: 1m\nproducers: {count: 2, rate: 10, windw: 4}\n".write(toFile: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let (status, _, err) = try run(["validate", bad, profilesDir + "/smoke.yaml"])
        #expect(status == 1)
        #expect(err.contains("\(bad):3:") && err.contains("did you mean 'window'?"))
        let (ok, out, _) = try run(["validate", profilesDir + "/smoke.yaml", "--json"])
        #expect(ok == 0 && out.contains("\"name\" : \"smoke\""))
    }
}
