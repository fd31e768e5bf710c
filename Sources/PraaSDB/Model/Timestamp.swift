import Foundation

/// UTC timestamps as stored in the database: ISO 8601 with milliseconds and a
/// `Z`, such as `2026-12-04T15:20:55.123Z`. Stored as text, they sort in time order.
public enum Timestamp {
    /// Formats `date` in UTC with millisecond precision.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.floorDivided(by: 1000))
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), fraction)
    }

    /// Parses an ISO 8601 date or date and time: `2026-12-04`, `2026-12-04T15:20`,
    /// `2026-12-04T15:20:55`, `2026-12-04 15:20:55.5`, with an optional `Z` or
    /// `+01:00` offset. A time without an offset is UTC.
    ///
    /// - Returns: nil when `text` is not in one of those forms or names an invalid date.
    public static func parse(_ text: String) -> Date? {
        // `\d` would also match other scripts' digits, such as "٢", which Int() cannot read.
        let pattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/
            .asciiOnlyDigits()
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let year = Int(match.1)!
        let month = Int(match.2)!
        let day = Int(match.3)!
        let hour = match.4.map { Int($0)! } ?? 0
        let minute = match.5.map { Int($0)! } ?? 0
        let second = match.6.map { Int($0)! } ?? 0
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }

        var fraction = 0.0
        if let digits = match.7 {
            fraction = Double("0." + digits) ?? 0
        }
        var offsetSeconds = 0
        if let zone = match.8, zone != "Z" {
            let sign = zone.hasPrefix("-") ? -1 : 1
            let hours = Int(zone.dropFirst().prefix(2))!
            let minutes = Int(zone.suffix(2))!
            guard hours < 24, minutes < 60 else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension Int64 {
    /// Division rounding towards negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
