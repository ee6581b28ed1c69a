import ArgumentParser
import Foundation

extension MQStoreCommand {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmark the append path against a raw write() baseline.")
        func run() async throws {
            throw ValidationError("not yet implemented")
        }
    }
}
