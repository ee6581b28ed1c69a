import ArgumentParser
import Foundation
import Profiles

/// `mqbench profiles`: the shipped load profiles, one line each.
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the load profiles, one line each.",
        discussion: "Examples:\n  mqbench profiles\n  mqbench profiles --dir ./my-profiles")

    @Option(help: "Directory of profiles (default: ./profiles, or the one shipped with this build).")
    var dir: String?

    func run() throws {
        guard let d = Profile.profilesDirectory(dir) else {
            throw ValidationError("no profiles directory found; pass --dir")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: d).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var bad = 0
        for f in files {
            do {
                let p = try ProfileParser.parse(contentsOf: "\(d)/\(f)")
                print("\(p.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(p.summaryLine)")
                if !p.description.isEmpty { print(String(repeating: " ", count: 21) + p.description) }
            } catch {
                bad += 1
                print("\(f): INVALID — \(error)")
            }
        }
        if bad > 0 { throw ExitCode(1) }
    }
}

/// `mqbench validate`: checks profiles without running anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check load profiles (keys, types, values) without running them.",
        discussion: "Exit status 1 when any profile is invalid.\n\nExample:\n  mqbench validate profiles/normal-2000tps.yaml")

    @Argument(help: "Profile files.")
    var files: [String]

    @Flag(help: "Print the parsed profiles as JSON.")
    var json = false

    func run() throws {
        var failed = false
        var parsed: [Profile] = []
        for f in files {
            do {
                let p = try ProfileParser.parse(contentsOf: f)
                parsed.append(p)
                if !json { print("\(f): ok — \(p.summaryLine)") }
            } catch {
                failed = true
                FileHandle.standardError.write(Data("\(error)\n".utf8))
            }
        }
        if json { try printJSON(parsed) }
        if failed { throw ExitCode(1) }
    }
}
