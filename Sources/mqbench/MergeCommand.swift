import ArgumentParser
import Foundation
import Metrics

/// `mqbench merge`: one result from the agents of a distributed run.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the results of `mqbench run --agent I/N` into the results of the whole run.",
        discussion: """
            Histograms are added (not averaged), counters and rates summed, interval series \
            aligned by wall-clock interval, delivery verification and SLOs evaluated anew on \
            the union. Exit status 1 when an SLO failed or messages were lost beyond the \
            profile's maxLost, 64 when the inputs do not belong to one run.

            Examples:
              mqbench merge agent1/ agent2/ agent3/ --out merged/
              mqbench merge a/results.json b/results.json --json
            """)

    @Argument(help: "Run directories (or results.json files) of the agents.")
    var inputs: [String]

    @Option(help: "Directory for the merged results.json.")
    var out = "merged"

    @Flag(help: "Print the merged summary, SLO outcomes and verification counts as JSON instead of the table.")
    var json = false

    func validate() throws {
        guard inputs.count >= 1 else { throw ValidationError("give the results of at least one agent") }
    }

    /// What `--json` prints.
    struct Output: Encodable {
        var results: String
        var summary: RunSummary
        var slo: SLOReport
        var verification: VerificationCounts?
        var agents: [AgentInfo]
    }

    func run() throws {
        var parts: [RunResults] = []
        for input in inputs {
            do { parts.append(try RunResults.read(from: input)) } catch let error as ResultsError {
                throw ValidationError(error.description)
            }
        }
        let merged: RunResults
        do { merged = try RunResults.merge(parts) } catch {
            FileHandle.standardError.write(Data("mqbench merge: \(error.description)\n".utf8))
            throw ExitCode(64)
        }
        let path = try merged.write(to: out)
        if json {
            try printJSON(Output(results: path, summary: merged.summary, slo: merged.slo,
                                 verification: merged.verification?.counts, agents: merged.agents))
        } else {
            print(SummaryTable.render(merged))
            print("\nmerged results: \(path)")
        }
        if !merged.passed { throw ExitCode(1) }
    }
}
