/// Exact decimal amounts kept as integers with a fixed number of decimals:
/// prices in hundredths, multipliers in thousandths, rates in millionths.
public enum FixedPoint {
    /// Formats `value`, which has `decimals` implied decimals, with trailing zeros
    /// dropped down to `minimumDecimals`: `format(13_500_000, decimals: 6,
    /// minimumDecimals: 2)` is `13.50`, `format(1350, decimals: 3, minimumDecimals: 1)`
    /// is `1.35`.
    public static func format<Value: BinaryInteger>(_ value: Value, decimals: Int, minimumDecimals: Int = 0) -> String {
        precondition(decimals >= 0 && (0...decimals).contains(minimumDecimals), "invalid decimals \(decimals), \(minimumDecimals)")
        let magnitude = value.magnitude
        var digits = String(magnitude)
        if digits.count <= decimals {
            digits = String(repeating: "0", count: decimals - digits.count + 1) + digits
        }
        var whole = String(digits.dropLast(decimals))
        var fraction = String(digits.suffix(decimals))
        while fraction.count > minimumDecimals, fraction.hasSuffix("0") {
            fraction.removeLast()
        }
        if value < 0 {
            whole = "-" + whole
        }
        return fraction.isEmpty ? whole : whole + "." + fraction
    }

    /// Divides and rounds half away from zero: 5 / 2 is 3 and -5 / 2 is -3.
    public static func roundedQuotient(_ dividend: Int128, _ divisor: Int128) -> Int128 {
        precondition(divisor > 0, "the divisor must be positive")
        let quotient = dividend / divisor
        let remainder = dividend % divisor
        guard remainder.magnitude * 2 >= divisor.magnitude else { return quotient }
        return dividend < 0 ? quotient - 1 : quotient + 1
    }
}
