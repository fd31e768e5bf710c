import PraaSDB

/// Text forms of prices, rates and durations in tables, CSV and JSON. Amounts
/// are exact decimals, and JSON carries them as strings so that no reader turns
/// them into binary floating point.
enum PriceFormat {
    /// Hundredths as an amount with two decimals: 123450 is `1234.50`.
    static func amount(hundredths: Int64) -> String {
        FixedPoint.format(hundredths, decimals: 2, minimumDecimals: 2)
    }

    /// Millionths as an amount with two to six decimals: 16_720_700 is `16.7207`.
    static func amount(micros: Int64) -> String {
        FixedPoint.format(micros, decimals: 6, minimumDecimals: 2)
    }

    /// Thousandths as a multiplier with one to three decimals: 1350 is `1.35`.
    static func multiplier(perMille: Int) -> String {
        FixedPoint.format(perMille, decimals: 3, minimumDecimals: 1)
    }

    /// Milliseconds as hours rounded to four decimals: 5_400_000 is `1.5000`.
    static func hours(milliseconds: Int64) -> String {
        // 360 ms is one ten-thousandth of an hour.
        FixedPoint.format(FixedPoint.roundedQuotient(Int128(milliseconds), 360), decimals: 4, minimumDecimals: 4)
    }
}
