import Testing
@testable import Sampler

@Suite("Durations and sizes")
struct UnitTextTests {
    @Test(arguments: [("30s", 30.0), ("5m", 300), ("1h", 3600), ("500ms", 0.5), ("1m30s", 90), ("2", 2), ("1.5s", 1.5), (" 10s ", 10)])
    func parsesDurations(text: String, seconds: Double) throws {
        #expect(try DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "abc", "10x", "s", "-5s", "0s", "5m3"])
    func rejectsBadDurationsWithAClearMessage(text: String) {
        #expect(throws: DurationText.ParseError.self) { try DurationText.seconds(text) }
        do { _ = try DurationText.seconds(text) } catch { #expect(error.description.contains("duration") || error.description.contains("unit")) }
    }

    @Test func parsesSizes() throws {
        #expect(try ByteSizeText.bytes("200G") == 200 << 30)
        #expect(try ByteSizeText.bytes("512MiB") == 512 << 20)
        #expect(try ByteSizeText.bytes("1.5T") == 3 << 39)
        #expect(try ByteSizeText.bytes("4096") == 4096)
        #expect(throws: DurationText.ParseError.self) { try ByteSizeText.bytes("12Q") }
    }

    @Test func fixedFormatting() {
        #expect(TextFormat.fixed(3.14159, 2) == "3.14")
        #expect(TextFormat.fixed(0.005, 2) == "0.01")
        #expect(TextFormat.fixed(-2.5, 1) == "-2.5")
        #expect(TextFormat.fixed(7, 0) == "7")
        #expect(TextFormat.bytes(1536) == "1.5K")
    }
}
