import Testing

@testable import PraaSDB

@Suite struct QuantityTests {
    @Test(arguments: [
        ("0.2", Result<Int64, Quantity.Problem>.success(200)),
        ("16", .success(16_000)),
        ("0", .success(0)),
        ("-0", .success(0)),
        ("0.000", .success(0)),
        ("0.001", .success(1)),
        ("1.5", .success(1_500)),
        ("2.50", .success(2_500)),
        ("0.6000", .success(600)),
        ("2e-1", .success(200)),
        ("2E+1", .success(20_000)),
        ("1.5e3", .success(1_500_000)),
        ("5000e-4", .success(500)),
        ("0e999999999", .success(0)),
        ("1000000", .success(1_000_000_000)),
        ("0.0005", .failure(.tooPrecise)),
        ("0.6000000000000001", .failure(.tooPrecise)),
        ("1e-4", .failure(.tooPrecise)),
        ("1e-1000000000", .failure(.tooPrecise)),
        ("-0.2", .failure(.negative)),
        ("-1", .failure(.negative)),
        ("1000000.001", .failure(.tooLarge)),
        ("1e7", .failure(.tooLarge)),
        ("1e1000000000", .failure(.tooLarge)),
        ("99999999999999999999999", .failure(.tooLarge)),
        ("", .failure(.notANumber)),
        ("abc", .failure(.notANumber)),
        ("0x10", .failure(.notANumber)),
        (".5", .failure(.notANumber)),
        ("1.", .failure(.notANumber)),
        ("1e", .failure(.notANumber)),
        ("1e+", .failure(.notANumber)),
        ("+1", .failure(.notANumber)),
        ("-", .failure(.notANumber)),
        (" 1", .failure(.notANumber)),
        ("1 ", .failure(.notANumber)),
        ("1,5", .failure(.notANumber)),
        ("NaN", .failure(.notANumber)),
        ("Infinity", .failure(.notANumber)),
        ("١", .failure(.notANumber)),
    ])
    func millicoresParse(text: String, expected: Result<Int64, Quantity.Problem>) {
        #expect(Quantity.millicores(text) == expected)
    }

    @Test(arguments: [
        ("256", Result<Int64, Quantity.Problem>.success(256)),
        ("0", .success(0)),
        ("007", .success(7)),
        ("2.56e2", .success(256)),
        ("256.0", .success(256)),
        ("8192.000", .success(8_192)),
        ("1000000000", .success(1_000_000_000)),
        ("1e9", .success(1_000_000_000)),
        ("0.5", .failure(.tooPrecise)),
        ("256.1", .failure(.tooPrecise)),
        ("2.565e2", .failure(.tooPrecise)),
        ("1000000001", .failure(.tooLarge)),
        ("9223372036854775807", .failure(.tooLarge)),
        ("9223372036854775808", .failure(.tooLarge)),
        ("-256", .failure(.negative)),
        ("256MB", .failure(.notANumber)),
    ])
    func megabytesParse(text: String, expected: Result<Int64, Quantity.Problem>) {
        #expect(Quantity.megabytes(text) == expected)
    }

    /// The command line's notation: digits, with a point only between digits, and
    /// no sign, exponent or other characters.
    @Test(arguments: [
        ("0.2", Result<Int64, Quantity.Problem>.success(200)),
        ("16", .success(16_000)),
        ("007.50", .success(7_500)),
        ("0", .success(0)),
        ("1000000", .success(1_000_000_000)),
        ("0.0005", .failure(.tooPrecise)),
        ("1000000.001", .failure(.tooLarge)),
        ("-0.2", .failure(.negative)),
        ("-0", .failure(.negative)),
        (".5", .failure(.notANumber)),
        ("5.", .failure(.notANumber)),
        ("-.5", .failure(.notANumber)),
        ("2e-1", .failure(.notANumber)),
        ("1E3", .failure(.notANumber)),
        ("+1", .failure(.notANumber)),
        ("1.2.3", .failure(.notANumber)),
        ("0x10", .failure(.notANumber)),
        ("", .failure(.notANumber)),
        ("-", .failure(.notANumber)),
        (" 1", .failure(.notANumber)),
        ("١", .failure(.notANumber)),
    ])
    func millicoresParsePlain(text: String, expected: Result<Int64, Quantity.Problem>) {
        #expect(Quantity.millicores(text, notation: .plain) == expected)
    }

    @Test(arguments: [
        ("256", Result<Int64, Quantity.Problem>.success(256)),
        ("0", .success(0)),
        ("007", .success(7)),
        ("1000000000", .success(1_000_000_000)),
        ("1000000001", .failure(.tooLarge)),
        ("-256", .failure(.negative)),
        ("256.0", .failure(.notANumber)),
        ("256.5", .failure(.notANumber)),
        ("1e3", .failure(.notANumber)),
        ("2.56e2", .failure(.notANumber)),
        (".5", .failure(.notANumber)),
        ("256MB", .failure(.notANumber)),
    ])
    func megabytesParsePlain(text: String, expected: Result<Int64, Quantity.Problem>) {
        #expect(Quantity.megabytes(text, notation: .plain) == expected)
    }

    @Test func scaledHonoursMaximum() {
        #expect(Quantity.scaled("100", decimals: 0, maximum: 100) == .success(100))
        #expect(Quantity.scaled("101", decimals: 0, maximum: 100) == .failure(.tooLarge))
        #expect(Quantity.scaled("1.25", decimals: 2, maximum: 1_000) == .success(125))
        #expect(Quantity.scaled("1.255", decimals: 2, maximum: 1_000) == .failure(.tooPrecise))
    }

    @Test(arguments: [
        (Int64(0), "0"),
        (1, "0.001"),
        (10, "0.01"),
        (200, "0.2"),
        (600, "0.6"),
        (1_050, "1.05"),
        (1_500, "1.5"),
        (16_000, "16"),
        (262_000, "262"),
        (1_000_000_000, "1000000"),
    ])
    func formatCoresDropsTrailingZeros(millicores: Int64, expected: String) {
        #expect(Quantity.formatCores(millicores) == expected)
    }

    @Test func formattedCoresParseBack() {
        for millicores: Int64 in [0, 1, 9, 99, 100, 999, 1_001, 123_456, 999_999_999] {
            #expect(Quantity.millicores(Quantity.formatCores(millicores)) == .success(millicores))
        }
    }

    @Test func decimalSumsDoNotDrift() {
        let parts = ["0.1", "0.2", "0.2", "0.2"].map { text -> Int64 in
            guard case .success(let value) = Quantity.millicores(text) else { return -1 }
            return value
        }
        #expect(parts.reduce(0, +) == 700)
        #expect(Quantity.formatCores(parts.reduce(0, +)) == "0.7")
    }
}
