import Foundation
import Testing
import TestSupport
@testable import Report

@Suite struct ReportWriterTests {
    @Test func writesAllFiles() throws {
        let dir = TempDir("report")
        defer { dir.cleanup() }
        let path = ReportFiles.directory(base: dir.path, name: "sample", date: Date(timeIntervalSince1970: 0))
        #expect(path.hasSuffix("/sample-19700101-000000"))
        let files = try ReportFiles.write(SampleReport.make(), data: ["k": 1], to: path)
        #expect(files.count == 3 + 5)
        print(path)
    }
}
