import Foundation

/// Sizes of the reliability tests. The suite runs them small enough for CI;
/// `PRAAS_DB_STRESS=1` runs them at full size, and a variable per size
/// overrides either (docs/RELIABILITY.md lists them).
enum StressMode {
    /// True when `PRAAS_DB_STRESS` is set to anything but `0` or the empty string.
    static let isOn: Bool = {
        let value = ProcessInfo.processInfo.environment["PRAAS_DB_STRESS"] ?? ""
        return !value.isEmpty && value != "0"
    }()

    /// Returns the positive integer in the environment variable `name`, else
    /// `stress` in stress mode, else `suite`.
    static func size(_ name: String, suite: Int, stress: Int) -> Int {
        if let text = ProcessInfo.processInfo.environment[name], let value = Int(text), value > 0 {
            return value
        }
        return isOn ? stress : suite
    }
}
