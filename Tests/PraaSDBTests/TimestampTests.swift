import Foundation
import Testing

@testable import PraaSDB

@Suite struct TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_800_000_000, "2027-01-15T08:00:00.000Z"),
        (1_800_000_000.5, "2027-01-15T08:00:00.500Z"),
        (1_800_000_000.999_9, "2027-01-15T08:00:00.999Z"),
        (951_782_400, "2000-02-29T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.000Z"),
        (-0.5, "1969-12-31T23:59:59.500Z"),
        (253_402_300_799, "9999-12-31T23:59:59.000Z"),
    ])
    func formatWritesUTC(seconds: Double, expected: String) {
        #expect(Timestamp.format(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test(arguments: [
        ("2026-12-04", 1_796_342_400.0),
        ("2026-12-04T15:20", 1_796_397_600),
        ("2026-12-04T15:20:55", 1_796_397_655),
        ("2026-12-04 15:20:55", 1_796_397_655),
        ("2026-12-04T15:20:55Z", 1_796_397_655),
        ("2026-12-04T15:20:55.5", 1_796_397_655.5),
        ("2026-12-04T16:20:55+01:00", 1_796_397_655),
        ("2026-12-04T10:50:55-04:30", 1_796_397_655),
        ("2024-02-29T00:00:00Z", 1_709_164_800),
        ("2000-02-29", 951_782_400),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1),
    ])
    func parseReadsISO8601(text: String, seconds: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: [
        "",
        "2026-12-4",
        "26-12-04",
        "2026/12/04",
        "2026-13-01",
        "2026-00-10",
        "2026-02-29",
        "1900-02-29",
        "2026-04-31",
        "2026-12-00",
        "2026-12-04T24:00",
        "2026-12-04T12:60",
        "2026-12-04T12:00:60",
        "2026-12-04T12",
        "2026-12-04T12:00:00.",
        "2026-12-04T12:00:00+0100",
        "2026-12-04T12:00:00+24:00",
        "2026-12-04T12:00:00 Z",
        " 2026-12-04",
        "yesterday",
        "٢٠٢٦-١٢-٠٤",
        "2026-12-04T１２:00",
    ])
    func parseRejectsInvalidText(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test(arguments: [
        "2026-12-04T15:20:55.123Z",
        "2026-12-04T15:20:55.001Z",
        "2026-12-04T15:20:55.999Z",
        "1999-12-31T23:59:59.999Z",
        "2038-01-19T03:14:08.007Z",
        "1969-07-20T20:17:40.100Z",
    ])
    func formatRoundTripsParse(text: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.format(date) == text)
    }

    @Test func formattedTextSortsInTimeOrder() {
        let dates = [-86_400.5, -1, 0, 0.001, 9.999, 10, 1_800_000_000].map { Date(timeIntervalSince1970: $0) }
        let texts = dates.map(Timestamp.format)
        #expect(texts == texts.sorted())
    }
}
