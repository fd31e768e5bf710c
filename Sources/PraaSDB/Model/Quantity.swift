/// Exact parsing of the decimal quantities in state files and on the command
/// line: memory in whole megabytes and CPU in cores with at most three decimals.
///
/// The text is read digit by digit, never through a binary double, so `"0.2"`
/// cores is exactly 200 millicores and `0.1 + 0.2` cannot drift.
public enum Quantity {
    /// Why a text is not a valid quantity.
    public enum Problem: Error, Equatable, Sendable {
        /// Not a decimal number at all, for example `"abc"` or `""`.
        case notANumber
        /// Below zero.
        case negative
        /// Has digits finer than the unit allows, for example `0.0005` cores.
        case tooPrecise
        /// Above the maximum the field allows.
        case tooLarge
    }

    /// The largest memory, in megabytes, a node or container may have: 10^9 MB, 1 EB.
    public static let maxMemoryMB: Int64 = 1_000_000_000
    /// The largest CPU, in millicores, a node or container may have: 10^6 cores.
    public static let maxMillicores: Int64 = 1_000_000_000

    /// The syntax a quantity is written in.
    public enum Notation: Sendable {
        /// JSON number syntax, as state files contain it: `256`, `2.56e2`, `0.5`, `-0`.
        case json
        /// The command line's syntax: ASCII digits, then, for a unit with
        /// decimals, an optional point and at least one more digit, such as
        /// `256`, `16` or `0.5`. For a unit without decimals, digits only. A
        /// leading `-` is read only to report `.negative`, and anything else
        /// (`.5`, `5.`, `1e3`, `+1`) is `.notANumber`.
        case plain
    }

    /// Parses megabytes: a whole, non-negative number such as `256`, `"256"` or,
    /// in JSON notation, `2.56e2`.
    public static func megabytes(_ text: String, notation: Notation = .json) -> Result<Int64, Problem> {
        scaled(text, decimals: 0, maximum: maxMemoryMB, notation: notation)
    }

    /// Parses cores into millicores: `"0.2"` is 200, `"16"` is 16000, `"0.0005"` is
    /// too precise.
    public static func millicores(_ text: String, notation: Notation = .json) -> Result<Int64, Problem> {
        scaled(text, decimals: 3, maximum: maxMillicores, notation: notation)
    }

    /// Parses a decimal number written in `notation` and returns it multiplied by
    /// 10^decimals as an exact integer.
    public static func scaled(_ text: String, decimals: Int, maximum: Int64, notation: Notation = .json) -> Result<Int64, Problem> {
        switch notation {
        case .json:
            return scaledJSONNumber(text, decimals: decimals, maximum: maximum)
        case .plain:
            let isNegative = text.utf8.first == UInt8(ascii: "-")
            guard isPlainDecimal(text.utf8.dropFirst(isNegative ? 1 : 0), allowsFraction: decimals > 0) else {
                return .failure(.notANumber)
            }
            if isNegative {
                return .failure(.negative)
            }
            return scaledJSONNumber(text, decimals: decimals, maximum: maximum)
        }
    }

    /// Returns whether `utf8` is one or more ASCII digits, followed, when
    /// `allowsFraction`, by an optional point and one or more digits.
    private static func isPlainDecimal(_ utf8: Substring.UTF8View, allowsFraction: Bool) -> Bool {
        let whole = utf8.prefix { decimalDigit($0) != nil }
        guard !whole.isEmpty else { return false }
        let rest = utf8[whole.endIndex...]
        guard let point = rest.first else { return true }
        guard allowsFraction, point == UInt8(ascii: "."), rest.count > 1 else { return false }
        return rest.dropFirst().allSatisfy { decimalDigit($0) != nil }
    }

    /// Parses a decimal number in JSON number syntax, without a leading `+`.
    private static func scaledJSONNumber(_ text: String, decimals: Int, maximum: Int64) -> Result<Int64, Problem> {
        var digits: [UInt8] = []
        var exponent = 0
        var isNegative = false
        var sawDigit = false
        var index = text.utf8.startIndex
        let utf8 = text.utf8

        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "-") {
            isNegative = true
            index = utf8.index(after: index)
        }
        while index < utf8.endIndex, let digit = decimalDigit(utf8[index]) {
            digits.append(digit)
            sawDigit = true
            index = utf8.index(after: index)
        }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: ".") {
            index = utf8.index(after: index)
            var sawFractionDigit = false
            while index < utf8.endIndex, let digit = decimalDigit(utf8[index]) {
                digits.append(digit)
                exponent -= 1
                sawFractionDigit = true
                index = utf8.index(after: index)
            }
            guard sawFractionDigit else { return .failure(.notANumber) }
        }
        guard sawDigit else { return .failure(.notANumber) }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
            index = utf8.index(after: index)
            var exponentIsNegative = false
            if index < utf8.endIndex, utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") {
                exponentIsNegative = utf8[index] == UInt8(ascii: "-")
                index = utf8.index(after: index)
            }
            var written = 0
            var sawExponentDigit = false
            while index < utf8.endIndex, let digit = decimalDigit(utf8[index]) {
                // Beyond 10^6 the exact value no longer matters: it is zero, too precise or too large.
                written = min(written * 10 + Int(digit), 1_000_000)
                sawExponentDigit = true
                index = utf8.index(after: index)
            }
            guard sawExponentDigit else { return .failure(.notANumber) }
            exponent += exponentIsNegative ? -written : written
        }
        guard index == utf8.endIndex else { return .failure(.notANumber) }

        // Drop leading zeros; an all-zero mantissa is zero whatever the exponent.
        let significant = digits.drop { $0 == 0 }
        if significant.isEmpty {
            return .success(0)
        }
        if isNegative {
            return .failure(.negative)
        }

        // The value is significant × 10^(exponent + decimals) in the target unit.
        let shift = exponent + decimals
        var mantissa = Array(significant)
        if shift < 0 {
            let dropped = mantissa.suffix(min(-shift, mantissa.count))
            guard dropped.allSatisfy({ $0 == 0 }), -shift < mantissa.count else {
                return .failure(.tooPrecise)
            }
            mantissa.removeLast(-shift)
        } else {
            guard mantissa.count + shift <= 19 else { return .failure(.tooLarge) }
            mantissa += repeatElement(0, count: shift)
        }
        guard mantissa.count <= 19 else { return .failure(.tooLarge) }
        var value: Int64 = 0
        for digit in mantissa {
            let (multiplied, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (added, overflowB) = multiplied.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return .failure(.tooLarge) }
            value = added
        }
        guard value <= maximum else { return .failure(.tooLarge) }
        return .success(value)
    }

    private static func decimalDigit(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    /// Formats millicores as cores with no trailing zeros: 600 is `0.6`, 16000 is `16`.
    public static func formatCores(_ millicores: Int64) -> String {
        formatThousandths(millicores)
    }

    /// Formats a count of thousandths as a decimal with no trailing zeros:
    /// 4500 is `4.5`, 16000 is `16`.
    public static func formatThousandths(_ thousandths: Int64) -> String {
        let whole = thousandths / 1000
        let fraction = thousandths % 1000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") {
            digits.removeLast()
        }
        return "\(whole).\(digits)"
    }

    /// Formats a number with exactly three decimals, such as `2.125` or `0.000`,
    /// for means and other values that are not whole.
    public static func formatThreeDecimals(_ value: Double) -> String {
        let scaled = (value * 1000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int64(abs(scaled))
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
    }
}
